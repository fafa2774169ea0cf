import type { CallPromise } from '../pipeline/call-promise.js';
import type { CallOptions } from '../contract/call-options.js';
import type { ChatCompletionStream } from '../pipeline/chat-completion-stream.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams, ChatCompletionCreateParamsNonStreaming, ChatCompletionCreateParamsStreaming } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from '../contract/embeddings.js';
import { validateConfig, type GatewayConfig } from './config.js';
import { EventBus } from '../events/event-bus.js';
import type { EventListener, EventOfType, GatewayEventType } from '../events/events.js';
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
import { SCOPE } from '../governance/governance.js';
import { INPUT_GUARDED, PLACEHOLDERS } from '../guardrails/guardrails.js';
import type { RequestContext } from '../pipeline/middleware.js';

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
  /** The audit trail of the config in use, kept across a reload that keeps its log. */
  #audit: AuditTrail | undefined;
  /** Trails a reload replaced: they finish the calls they saw, then close their logs. */
  readonly #retired = new Set<Promise<void>>();

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
    const governance = this.#runtime.governance;
    const policy = new ScopePolicy(options, governance.clock);
    const downgrade = policy.budget?.downgradeTo;
    if (downgrade !== undefined && !governance.knowsRoute(downgrade)) {
      throw new ConfigError([{ path: 'scope.budget.onExhausted.downgrade', message: `'${downgrade}' is neither a configured route nor '<provider>/<model>' of a configured provider` }]);
    }
    return new ScopedClient(policy, {
      create: (operation, params, callOptions, scope: Scope) =>
        enterCall(this.#runtime, this.#events, operation, params as ChatCompletionCreateParams | EmbeddingCreateParams, callOptions, scope),
      readBudget: (scope) => {
        const governance = this.#runtime.governance;
        return scope.budget ? readBudget(scope.budget, governance.store, scope.id, governance.now()) : Promise.resolve(undefined);
      },
    });
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
   * flight to end, writes their audit records, and closes the audit log (docs/audit.md). Call
   * it before the process exits; calls made after it are not audited.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    const audit = this.#audit;
    this.#audit = undefined;
    await Promise.all([audit?.close(options.timeoutMs), ...this.#retired]);
  }

  #install(config: GatewayConfig): GatewayRuntime {
    const audit = this.#auditFor(config);
    const runtime = new GatewayRuntime(config, this.#events, this.#defaultStore, audit);
    this.#configListener?.();
    this.#configListener = config.onEvent ? this.#events.on('*', config.onEvent) : undefined;
    return runtime;
  }

  /** The trail for `config`'s audit log: the current one if the log is the same, else a new one (the old one retires). */
  #auditFor(config: GatewayConfig): AuditTrail | undefined {
    const current = this.#audit;
    const options = config.audit;
    const guarded = config.guardrails !== undefined && config.guardrails.length > 0;
    const deps = {
      events: this.#events,
      scopeOf: (ctx: RequestContext) => ctx.state.get(SCOPE)?.id,
      inputGuarded: (ctx: RequestContext) => !guarded || ctx.state.get(INPUT_GUARDED) === true,
      redactAnswer: (ctx: RequestContext, text: string) => ctx.state.get(PLACEHOLDERS)?.redactOriginals(text) ?? text,
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

export function createGateway(config: GatewayConfig): Gateway {
  return new Gateway(config);
}
