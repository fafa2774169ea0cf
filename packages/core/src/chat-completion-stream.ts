import type { ChatCompletionChunk } from './contract/chat-chunk.js';
import { AbortError, GatewayError, StreamInterruptedError, TimeoutError } from './errors.js';
import type { RequestState } from './request-state.js';
import { usageFromCompletionUsage } from './usage.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The stream a caller iterates. It is the only per-chunk layer the gateway adds: it
 * records usage, drops the usage chunk the caller did not ask for, and ends the request
 * exactly once: on the last chunk, on an error, or when the consumer stops early.
 */
export interface IdleWatch {
  /** Longest silence allowed between chunks, in ms. */
  idleMs: number;
  now: () => number;
  /** Cuts the stream (aborts the attempt's signal with a TimeoutError). */
  expire: (idleMs: number) => void;
}

export class ChatCompletionStream implements AsyncIterableIterator<ChatCompletionChunk> {
  readonly #inner: AsyncIterator<ChatCompletionChunk>;
  readonly #request: RequestState;
  readonly #includeUsage: boolean;
  #delivered = 0;
  #closed = false;
  /** A `next()` is waiting on the provider. */
  #pending = false;
  /** Why the stream ended while nobody was reading; the next `next()` rejects with it. */
  #failure: unknown;
  readonly #idle: IdleWatch | undefined;
  /** When the pending `next()` began waiting; `undefined` while the caller holds a chunk. */
  #waitingSince: number | undefined;
  #idleTimer: NodeJS.Timeout | undefined;

  constructor(inner: AsyncIterator<ChatCompletionChunk>, request: RequestState, includeUsage: boolean, idle?: IdleWatch) {
    this.#inner = inner;
    this.#request = request;
    this.#includeUsage = includeUsage;
    this.#idle = idle;
    const signal = request.signal;
    if (signal) {
      // Aborted or timed out while nobody is reading: end the request now, not never.
      const onAbort = () => {
        if (this.#closed || this.#pending) return;
        this.#closed = true;
        this.#failure = request.fail(signal.reason);
        this.#inner.return?.().catch(() => undefined);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      request.onFinish(() => signal.removeEventListener('abort', onAbort));
    }
    if (idle) {
      // One timer per stream, re-armed only when it fires; each chunk just notes times. Only
      // time spent waiting on the provider counts: a slow reader is not an idle provider.
      this.#armIdle(idle.idleMs);
      request.onFinish(() => clearTimeout(this.#idleTimer));
    }
  }

  #armIdle(delay: number): void {
    const idle = this.#idle as IdleWatch;
    this.#idleTimer = setTimeout(() => {
      const since = this.#waitingSince;
      const silent = since === undefined ? 0 : idle.now() - since;
      if (silent >= idle.idleMs) idle.expire(idle.idleMs);
      else this.#armIdle(idle.idleMs - silent);
    }, delay);
    this.#idleTimer.unref();
  }

  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (this.#closed) {
      const failure = this.#failure;
      if (failure === undefined) return Promise.resolve(DONE);
      this.#failure = undefined;
      return Promise.reject(failure);
    }
    this.#pending = true;
    if (this.#idle) this.#waitingSince = this.#idle.now();
    return this.#inner.next().then(this.#onResult, this.#onError);
  }

  readonly #onResult = (
    result: IteratorResult<ChatCompletionChunk>,
  ): IteratorResult<ChatCompletionChunk> | Promise<IteratorResult<ChatCompletionChunk>> => {
    this.#pending = false;
    if (this.#closed) return DONE;
    if (result.done) {
      this.#closed = true;
      this.#request.finish('success');
      return DONE;
    }
    const chunk = result.value;
    this.#waitingSince = undefined;
    if (chunk.usage) {
      this.#request.usage = usageFromCompletionUsage(chunk.usage);
      if (!this.#includeUsage && chunk.choices.length === 0) return this.next();
    }
    // Adapters always ask for usage; hide it (and the `usage: null` that comes with it) from
    // a caller who did not. Assigning keeps the object's shape, unlike `delete`.
    if (!this.#includeUsage && chunk.usage !== undefined) chunk.usage = undefined;
    this.#delivered++;
    return result;
  };

  readonly #onError = (error: unknown): never => {
    this.#pending = false;
    if (this.#closed) throw error;
    this.#closed = true;
    let failure = error;
    // After the first chunk nothing can be retried: say so, unless the caller stopped it.
    if (error instanceof GatewayError && !(error instanceof AbortError) && !(error instanceof TimeoutError)) {
      const request = this.#request;
      failure = new StreamInterruptedError(
        `Stream from ${request.provider}/${request.model} was interrupted after ${this.#delivered} chunk(s): ${error.message}`,
        { provider: request.provider, model: error.model ?? request.model, cause: error },
      );
    }
    throw this.#request.fail(failure);
  };

  async return(value?: unknown): Promise<IteratorResult<ChatCompletionChunk>> {
    if (!this.#closed) {
      this.#closed = true;
      this.#request.finish('abandoned');
      try {
        await this.#inner.return?.(value);
      } catch {
        // The consumer has stopped reading; a failure while releasing the connection is not theirs.
      }
    }
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
