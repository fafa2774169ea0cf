import { toCallPromise, type CallPromise } from '../pipeline/call-promise.js';
import { MAX_TIMER_MS, callOptionsSchema, type CallOptions } from '../contract/call-options.js';
import { CallSignal } from '../pipeline/call-signal.js';
import type { ChatCompletionStream } from '../pipeline/chat-completion-stream.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import {
  chatCompletionCreateParamsShape,
  type ChatCompletionCreateParams,
  type ChatCompletionCreateParamsNonStreaming,
  type ChatCompletionCreateParamsStreaming,
} from '../contract/chat-params.js';
import {
  embeddingCreateParamsShape,
  type CreateEmbeddingResponse,
  type EmbeddingCreateParams,
} from '../contract/embeddings.js';
import { findUnserialisable } from '../contract/check-serialisable.js';
import { fieldIssue, validateFields } from '../contract/validate-fields.js';
import { formatPath, validateConfig, type GatewayConfig } from './config.js';
import { AbortError, InvalidRequestError, type ConfigIssue } from '../errors/errors.js';
import { EventBus } from '../events/event-bus.js';
import type { EventListener, EventOfType, GatewayEventType } from '../events/events.js';
import { GatewayRuntime } from './gateway-runtime.js';
import type { Operation } from '../pipeline/middleware.js';
import { RequestState } from '../pipeline/request-state.js';
import { usageFromCompletionUsage, usageFromEmbeddings } from '../adapter/usage.js';

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

const NO_OPTIONS: CallOptions = Object.freeze({});

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

  #install(config: GatewayConfig): GatewayRuntime {
    const runtime = new GatewayRuntime(config, this.#events);
    this.#configListener?.();
    this.#configListener = config.onEvent ? this.#events.on('*', config.onEvent) : undefined;
    return runtime;
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
    options: CallOptions | undefined,
  ): CallPromise<CallResult> {
    const runtime = this.#runtime;
    // Bad arguments (null, a string) run as no options and no params as far as the next lines
    // go: validation rejects them, so the caller gets a rejected promise and the usual events.
    const callOptions = typeof options === 'object' && options !== null ? options : NO_OPTIONS;
    const timeout = callOptions.timeout ?? runtime.defaults.timeout;
    // A malformed signal is reported by validation, not thrown from here.
    const userSignal = callOptions.signal instanceof AbortSignal ? callOptions.signal : undefined;
    // An invalid timeout arms nothing: validation rejects the call before anything is sent.
    const callSignal = isDeadline(timeout) ? new CallSignal(timeout, userSignal) : undefined;
    const state = new RequestState({
      operation,
      params,
      options: callOptions,
      stream: operation === 'chat' && (params as Partial<ChatCompletionCreateParams> | null | undefined)?.stream === true,
      startedAt: runtime.now(),
      signal: callSignal ? callSignal.signal : userSignal,
      callSignal,
      events: this.#events,
      now: runtime.now,
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
    return toCallPromise(this.#run(runtime, state, options), state);
  }

  async #run(runtime: GatewayRuntime, state: RequestState, options: unknown): Promise<CallResult> {
    try {
      validateRequest(state, options);
      if (state.signal?.aborted) throw new AbortError();
      const result = await runtime.requestChain(state.context);
      switch (result.kind) {
        case 'completion':
          if (result.completion.usage) state.usage = usageFromCompletionUsage(result.completion.usage);
          state.finish('success');
          return result.completion;
        case 'embeddings':
          state.usage = usageFromEmbeddings(result.response.usage);
          state.finish('success');
          return result.response;
        case 'stream':
          return runtime.stream(state, result.stream);
      }
    } catch (error) {
      throw state.fail(error);
    }
  }
}

export function createGateway(config: GatewayConfig): Gateway {
  return new Gateway(config);
}

function isDeadline(timeout: number | undefined): timeout is number {
  return typeof timeout === 'number' && timeout > 0 && timeout <= MAX_TIMER_MS;
}

const CHAT_REQUIRED = ['model', 'messages'] as const;
const EMBEDDINGS_REQUIRED = ['model', 'input'] as const;
/** The error's message lists this many problems; `issues` has them all. */
const LISTED_ISSUES = 10;

/** `options` is the argument as the caller passed it; `undefined` is no options. */
function validateRequest(state: RequestState, options: unknown): void {
  let issues: ConfigIssue[];
  try {
    issues = requestIssues(state, options);
  } catch (error) {
    // A getter or proxy in the caller's objects threw while being read: the caller's, typed.
    // Only its name: its message is the caller's own text.
    const name = error instanceof Error ? error.name : typeof error;
    issues = [{ path: '', message: `could not be read: reading a field threw ${name} (a getter or proxy in the params or options?).` }];
  }
  if (issues.length > 0) {
    const lines = issues.slice(0, LISTED_ISSUES).map((issue) => `  - ${issue.path || '(params)'}: ${issue.message}`);
    if (issues.length > LISTED_ISSUES) lines.push(`  - … and ${issues.length - LISTED_ISSUES} more (see error.issues)`);
    throw new InvalidRequestError(`Invalid ${state.operation} request; nothing was sent:\n${lines.join('\n')}`, issues);
  }
}

function requestIssues(state: RequestState, options: unknown): ConfigIssue[] {
  const params = state.params;
  const issues =
    state.operation === 'chat'
      ? validateFields(chatCompletionCreateParamsShape, CHAT_REQUIRED, params)
      : validateFields(embeddingCreateParamsShape, EMBEDDINGS_REQUIRED, params);
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    const unsendable = findUnserialisable(params);
    // A BigInt where the contract wants a number is reported once, by the field's own check.
    if (unsendable && !issues.some((issue) => issue.path === unsendable.path)) issues.push(unsendable);
  }
  if (options !== undefined) {
    const parsed = callOptionsSchema.safeParse(options);
    if (!parsed.success) {
      for (const i of parsed.error.issues) issues.push(fieldIssue(i.path.length === 0 ? 'options' : `options.${formatPath(i.path)}`, i.message));
    }
  }
  return issues;
}
