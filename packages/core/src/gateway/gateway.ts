import type { CallPromise } from '../pipeline/call-promise.js';
import type { CallOptions } from '../contract/call-options.js';
import type { ChatCompletionStream } from '../pipeline/chat-completion-stream.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from '../contract/embeddings.js';
import { validateConfig, type GatewayConfig } from './config.js';
import { EventBus } from '../events/event-bus.js';
import type { EventListener, EventOfType, GatewayEvent, GatewayEventType } from '../events/events.js';
import { enterCall, type CallResult } from './front-door.js';
import { GatewayRuntime } from './gateway-runtime.js';
import type { Operation } from '../pipeline/middleware.js';
import { DISABLED_CACHE, type GatewayCache } from '../cache/gateway-cache.js';
import { createMemoryStore } from '../store/memory-store.js';
import { ConfigError } from '../errors/errors.js';
import type { Store } from '../store/store.js';
import { ScopePolicy, type ScopeOptions } from '../governance/scope-policy.js';
import { readBudget, type BudgetState } from '../governance/budget-reader.js';
import type { ScopePolicy as Scope } from '../governance/scope-policy.js';
import { ScopedClient } from './scoped-client.js';
import { AuditTrail } from '../audit/audit-trail.js';
import { Telemetry } from '../telemetry/telemetry.js';
import { InFlightCalls } from './in-flight-calls.js';
import type { DropInHost } from '../drop-in/drop-in-host.js';
import { wrapClient } from '../drop-in/wrap-client.js';
import type { WrapOptions } from '../drop-in/wrap-options.js';
import { createGatewayFetch } from '../drop-in/fetch/gateway-fetch.js';

const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;
/** A sink at `close()` gets at least this long (or the whole bound, when it is shorter) to deliver what is queued, even when waiting for calls used up the bound. */
const MIN_SINK_CLOSE_MS = 1_000;
import { SCOPE } from '../governance/governance.js';
import { GUARD_CALL, INPUT_GUARDED, PLACEHOLDERS } from '../guardrails/guardrails.js';
import type { RequestContext } from '../pipeline/middleware.js';
import type { EventSink, SinkStats } from '../sinks/event-sink.js';

/** What `gateway.close()` found: each configured sink's final stats (its `dropped` is what was lost). */
export interface GatewayCloseReport {
  readonly sinks: ReadonlyArray<SinkStats & { readonly name: string }>;
}

/** How the configured budgets stand (docs/governance.md). */
export interface GatewayBudgets {
  /** The names of the configured budgets. */
  readonly names: readonly string[];
  /**
   * How budget `rule` stands for `key` (the principal id, team, tag, model or route it is kept
   * by; omit for a shared budget) in the current period. Rejects with a `RangeError` for a name
   * that is not a configured budget.
   */
  get(rule: string, key?: string): Promise<BudgetState>;
}

export interface ChatCompletions {
  create(params: ChatCompletionCreateParamsNonStreaming, options?: CallOptions): CallPromise<ChatCompletion>;
  create(params: ChatCompletionCreateParamsStreaming, options?: CallOptions): CallPromise<ChatCompletionStream>;
  create(
    params: ChatCompletionCreateParams,
    options?: CallOptions,
  ): CallPromise<ChatCompletion | ChatCompletionStream>;
}

export interface Embeddings {
  create(params: EmbeddingCreateParams, options?: CallOptions): CallPromise<CreateEmbeddingResponse>;
}

/**
 * The in-process gateway: OpenAI's `chat.completions.create` and `embeddings.create`,
 * routed through the configured middleware, router and provider adapters.
 */
export class Gateway {
  readonly chat: { readonly completions: ChatCompletions };
  readonly embeddings: Embeddings;
  readonly #events: EventBus;
  #runtime: GatewayRuntime;
  #configListener: (() => void) | undefined;
  /** Governance's counters when the config names no store: kept across `reload()`, so limits and budgets do not start over. */
  #store: Store | undefined;
  readonly #defaultStore = () => (this.#store ??= createMemoryStore());
  readonly budgets: GatewayBudgets;
  /** The calls in flight (tracked only while sinks are configured), which `close()` waits for. */
  readonly #inFlight = new InFlightCalls();
  /** Spans and metrics: one for the gateway's life, reconfigured by a reload. */
  #telemetry: Telemetry | undefined;
  /** The audit trail of the config in use, kept across a reload that keeps its log. */
  #audit: AuditTrail | undefined;
  /** Trails a reload replaced: they finish the calls they saw, then close their logs. */
  readonly #retired = new Set<Promise<void>>();
  /** The config's sinks, each with its unsubscribe functions; kept across a reload that keeps the same sink. */
  #sinks = new Map<EventSink, () => void>();
  /** Sinks a reload dropped, closing: `close()` reports them too. */
  readonly #closingSinks = new Set<Promise<SinkStats & { name: string }>>();

  constructor(config: GatewayConfig) {
    validateConfig(config);
    this.#events = new EventBus(config.onEventError);
    this.#runtime = this.#install(config);
    const create = (params: ChatCompletionCreateParams, options?: CallOptions) =>
      this.#create('chat', params, options);
    this.chat = { completions: { create } as ChatCompletions };
    this.embeddings = {
      create: (params, options) =>
        this.#create('embeddings', params, options) as CallPromise<CreateEmbeddingResponse>,
    };
    const runtime = () => this.#runtime;
    this.budgets = {
      get names() {
        return runtime().governance.budgetNames;
      },
      get: (rule, key = '*') => {
        const governance = this.#runtime.governance;
        const policy = governance.budget(rule);
        if (!policy) return Promise.reject(new RangeError(`Switchyard: no budget named '${rule}' (configured: ${governance.budgetNames.join(', ') || 'none'}).`));
        return readBudget(policy, governance.store, key, governance.now());
      },
    };
  }

  /**
   * A client with this gateway's API that calls as one principal, only within `options`'
   * models, limits, budget and regions, and can be revoked (docs/governance.md). It holds no
   * provider keys. Throws a `ConfigError` for invalid options.
   */
  scope(options: ScopeOptions): ScopedClient {
    const policy = this.#scopePolicy(options);
    return new ScopedClient(policy, {
      create: (operation, params, callOptions, scope: Scope) =>
        enterCall(this.#runtime, this.#events, operation, params as ChatCompletionCreateParams | EmbeddingCreateParams, callOptions, scope),
      dropIn: (scope) => this.#dropInHost(scope),
      readBudget: (scope) => {
        const governance = this.#runtime.governance;
        return scope.budget ? readBudget(scope.budget, governance.store, scope.id, governance.now()) : Promise.resolve(undefined);
      },
    });
  }

  /**
   * `client` (an `openai` or `@anthropic-ai/sdk` client the app already has), typed exactly as
   * it is, with its model calls going through this gateway: routes, fallbacks, governance,
   * guardrails, caching, cost and telemetry apply, while everything else on the client passes
   * through untouched (docs/wrap-openai.md, docs/wrap-anthropic.md). A model name that is a route uses the route; any other
   * goes to `options.provider`, or to the provider built on this very client. Throws a
   * `ConfigError` for invalid options and a `TypeError` for a client it does not know.
   */
  wrap<Client extends object>(client: Client, options: WrapOptions = {}): Client {
    const scope = options.scope === undefined ? undefined : this.#scopePolicy(options.scope);
    return wrapClient(this.#dropInHost(scope), client, options);
  }

  /**
   * A WHATWG `fetch` that serves OpenAI's HTTP API (`POST /v1/chat/completions`, JSON and
   * SSE, and `POST /v1/embeddings`) in-process, with no socket: give it to anything that takes
   * a custom fetch for an OpenAI-compatible endpoint (docs/fetch.md). It reads no request
   * header: calls are made as no principal; a scope's `fetch` calls as the scope.
   */
  get fetch(): typeof globalThis.fetch {
    return (this.#fetch ??= createGatewayFetch(this.#dropInHost(undefined)));
  }

  #fetch: typeof globalThis.fetch | undefined;

  #scopePolicy(options: ScopeOptions): ScopePolicy {
    const governance = this.#runtime.governance;
    const policy = new ScopePolicy(options, governance.clock);
    const downgrade = policy.budget?.downgradeTo;
    if (downgrade !== undefined && !governance.knowsRoute(downgrade)) {
      throw new ConfigError([{ path: 'scope.budget.onExhausted.downgrade', message: `'${downgrade}' is neither a configured route nor '<provider>/<model>' of a configured provider` }]);
    }
    return policy;
  }

  #dropInHost(scope: ScopePolicy | undefined): DropInHost {
    return {
      chat: (params, options) => enterCall(this.#runtime, this.#events, 'chat', params, options, scope) as CallPromise<ChatCompletion | ChatCompletionStream>,
      embed: (params, options) => enterCall(this.#runtime, this.#events, 'embeddings', params, options, scope) as CallPromise<CreateEmbeddingResponse>,
      knowsModel: (model) => this.#runtime.governance.knowsRoute(model),
      providerOf: (client) => this.#runtime.providerOf(client),
    };
  }

  /**
   * Keys and invalidation of the response cache (docs/caching.md). It is the cache of the
   * config in use: `reload()` starts a new, empty memory tier (entries in a configured Store
   * stay). Without `cache.exact` in the config, `enabled` is `false` and nothing is removed.
   */
  get cache(): GatewayCache {
    return this.#runtime.cache ?? DISABLED_CACHE;
  }

  /**
   * Swaps in a new config atomically: it is validated first (a bad one throws and changes
   * nothing), new calls use it at once, calls already running finish on the old one.
   * Listeners added with `on()` stay; the config's `onEvent` is replaced.
   */
  reload(config: GatewayConfig): void {
    validateConfig(config);
    this.#runtime = this.#install(config);
  }

  /**
   * Flushes what must not be lost: waits (up to `timeoutMs`, default 10 000) for calls in
   * flight to end (their streams included), writes their audit records and closes the audit log
   * (docs/audit.md), then delivers every queued event of the sinks and closes them
   * (docs/events.md#sinks) within what is left of `timeoutMs` (at least 1 s, or all of a shorter bound). Resolves with the
   * sinks' final stats. Call it before the process exits; events after it are counted as dropped
   * by the sinks, and calls after it are not audited.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<GatewayCloseReport> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    const deadline = performance.now() + timeoutMs;
    const audit = this.#audit;
    this.#audit = undefined;
    await Promise.all([audit?.close(timeoutMs), this.#inFlight.idle(timeoutMs), ...this.#retired]);
    // The calls waited for have emitted their last events: let the bus deliver them to the sinks first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // The sinks get what is left of the bound (at least a moment to deliver what is queued). They stay
    // subscribed: an event of a call still running, or made after close(), reaches a closed sink, which counts it as dropped.
    const left = Math.max(deadline - performance.now(), Math.min(timeoutMs, MIN_SINK_CLOSE_MS));
    const sinks = [...this.#sinks.keys()].map((sink) => this.#closeSink(sink, left));
    this.#sinks = new Map();
    const dropped = [...this.#closingSinks];
    this.#closingSinks.clear();
    return { sinks: await Promise.all([...dropped, ...sinks]) };
  }

  async #closeSink(sink: EventSink, timeoutMs: number | undefined): Promise<SinkStats & { name: string }> {
    try {
      return { name: sink.name, ...(await sink.close({ timeoutMs })) };
    } catch (error) {
      // A sink's own close failed: reported to onEventError, its last stats kept.
      this.#events.report(error, { type: 'sink', requestId: '', sink: sink.name });
      return { name: sink.name, ...sink.stats() };
    }
  }

  /** Subscribes the config's sinks; a sink the new config no longer has is closed (and reported by `close()`). */
  #installSinks(sinks: readonly EventSink[] | undefined): void {
    const next = new Map<EventSink, () => void>();
    for (const sink of sinks ?? []) {
      const kept = this.#sinks.get(sink);
      if (kept) {
        next.set(sink, kept);
        continue;
      }
      const write = (event: GatewayEvent) => sink.write(event);
      const offs = sink.types === undefined ? [this.#events.on('*', write)] : [...new Set(sink.types)].map((type) => this.#events.on(type, write));
      next.set(sink, () => offs.forEach((off) => off()));
    }
    for (const [sink, unsubscribe] of this.#sinks) {
      if (next.has(sink)) continue;
      // No longer configured: it takes nothing more, and delivers what it has.
      unsubscribe();
      const closing = this.#closeSink(sink, undefined);
      this.#closingSinks.add(closing);
    }
    this.#sinks = next;
  }

  #install(config: GatewayConfig): GatewayRuntime {
    const audit = this.#auditFor(config);
    const deps = { events: this.#events, ...contentGuards(config) };
    if (this.#telemetry) this.#telemetry.configure(config.telemetry, deps);
    else this.#telemetry = new Telemetry(config.telemetry, deps);
    // Calls are tracked only while there are sinks to flush at close().
    const inFlight = config.sinks && config.sinks.length > 0 ? this.#inFlight : undefined;
    const runtime = new GatewayRuntime(config, this.#events, this.#defaultStore, audit, this.#telemetry, inFlight);
    this.#configListener?.();
    this.#configListener = config.onEvent ? this.#events.on('*', config.onEvent) : undefined;
    this.#installSinks(config.sinks);
    return runtime;
  }

  /** The trail for `config`'s audit log: the current one if the log is the same, else a new one (the old one retires). */
  #auditFor(config: GatewayConfig): AuditTrail | undefined {
    const current = this.#audit;
    const options = config.audit;
    const deps = {
      events: this.#events,
      scopeOf: (ctx: RequestContext) => ctx.state.get(SCOPE)?.id,
      ...contentGuards(config),
    };
    if (current && options?.log === current.log) {
      current.configure(options, deps);
      return current;
    }
    if (current) {
      const closing = current.close().catch((error: unknown) => this.#events.report(error, { type: 'end-hook', requestId: '', level: 'request' }));
      this.#retired.add(closing);
      void closing.finally(() => this.#retired.delete(closing));
    }
    this.#audit = options ? new AuditTrail(options, deps) : undefined;
    return this.#audit;
  }

  /** Subscribes to one event type (or `'*'` for all); returns the unsubscribe function. */
  on<T extends GatewayEventType>(type: T, listener: EventListener<EventOfType<T>>): () => void;
  on(type: '*', listener: EventListener): () => void;
  on(type: GatewayEventType | '*', listener: EventListener<never>): () => void {
    return this.#events.on(type, listener as EventListener);
  }

  #create(operation: Operation, params: ChatCompletionCreateParams | EmbeddingCreateParams, options: CallOptions | undefined): CallPromise<CallResult> {
    return enterCall(this.#runtime, this.#events, operation, params, options);
  }
}

/**
 * What keeps unguarded content out of the audit log and traces: a call's content is recorded once
 * its input was guarded, and not at all when an audit-mode redactor left something in place
 * (input or answer); answers with restored values are redacted again.
 */
function contentGuards(config: GatewayConfig) {
  const guarded = config.guardrails !== undefined && config.guardrails.length > 0;
  return {
    contentGuarded: (ctx: RequestContext) => !guarded || (ctx.state.get(INPUT_GUARDED) === true && ctx.state.get(GUARD_CALL)?.unredacted !== true),
    redactAnswer: (ctx: RequestContext, text: string) => ctx.state.get(PLACEHOLDERS)?.redactOriginals(text) ?? text,
  };
}

export function createGateway(config: GatewayConfig): Gateway {
  return new Gateway(config);
}
