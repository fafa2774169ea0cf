import { randomUUID } from 'node:crypto';
import type { CallContext } from './adapter.js';
import { toCallPromise, type CallPromise } from './call-promise.js';
import { callOptionsSchema, type CallOptions } from './call-options.js';
import { CallSignal } from './call-signal.js';
import { ChatCompletionStream } from './chat-completion-stream.js';
import { composeChain } from './compose.js';
import type { ChatCompletion } from './contract/chat-completion.js';
import {
  chatCompletionCreateParamsShape,
  type ChatCompletionCreateParams,
  type ChatCompletionCreateParamsNonStreaming,
  type ChatCompletionCreateParamsStreaming,
} from './contract/chat-params.js';
import {
  embeddingCreateParamsShape,
  type CreateEmbeddingResponse,
  type EmbeddingCreateParams,
} from './contract/embeddings.js';
import { formatPath, validateConfig, type Clock, type GatewayConfig } from './config.js';
import { AbortError, GatewayError, InvalidRequestError, UnsupportedFeatureError } from './errors.js';
import { EventBus } from './event-bus.js';
import type { EventListener, EventOfType, GatewayEventType } from './events.js';
import type { AttemptContext, Operation, RequestContext, Result } from './middleware.js';
import { PrimedStream } from './primed-stream.js';
import { RequestState, serializeError } from './request-state.js';
import { Router } from './router.js';
import { DeploymentHealth } from './routing/deployment-health.js';
import { defaultFallbackOn } from './routing/fallback-policy.js';
import { RouteExecutor } from './routing/route-executor.js';
import type { Target } from './routing/route-tree.js';
import type { CircuitBreakerTransition } from './routing/circuit-breaker.js';
import { validateFields } from './contract/validate-fields.js';
import { usageFromCompletionUsage, usageFromEmbeddings } from './usage.js';

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

type CallResult = ChatCompletion | ChatCompletionStream | CreateEmbeddingResponse;
type Handler<Ctx> = (ctx: Ctx) => Promise<Result>;

const performanceClock: Clock = performance;
const NO_OPTIONS: CallOptions = Object.freeze({});

/**
 * The in-process gateway: OpenAI's `chat.completions.create` and `embeddings.create`,
 * routed through the configured middleware, router and provider adapters.
 */
export class Gateway {
  readonly chat: { readonly completions: ChatCompletions };
  readonly embeddings: Embeddings;
  readonly #router: Router;
  readonly #events: EventBus;
  readonly #requestChain: Handler<RequestContext>;
  readonly #attemptChain: Handler<AttemptContext>;
  readonly #defaults: NonNullable<GatewayConfig['defaults']>;
  readonly #now: () => number;
  readonly #executor: RouteExecutor;

  constructor(config: GatewayConfig) {
    validateConfig(config);
    this.#router = new Router(config.providers, config.models, config.routing?.prices);
    this.#events = new EventBus(config.onEventError);
    if (config.onEvent) this.#events.on('*', config.onEvent);
    const clock = config.clock ?? performanceClock;
    this.#now = () => clock.now();
    this.#defaults = config.defaults ?? {};
    const routing = config.routing ?? {};
    const health = new DeploymentHealth(
      {
        breaker: routing.breaker,
        retryBudget: routing.retryBudget,
        onTransition: (deployment, transition) => this.#emitHealth(deployment, transition),
      },
      this.#now,
    );
    this.#executor = new RouteExecutor(
      {
        events: this.#events,
        now: this.#now,
        random: routing.random ?? Math.random,
        health,
        retry: routing.retry ?? {},
        fallbackOn: routing.fallbackOn ?? defaultFallbackOn,
      },
      (state, target) => this.#attempt(state, target),
    );
    const middleware = config.middleware ?? [];
    this.#requestChain = composeChain(middleware, 'request', (ctx) => this.#route(ctx));
    this.#attemptChain = composeChain(middleware, 'attempt', (ctx) => this.#callProvider(ctx));
    const create = (params: ChatCompletionCreateParams, options?: CallOptions) =>
      this.#create('chat', params, options);
    this.chat = { completions: { create } as ChatCompletions };
    this.embeddings = {
      create: (params, options) =>
        this.#create('embeddings', params, options) as CallPromise<CreateEmbeddingResponse>,
    };
  }

  /** Subscribes to one event type (or `'*'` for all); returns the unsubscribe function. */
  on<T extends GatewayEventType>(type: T, listener: EventListener<EventOfType<T>>): () => void;
  on(type: '*', listener: EventListener): () => void;
  on(type: GatewayEventType | '*', listener: EventListener<never>): () => void {
    return this.#events.on(type, listener as EventListener);
  }

  #create(
    operation: Operation,
    params: ChatCompletionCreateParams | EmbeddingCreateParams,
    options: CallOptions = NO_OPTIONS,
  ): CallPromise<CallResult> {
    const timeout = options.timeout ?? this.#defaults.timeout;
    const callSignal = timeout === undefined ? undefined : new CallSignal(timeout, options.signal);
    const state = new RequestState({
      requestId: randomUUID(),
      operation,
      params,
      options,
      stream: operation === 'chat' && (params as ChatCompletionCreateParams).stream === true,
      startedAt: this.#now(),
      signal: callSignal ? callSignal.signal : options.signal,
      callSignal,
      events: this.#events,
      now: this.#now,
    });
    if (this.#events.wants('request.start')) {
      this.#events.emit({
        type: 'request.start',
        requestId: state.requestId,
        timestamp: Date.now(),
        operation,
        route: state.route,
        stream: state.stream,
        principal: state.principal,
        metadata: state.metadata,
        tags: state.tags,
      });
    }
    return toCallPromise(this.#run(state), state);
  }

  async #run(state: RequestState): Promise<CallResult> {
    try {
      validateRequest(state);
      if (state.signal?.aborted) throw new AbortError();
      const result = await this.#requestChain(state.context);
      switch (result.kind) {
        case 'completion':
          if (result.completion.usage) state.usage = usageFromCompletionUsage(result.completion.usage);
          state.finish('success');
          return result.completion;
        case 'embeddings':
          state.usage = usageFromEmbeddings(result.response.usage);
          state.finish('success');
          return result.response;
        case 'stream': {
          const includeUsage = (state.params as ChatCompletionCreateParams).stream_options?.include_usage === true;
          const idleMs = state.options.idleTimeout ?? this.#defaults.idleTimeout;
          const signal = state.streamSignal;
          const idle = idleMs !== undefined && signal ? { idleMs, now: this.#now, expire: (ms: number) => signal.expire(ms) } : undefined;
          return new ChatCompletionStream(result.stream[Symbol.asyncIterator](), state, includeUsage, idle);
        }
      }
    } catch (error) {
      throw state.fail(error);
    }
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
    const startedAt = this.#now();
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
    const attemptTimeout = options.attemptTimeout ?? this.#defaults.attemptTimeout;
    const firstChunk = state.stream ? (options.firstChunkTimeout ?? this.#defaults.firstChunkTimeout) : undefined;
    const idle = state.stream ? (options.idleTimeout ?? this.#defaults.idleTimeout) : undefined;
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
      latencyMs: this.#now() - startedAt,
      ...(error === undefined ? {} : { error: serializeError(error) }),
    });
  }

  /** The innermost handler: one provider call. A stream's first chunk is read here. */
  async #callProvider(ctx: AttemptContext): Promise<Result> {
    const call: CallContext = { requestId: ctx.request.requestId, signal: ctx.signal };
    if (ctx.operation === 'embeddings') {
      if (!ctx.adapter.embed) {
        throw new UnsupportedFeatureError('embeddings', `Provider '${ctx.provider}' has no embeddings API.`, {
          provider: ctx.provider,
          model: ctx.model,
        });
      }
      return { kind: 'embeddings', response: await ctx.adapter.embed({ params: ctx.params }, call) };
    }
    if (!ctx.request.stream) return { kind: 'completion', completion: await ctx.adapter.chat({ params: ctx.params }, call) };
    const iterator = ctx.adapter.stream({ params: ctx.params }, call)[Symbol.asyncIterator]();
    const first = await iterator.next();
    const state = ctx.request as unknown as RequestState;
    state.firstChunkAt ??= this.#now();
    return { kind: 'stream', stream: new PrimedStream(first, iterator) };
  }
}

export function createGateway(config: GatewayConfig): Gateway {
  return new Gateway(config);
}

const CHAT_REQUIRED = ['model', 'messages'] as const;
const EMBEDDINGS_REQUIRED = ['model', 'input'] as const;

function validateRequest(state: RequestState): void {
  const issues =
    state.operation === 'chat'
      ? validateFields(chatCompletionCreateParamsShape, CHAT_REQUIRED, state.params)
      : validateFields(embeddingCreateParamsShape, EMBEDDINGS_REQUIRED, state.params);
  if (state.options !== NO_OPTIONS) {
    const options = callOptionsSchema.safeParse(state.options);
    if (!options.success) {
      for (const i of options.error.issues) issues.push({ path: `options.${formatPath(i.path)}`, message: i.message });
    }
  }
  if (issues.length > 0) {
    const lines = issues.map((issue) => `  - ${issue.path || '(params)'}: ${issue.message}`).join('\n');
    throw new InvalidRequestError(`Invalid ${state.operation} request; nothing was sent:\n${lines}`, issues);
  }
}
