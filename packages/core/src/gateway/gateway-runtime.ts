import { usageFromCompletionUsage, usageFromEmbeddings } from '../adapter/usage.js';
import { CallSignal } from '../pipeline/call-signal.js';
import { ChatCompletionStream } from '../pipeline/chat-completion-stream.js';
import { composeChain } from '../pipeline/compose.js';
import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { Clock, GatewayConfig } from './config.js';
import { catalogFromConfig } from './catalog-config.js';
import { CostCalculator } from '../cost/cost-calculator.js';
import { ExactCache } from '../cache/exact-cache.js';
import { SemanticCache } from '../cache/semantic-cache.js';
import type { CreateEmbeddingResponse } from '../contract/embeddings.js';
import { globToRegExp } from '../rules/index.js';
import { Governance } from '../governance/governance.js';
import { Guardrails } from '../guardrails/guardrails.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { Telemetry } from '../telemetry/telemetry.js';
import type { InFlightCalls } from './in-flight-calls.js';
import type { Store } from '../store/store.js';
import { routeTargets } from '../routing/route-tree.js';
import { enterCall, type CallResult } from './front-door.js';
import { AbortError, GatewayError, UnsupportedFeatureError } from '../errors/errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { AttemptContext, Middleware, RequestContext, Result } from '../pipeline/middleware.js';
import { PrimedStream } from '../pipeline/primed-stream.js';
import { AdapterCall } from '../pipeline/adapter-call.js';
import type { AttemptRecord } from '../pipeline/attempt-record.js';
import type { CallRecord } from '../pipeline/call-record.js';
import { GatewayAttemptContext, GatewayRequestContext } from '../pipeline/contexts.js';
import { Router } from '../routing/router.js';
import type { CircuitBreakerTransition } from '../health/circuit-breaker.js';
import { DeploymentHealth } from '../health/deployment-health.js';
import { defaultFallbackOn } from '../routing/fallback-policy.js';
import { RouteExecutor } from '../routing/route-executor.js';
import type { Target } from '../routing/route-tree.js';
import { typedStreamError } from '../adapter/stream-errors.js';

type Handler<Ctx> = (ctx: Ctx) => Promise<Result>;

const performanceClock: Clock = performance;

/**
 * Everything a config determines: routes, chains, executor, health, defaults. Built once
 * per config; a call keeps the runtime it started with, so `gateway.reload()` swaps it
 * atomically while in-flight calls finish on the old one.
 */
export class GatewayRuntime {
  readonly defaults: NonNullable<GatewayConfig['defaults']>;
  readonly now: () => number;
  readonly requestChain: Handler<RequestContext>;
  /** Governance of this config (docs/governance.md): in the request chain when configured, and always for scoped calls and calls with `regions`. */
  readonly governance: Governance;
  readonly #middleware: readonly Middleware[];
  readonly #first: readonly Middleware[];
  /** The audit trail this config writes to, if any: the front door hands it every call. */
  readonly audit: AuditTrail | undefined;
  /** The gateway's telemetry: the front door hands it every call, which it observes when an OpenTelemetry SDK records. */
  readonly telemetry: Telemetry | undefined;
  /** With sinks configured: the calls in flight, which `gateway.close()` waits for before flushing them. */
  readonly inFlight: InFlightCalls | undefined;
  #scopedChain: Handler<RequestContext> | undefined;
  /** Prices usage with this config's catalog. */
  readonly cost: CostCalculator;
  /** The exact response cache, when `cache.exact` is configured (docs/caching.md). */
  readonly cache: ExactCache | undefined;
  /** The semantic response cache, when `cache.semantic` is configured (docs/caching.md). */
  readonly semanticCache: SemanticCache | undefined;
  readonly #router: Router;
  readonly #providers: GatewayConfig['providers'];
  readonly #events: EventBus;
  readonly #attemptChain: Handler<AttemptContext>;
  readonly #executor: RouteExecutor;

  /** The key of the configured provider whose adapter calls through `client` (the SDK client object itself), if any. */
  providerOf(client: object): string | undefined {
    for (const [key, adapter] of Object.entries(this.#providers)) if (adapter.clients?.includes(client)) return key;
    return undefined;
  }

  /** `defaultStore`: the gateway's own memory store, kept across reloads, for governance without a configured store. */
  constructor(config: GatewayConfig, events: EventBus, defaultStore: () => Store, audit?: AuditTrail, telemetry?: Telemetry, inFlight?: InFlightCalls) {
    this.#events = events;
    this.telemetry = telemetry;
    this.inFlight = inFlight;
    const catalog = catalogFromConfig(config);
    this.cost = new CostCalculator(catalog);
    this.#router = new Router(config.providers, config.models, catalog, config.regions);
    this.#providers = config.providers;
    const clock = config.clock ?? performanceClock;
    this.now = () => clock.now();
    this.defaults = config.defaults ?? {};
    const routing = config.routing ?? {};
    const health = new DeploymentHealth(
      {
        breaker: routing.breaker,
        retryBudget: routing.retryBudget,
        onTransition: (deployment, transition) => this.#emitHealth(deployment, transition),
      },
      this.now,
    );
    this.#executor = new RouteExecutor(
      {
        events,
        now: this.now,
        random: routing.random ?? Math.random,
        health,
        retry: routing.retry ?? {},
        fallbackOn: routing.fallbackOn ?? defaultFallbackOn,
        waitForCooldownMs: routing.waitForCooldownMs ?? 0,
        catalog,
      },
      (record, attempt, target) => this.#attempt(record, attempt, target),
    );
    // The exact cache runs first, so that a hit skips every other middleware, routing and the provider.
    this.cache = config.cache?.exact ? new ExactCache(config.cache.exact, { events, cost: this.cost }) : undefined;
    // The semantic cache right after it: it runs only on an exact miss. Its embeddings are a
    // call of this runtime's own (events, cost, middleware), which the semantic cache skips.
    this.semanticCache = config.cache?.semantic
      ? new SemanticCache(config.cache.semantic, {
          events,
          cost: this.cost,
          embed: (params, options) => enterCall(this, events, 'embeddings', params, options).then(embeddingsOf),
          glob: globToRegExp,
        })
      : undefined;
    this.governance = new Governance(config.governance ?? {}, {
      events,
      costs: this.cost,
      store: config.governance?.store ?? defaultStore(),
      targetsOf: (route) => routeTargets(this.#router.resolve(route)),
    });
    // Guardrails before the caches: a cache keys and keeps the guarded request, and a cached answer is guarded like a fresh one.
    const guardrails = config.guardrails?.length
      ? new Guardrails(config.guardrails, { events, complete: (params, options) => enterCall(this, events, 'chat', params, options) })
      : undefined;
    const caches = [guardrails?.middleware, this.cache?.middleware, this.semanticCache?.middleware].filter((middleware) => middleware !== undefined);
    const middleware = caches.length > 0 ? [...caches, ...(config.middleware ?? [])] : (config.middleware ?? []);
    this.#middleware = middleware;
    // The audit trail sees every call first (its scope) and last (the request and answer as guarded).
    this.audit = audit;
    this.#first = audit ? [audit.middleware] : [];
    // Governance runs next: a call it refuses reaches neither the guardrails, the caches nor any other middleware.
    this.requestChain = composeChain([...this.#first, ...(config.governance ? [this.governance.middleware] : []), ...middleware], 'request', (ctx) => this.#route(ctx));
    if (config.governance) this.#scopedChain = this.requestChain;
    // The guardrails are a request-level middleware only: the attempt chain is the caches' and the user's.
    this.#attemptChain = composeChain(middleware, 'attempt', (ctx) => this.#callProvider(ctx));
  }

  /** The request chain of a call governance must see whatever the config (a scoped client's, one with `regions`): governance first. */
  get governedRequestChain(): Handler<RequestContext> {
    return (this.#scopedChain ??= composeChain([...this.#first, this.governance.middleware, ...this.#middleware], 'request', (ctx) => this.#route(ctx)));
  }

  /** The stream a caller iterates, with the idle watch when one applies. */
  stream(record: CallRecord, stream: AsyncIterable<ChatCompletionChunk>): ChatCompletionStream {
    const includeUsage = (record.params as ChatCompletionCreateParams).stream_options?.include_usage === true;
    const idleMs = record.options.idleTimeout ?? this.defaults.idleTimeout;
    const signal = record.serving?.signal;
    const idle = idleMs !== undefined && signal ? { idleMs, now: this.now, expire: (ms: number) => signal.expire(ms) } : undefined;
    return new ChatCompletionStream(stream[Symbol.asyncIterator](), record, includeUsage, idle);
  }

  /** Runs after the request chain: resolves the route; the executor tries its targets. */
  #route(ctx: RequestContext): Promise<Result> {
    const route = this.#router.resolve(ctx.params.model);
    const record = GatewayRequestContext.recordOf(ctx);
    record.strategy = route.kind;
    return this.#executor.run(record, route);
  }

  /** One try against one target, through the attempt chain, under the attempt's own deadline. */
  async #attempt(record: CallRecord, attempt: AttemptRecord, target: Target): Promise<Result> {
    const signal = this.#attemptSignal(record, attempt);
    try {
      // Inside the try: a params getter that throws ends this attempt as failed, like any failure.
      const ctx = GatewayAttemptContext.of(record.context, attempt, target.adapter, signal ? signal.signal : record.signal, {
        ...record.params,
        ...target.params,
        model: target.model,
      });
      const observer = record.observer;
      const result = await (observer ? observer.attempt(ctx, () => this.#attemptChain(ctx)) : this.#attemptChain(ctx));
      // The answer (or a stream's first chunk) is in: the attempt's deadline is met.
      signal?.stopTimer();
      const now = this.now();
      attempt.latencyMs = now - attempt.startedAt;
      record.serving = attempt;
      // A stream's attempt lasts as long as its stream: the call's end ends it.
      if (result.kind === 'stream') {
        attempt.signal = signal;
      } else {
        signal?.dispose();
        record.endAttempt(attempt, 'success', undefined, now);
      }
      return result;
    } catch (error) {
      signal?.dispose();
      // The attempt's own deadline fired: say so, whatever the adapter made of the abort.
      const normalised = record.normaliseError(signal?.timedOut ? (signal.signal.reason as unknown) : error);
      // Name the provider as the app configured it (e.g. 'local'), not the adapter family.
      if (normalised instanceof GatewayError) normalised.provider = target.provider;
      record.endAttempt(attempt, normalised instanceof AbortError ? 'aborted' : 'error', normalised);
      throw normalised;
    }
  }

  /** An attempt gets its own signal when it has a deadline of its own or its stream may go idle. */
  #attemptSignal(record: CallRecord, attempt: AttemptRecord): CallSignal | undefined {
    const options = record.options;
    const attemptTimeout = options.attemptTimeout ?? this.defaults.attemptTimeout;
    const firstChunk = record.stream ? (options.firstChunkTimeout ?? this.defaults.firstChunkTimeout) : undefined;
    const idle = record.stream ? (options.idleTimeout ?? this.defaults.idleTimeout) : undefined;
    if (attemptTimeout === undefined && firstChunk === undefined && idle === undefined) return undefined;
    const deadline = attemptTimeout === undefined ? firstChunk : firstChunk === undefined ? attemptTimeout : Math.min(attemptTimeout, firstChunk);
    const signal = new CallSignal(deadline, record.signal);
    attempt.onRelease(() => signal.dispose());
    return signal;
  }

  #emitHealth(deployment: string, transition: CircuitBreakerTransition): void {
    const type = transition.to === 'open' ? 'deployment.cooldown' : transition.to === 'closed' ? 'deployment.recovered' : 'deployment.probing';
    if (!this.#events.wants(type)) return;
    const until = transition.retryAt === undefined ? undefined : Date.now() + Math.max(0, transition.retryAt - transition.at);
    this.#events.emit({ type, requestId: '', timestamp: Date.now(), deployment, reason: transition.reason, until });
  }

  /** The innermost handler: one provider call. A stream's first chunk is read here. */
  #callProvider(ctx: AttemptContext): Promise<Result> {
    const attempt = GatewayAttemptContext.recordOf(ctx);
    const call = new AdapterCall(ctx.request, attempt, ctx.signal);
    // Non-stream chat, the common case, without an async frame of its own. Usage is recorded
    // here, before any middleware sees the answer: what the provider billed, whatever follows.
    if (ctx.operation === 'chat' && !ctx.request.stream) return ctx.adapter.chat({ params: ctx.params }, call).then((completion) => completionResult(completion, attempt, call));
    return this.#callProviderAsync(ctx, call, attempt);
  }

  async #callProviderAsync(ctx: AttemptContext, call: AdapterCall, attempt: AttemptRecord): Promise<Result> {
    if (ctx.operation === 'embeddings') {
      if (!ctx.adapter.embed) {
        throw new UnsupportedFeatureError('embeddings', `Provider '${ctx.provider}' has no embeddings API.`, {
          provider: ctx.provider,
          model: ctx.model,
        });
      }
      const response = await ctx.adapter.embed({ params: ctx.params }, call);
      call.consumed = usageFromEmbeddings(response.usage);
      attempt.answer = response;
      attempt.answerCall = call;
      return { kind: 'embeddings', response };
    }
    const iterator = ctx.adapter.stream({ params: ctx.params }, call)[Symbol.asyncIterator]();
    let first: IteratorResult<ChatCompletionChunk>;
    try {
      first = await iterator.next();
    } catch (error) {
      // Whatever broke reading the stream, the caller sees a typed error.
      throw typedStreamError(error, ctx.provider, ctx.model);
    }
    const record = GatewayRequestContext.recordOf(ctx.request);
    record.firstChunkAt ??= this.now();
    // If a middleware drops this stream (throws after getting it), the provider stream is
    // still released when the attempt ends. Returning a finished iterator is a no-op.
    attempt.onRelease(() => void iterator.return?.()?.catch(() => undefined));
    const stream = new PrimedStream(first, iterator);
    attempt.answer = stream;
    attempt.answerCall = call;
    return { kind: 'stream', stream };
  }
}

/** An embeddings call's result; anything else (a middleware that answered otherwise) is a failure. */
function embeddingsOf(result: CallResult): CreateEmbeddingResponse {
  if (result instanceof ChatCompletionStream || result.object !== 'list') throw new TypeError('The embeddings call did not answer with embeddings.');
  return result;
}

function completionResult(completion: ChatCompletion, attempt: AttemptRecord, call: AdapterCall): Result {
  if (completion.usage) call.consumed = usageFromCompletionUsage(completion.usage);
  attempt.answer = completion;
  attempt.answerCall = call;
  return { kind: 'completion', completion };
}
