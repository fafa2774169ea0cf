import type { CallContext } from '../adapter/adapter.js';
import { CallSignal } from '../pipeline/call-signal.js';
import { ChatCompletionStream } from '../pipeline/chat-completion-stream.js';
import { composeChain } from '../pipeline/compose.js';
import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { Clock, GatewayConfig } from './config.js';
import { catalogFromConfig } from './catalog-config.js';
import { GatewayError, UnsupportedFeatureError } from '../errors/errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { AttemptContext, RequestContext, Result } from '../pipeline/middleware.js';
import { PrimedStream } from '../pipeline/primed-stream.js';
import { serializeError, type RequestState } from '../pipeline/request-state.js';
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
  readonly #router: Router;
  readonly #events: EventBus;
  readonly #attemptChain: Handler<AttemptContext>;
  readonly #executor: RouteExecutor;

  constructor(config: GatewayConfig, events: EventBus) {
    this.#events = events;
    const catalog = catalogFromConfig(config);
    this.#router = new Router(config.providers, config.models, catalog);
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
      (state, target) => this.#attempt(state, target),
    );
    const middleware = config.middleware ?? [];
    this.requestChain = composeChain(middleware, 'request', (ctx) => this.#route(ctx));
    this.#attemptChain = composeChain(middleware, 'attempt', (ctx) => this.#callProvider(ctx));
  }

  /** The stream a caller iterates, with the idle watch when one applies. */
  stream(state: RequestState, stream: AsyncIterable<ChatCompletionChunk>): ChatCompletionStream {
    const includeUsage = (state.params as ChatCompletionCreateParams).stream_options?.include_usage === true;
    const idleMs = state.options.idleTimeout ?? this.defaults.idleTimeout;
    const signal = state.streamSignal;
    const idle = idleMs !== undefined && signal ? { idleMs, now: this.now, expire: (ms: number) => signal.expire(ms) } : undefined;
    return new ChatCompletionStream(stream[Symbol.asyncIterator](), state, includeUsage, idle);
  }

  /** Runs after the request chain: resolves the route; the executor tries its targets. */
  #route(ctx: RequestContext): Promise<Result> {
    return this.#executor.run(ctx as unknown as RequestState, this.#router.resolve(ctx.params.model));
  }

  /** One try against one target, through the attempt chain, under the attempt's own deadline. */
  async #attempt(state: RequestState, target: Target): Promise<Result> {
    const attempt = ++state.attempts;
    state.provider = target.provider;
    state.model = target.model;
    const signal = this.#attemptSignal(state);
    const ctx = {
      request: state.context,
      attempt,
      provider: target.provider,
      model: target.model,
      adapter: target.adapter,
      signal: signal ? signal.signal : state.signal,
      operation: state.operation,
      params: { ...state.params, ...target.params, model: target.model },
    } as AttemptContext;
    const startedAt = this.now();
    try {
      const result = await this.#attemptChain(ctx);
      // The answer (or a stream's first chunk) is in: the attempt's deadline is met.
      signal?.stopTimer();
      if (signal && result.kind === 'stream') state.streamSignal = signal;
      else signal?.dispose();
      this.#emitAttemptEnd(state, target, attempt, startedAt);
      return result;
    } catch (error) {
      signal?.dispose();
      // The attempt's own deadline fired: say so, whatever the adapter made of the abort.
      const normalised = state.normaliseError(signal?.timedOut ? (signal.signal.reason as unknown) : error);
      // Name the provider as the app configured it (e.g. 'local'), not the adapter family.
      if (normalised instanceof GatewayError) normalised.provider = target.provider;
      this.#emitAttemptEnd(state, target, attempt, startedAt, normalised);
      throw normalised;
    }
  }

  /** An attempt gets its own signal when it has a deadline of its own or its stream may go idle. */
  #attemptSignal(state: RequestState): CallSignal | undefined {
    const options = state.options;
    const attemptTimeout = options.attemptTimeout ?? this.defaults.attemptTimeout;
    const firstChunk = state.stream ? (options.firstChunkTimeout ?? this.defaults.firstChunkTimeout) : undefined;
    const idle = state.stream ? (options.idleTimeout ?? this.defaults.idleTimeout) : undefined;
    if (attemptTimeout === undefined && firstChunk === undefined && idle === undefined) return undefined;
    const deadline = attemptTimeout === undefined ? firstChunk : firstChunk === undefined ? attemptTimeout : Math.min(attemptTimeout, firstChunk);
    const signal = new CallSignal(deadline, state.signal);
    state.onFinish(() => signal.dispose());
    return signal;
  }

  #emitHealth(deployment: string, transition: CircuitBreakerTransition): void {
    const type = transition.to === 'open' ? 'deployment.cooldown' : transition.to === 'closed' ? 'deployment.recovered' : 'deployment.probing';
    if (!this.#events.wants(type)) return;
    const until = transition.retryAt === undefined ? undefined : Date.now() + Math.max(0, transition.retryAt - transition.at);
    this.#events.emit({ type, requestId: '', timestamp: Date.now(), deployment, reason: transition.reason, until });
  }

  #emitAttemptEnd(state: RequestState, target: Target, attempt: number, startedAt: number, error?: unknown): void {
    if (!this.#events.wants('attempt.end')) return;
    this.#events.emit({
      type: 'attempt.end',
      requestId: state.requestId,
      timestamp: Date.now(),
      attempt,
      provider: target.provider,
      model: target.model,
      outcome: error === undefined ? 'success' : 'error',
      latencyMs: this.now() - startedAt,
      ...(error === undefined ? {} : { error: serializeError(error) }),
    });
  }

  /** The innermost handler: one provider call. A stream's first chunk is read here. */
  #callProvider(ctx: AttemptContext): Promise<Result> {
    const call = new AdapterCall(ctx.request, ctx.signal);
    // Non-stream chat, the common case, without an async frame of its own.
    if (ctx.operation === 'chat' && !ctx.request.stream) return ctx.adapter.chat({ params: ctx.params }, call).then(completionResult);
    return this.#callProviderAsync(ctx, call);
  }

  async #callProviderAsync(ctx: AttemptContext, call: CallContext): Promise<Result> {
    if (ctx.operation === 'embeddings') {
      if (!ctx.adapter.embed) {
        throw new UnsupportedFeatureError('embeddings', `Provider '${ctx.provider}' has no embeddings API.`, {
          provider: ctx.provider,
          model: ctx.model,
        });
      }
      return { kind: 'embeddings', response: await ctx.adapter.embed({ params: ctx.params }, call) };
    }
    const iterator = ctx.adapter.stream({ params: ctx.params }, call)[Symbol.asyncIterator]();
    let first: IteratorResult<ChatCompletionChunk>;
    try {
      first = await iterator.next();
    } catch (error) {
      // Whatever broke reading the stream, the caller sees a typed error.
      throw typedStreamError(error, ctx.provider, ctx.model);
    }
    const state = ctx.request as unknown as RequestState;
    state.firstChunkAt ??= this.now();
    // If a middleware drops this stream (throws after getting it), the provider stream is
    // still released when the request ends. Returning a finished iterator is a no-op.
    state.onFinish(() => void iterator.return?.()?.catch(() => undefined));
    return { kind: 'stream', stream: new PrimedStream(first, iterator) };
  }
}

function completionResult(completion: ChatCompletion): Result {
  return { kind: 'completion', completion };
}

/** What an adapter sees of one attempt; the request id is only made if the adapter reads it. */
class AdapterCall implements CallContext {
  readonly #request: RequestContext;
  readonly signal: AbortSignal | undefined;

  constructor(request: RequestContext, signal: AbortSignal | undefined) {
    this.#request = request;
    this.signal = signal;
  }

  get requestId(): string {
    return this.#request.requestId;
  }
}
