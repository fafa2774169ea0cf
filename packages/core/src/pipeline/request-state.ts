import { randomUUID } from 'node:crypto';
import type { CallMeta } from './call-promise.js';
import type { CallOptions, Principal, RequestMetadata } from '../contract/call-options.js';
import type { CallSignal } from './call-signal.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../contract/embeddings.js';
import { MAX_MODEL_LENGTH } from '../contract/shared-schemas.js';
import { AbortError, GatewayError, TimeoutError, type SerializedError } from '../errors/errors.js';
import type { EventBus } from '../events/event-bus.js';
import { excerpt } from '../errors/excerpt.js';
import type { AbandonReason, RequestOutcome } from '../events/events.js';
import type { Operation, RequestContext } from './middleware.js';
import type { Usage } from '../adapter/usage.js';

const EMPTY_METADATA: RequestMetadata = Object.freeze({}) as RequestMetadata;
const EMPTY_TAGS: readonly string[] = Object.freeze([]);

export interface RequestStateInit {
  operation: Operation;
  params: ChatCompletionCreateParams | EmbeddingCreateParams;
  options: CallOptions;
  stream: boolean;
  startedAt: number;
  signal: AbortSignal | undefined;
  callSignal: CallSignal | undefined;
  events: EventBus;
  now: () => number;
}

/**
 * Everything the gateway tracks about one call. Middleware see it as the
 * `RequestContext`; callers see it as `CallMeta`. `finish` runs once and emits the
 * request's single terminal event.
 */
export class RequestState implements CallMeta {
  readonly operation: Operation;
  params: ChatCompletionCreateParams | EmbeddingCreateParams;
  readonly options: CallOptions;
  readonly stream: boolean;
  readonly route: string;
  readonly principal: Principal | undefined;
  readonly metadata: RequestMetadata;
  readonly tags: readonly string[];
  readonly signal: AbortSignal | undefined;
  readonly startedAt: number;
  provider: string | undefined;
  model: string | undefined;
  attempts = 0;
  usage: Usage | undefined;
  latencyMs: number | undefined;
  firstChunkAt: number | undefined;
  outcome: RequestOutcome | undefined;
  /** Set with outcome `abandoned`: how the consumer left the stream. */
  abandoned: AbandonReason | undefined;
  /** Streams: the serving attempt's signal, which an idle stream is cut through. */
  streamSignal: CallSignal | undefined;
  #requestId: string | undefined;
  #state: Map<unknown, unknown> | undefined;
  #disposers: Array<() => void> | undefined;
  #finished: Promise<CallMeta> | undefined;
  #resolveFinished: ((meta: CallMeta) => void) | undefined;
  readonly #callSignal: CallSignal | undefined;
  readonly #events: EventBus;
  readonly #now: () => number;

  constructor(init: RequestStateInit) {
    this.operation = init.operation;
    this.params = init.params;
    this.options = init.options;
    this.stream = init.stream;
    const model: unknown = init.params?.model;
    // A model too long to be valid is rejected; its events quote it, not carry it whole.
    this.route = typeof model === 'string' ? (model.length <= MAX_MODEL_LENGTH ? model : excerpt(model)) : '(none)';
    this.principal = init.options.principal;
    this.metadata = init.options.metadata ?? EMPTY_METADATA;
    this.tags = init.options.tags ?? EMPTY_TAGS;
    this.signal = init.signal;
    this.startedAt = init.startedAt;
    this.#callSignal = init.callSignal;
    this.#events = init.events;
    this.#now = init.now;
  }

  /** Made on first read: a call nobody observes (no listener, no meta) skips the random id. */
  get requestId(): string {
    return (this.#requestId ??= randomUUID());
  }

  /** Runs when the call has finished (attempt timers, signal links). */
  onFinish(dispose: () => void): void {
    (this.#disposers ??= []).push(dispose);
  }

  get state(): Map<unknown, unknown> {
    return (this.#state ??= new Map());
  }

  get context(): RequestContext {
    return this as unknown as RequestContext;
  }

  get timeToFirstChunkMs(): number | undefined {
    return this.firstChunkAt === undefined ? undefined : this.firstChunkAt - this.startedAt;
  }

  get finished(): Promise<CallMeta> {
    if (!this.#finished) {
      if (this.outcome !== undefined) this.#finished = Promise.resolve(this);
      else this.#finished = new Promise((resolve) => (this.#resolveFinished = resolve));
    }
    return this.#finished;
  }

  /** Turns any failure into the error the caller should see (timeouts and aborts typed). */
  normaliseError(error: unknown): unknown {
    const base = error instanceof GatewayError ? error : undefined;
    const options = { provider: base?.provider ?? this.provider, model: base?.model ?? this.model };
    let normalised = error;
    if (this.#callSignal?.timedOut && !(error instanceof TimeoutError)) {
      normalised = new TimeoutError(this.options.timeout ?? (this.#callSignal.signal.reason as TimeoutError).timeoutMs, options);
    } else if (!base && this.signal?.aborted) {
      normalised = new AbortError(options);
    }
    if (normalised instanceof GatewayError) {
      normalised.requestId = this.requestId;
      normalised.attempts = this.attempts;
    }
    return normalised;
  }

  /** Ends the call once: records the outcome, releases its timer, emits `request.end`. */
  finish(outcome: RequestOutcome, error?: unknown): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.latencyMs = this.#now() - this.startedAt;
    this.#callSignal?.dispose();
    if (this.#disposers) for (const dispose of this.#disposers) dispose();
    if (this.#events.wants('request.end')) {
      this.#events.emit({
        type: 'request.end',
        requestId: this.requestId,
        timestamp: Date.now(),
        operation: this.operation,
        route: this.route,
        stream: this.stream,
        outcome,
        ...(this.abandoned === undefined ? {} : { abandoned: this.abandoned }),
        provider: this.provider,
        model: this.model,
        attempts: this.attempts,
        usage: this.usage,
        latencyMs: this.latencyMs,
        timeToFirstChunkMs: this.timeToFirstChunkMs,
        error: error === undefined ? undefined : serializeError(error),
        principal: this.principal,
        metadata: this.metadata,
        tags: this.tags,
      });
    }
    this.#resolveFinished?.(this);
  }

  /** Ends a stream its consumer left: `returned` (break, `return()`), `unread` (never read in time), `collected` (dropped). */
  abandon(reason: AbandonReason): void {
    if (this.outcome !== undefined) return;
    this.abandoned = reason;
    this.finish('abandoned');
  }

  /** Ends the call with a failure and returns the error to throw. */
  fail(error: unknown): unknown {
    const normalised = this.normaliseError(error);
    this.finish(normalised instanceof AbortError ? 'aborted' : 'error', normalised);
    return normalised;
  }
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof GatewayError) return error.toJSON();
  // Foreign errors (a custom middleware's) keep their name only: their message may hold anything.
  const name = error instanceof Error ? error.name : typeof error;
  return { name, code: 'internal_error', message: `${name} thrown inside the gateway`, retryable: false };
}
