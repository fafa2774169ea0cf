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

/**
 * What a stream shares with its idle timer, its signal listener and its finaliser. It never
 * points back at the stream, so a stream the caller drops unread can be collected, and is
 * then ended as abandoned.
 */
class StreamRun {
  closed = false;
  /** A `next()` is waiting on the provider. */
  pending = false;
  /** Why the stream ended while nobody was reading; the next `next()` rejects with it. */
  failure: unknown;
  /** When the pending `next()` began waiting; `undefined` while the caller holds a chunk. */
  waitingSince: number | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  readonly inner: AsyncIterator<ChatCompletionChunk>;
  readonly request: RequestState;

  constructor(inner: AsyncIterator<ChatCompletionChunk>, request: RequestState) {
    this.inner = inner;
    this.request = request;
  }

  /** Ends a stream that nobody is reading (aborted, timed out, or dropped) and releases the provider's. */
  endUnread(end: () => unknown): void {
    if (this.closed || this.pending) return;
    this.closed = true;
    this.failure = end();
    this.inner.return?.().catch(() => undefined);
  }
}

/** A stream dropped without being read to the end, `break`, or `return()`: end it when it is collected. */
const dropped = new FinalizationRegistry<StreamRun>((run) => run.endUnread(() => void run.request.finish('abandoned')));

export class ChatCompletionStream implements AsyncIterableIterator<ChatCompletionChunk> {
  readonly #run: StreamRun;
  readonly #includeUsage: boolean;
  readonly #idle: IdleWatch | undefined;
  #delivered = 0;

  constructor(inner: AsyncIterator<ChatCompletionChunk>, request: RequestState, includeUsage: boolean, idle?: IdleWatch) {
    const run = new StreamRun(inner, request);
    this.#run = run;
    this.#includeUsage = includeUsage;
    this.#idle = idle;
    dropped.register(this, run, run);
    request.onFinish(() => dropped.unregister(run));
    const signal = request.signal;
    if (signal) {
      // Aborted or timed out while nobody is reading: end the request now, not never.
      const onAbort = () => run.endUnread(() => request.fail(signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
      request.onFinish(() => signal.removeEventListener('abort', onAbort));
    }
    if (idle) {
      // One timer per stream, re-armed only when it fires; each chunk just notes times. Only
      // time spent waiting on the provider counts: a slow reader is not an idle provider.
      armIdle(run, idle, idle.idleMs);
      request.onFinish(() => clearTimeout(run.idleTimer));
    }
  }

  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    const run = this.#run;
    if (run.closed) {
      const failure = run.failure;
      if (failure === undefined) return Promise.resolve(DONE);
      run.failure = undefined;
      return Promise.reject(failure);
    }
    run.pending = true;
    if (this.#idle) run.waitingSince = this.#idle.now();
    return run.inner.next().then(this.#onResult, this.#onError);
  }

  readonly #onResult = (
    result: IteratorResult<ChatCompletionChunk>,
  ): IteratorResult<ChatCompletionChunk> | Promise<IteratorResult<ChatCompletionChunk>> => {
    const run = this.#run;
    run.pending = false;
    if (run.closed) return DONE;
    if (result.done) {
      run.closed = true;
      run.request.finish('success');
      return DONE;
    }
    const chunk = result.value;
    run.waitingSince = undefined;
    if (chunk.usage) {
      run.request.usage = usageFromCompletionUsage(chunk.usage);
      if (!this.#includeUsage && chunk.choices.length === 0) return this.next();
    }
    // Adapters always ask for usage; hide it (and the `usage: null` that comes with it) from
    // a caller who did not. Assigning keeps the object's shape, unlike `delete`.
    if (!this.#includeUsage && chunk.usage !== undefined) chunk.usage = undefined;
    this.#delivered++;
    return result;
  };

  readonly #onError = (error: unknown): never => {
    const run = this.#run;
    run.pending = false;
    if (run.closed) throw error;
    run.closed = true;
    let failure = error;
    // After the first chunk nothing can be retried: say so, unless the caller stopped it.
    if (error instanceof GatewayError && !(error instanceof AbortError) && !(error instanceof TimeoutError)) {
      const request = run.request;
      failure = new StreamInterruptedError(
        `Stream from ${request.provider}/${request.model} was interrupted after ${this.#delivered} chunk(s): ${error.message}`,
        { provider: request.provider, model: error.model ?? request.model, cause: error },
      );
    }
    throw run.request.fail(failure);
  };

  async return(value?: unknown): Promise<IteratorResult<ChatCompletionChunk>> {
    const run = this.#run;
    if (!run.closed) {
      run.closed = true;
      run.request.finish('abandoned');
      try {
        await run.inner.return?.(value);
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

function armIdle(run: StreamRun, idle: IdleWatch, delay: number): void {
  run.idleTimer = setTimeout(() => {
    const since = run.waitingSince;
    const silent = since === undefined ? 0 : idle.now() - since;
    if (silent >= idle.idleMs) idle.expire(idle.idleMs);
    else armIdle(run, idle, idle.idleMs - silent);
  }, delay);
  run.idleTimer.unref();
}
