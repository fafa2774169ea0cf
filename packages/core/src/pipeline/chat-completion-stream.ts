import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import { AbortError, GatewayError, StreamInterruptedError, TimeoutError } from '../errors/errors.js';
import type { CallRecord } from './call-record.js';
import { typedStreamError } from '../adapter/stream-errors.js';
import { GuardrailBlockedError, GuardrailFailedError } from '../errors/guardrail-errors.js';
import { usageFromCompletionUsage } from '../adapter/usage.js';
import { preloadTokenizer } from '../cost/token-estimate.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });
/** A chunk the caller does not see (usage they did not ask for). */
const HIDDEN = Symbol('hidden');

/**
 * The stream a caller iterates. It is the only per-chunk layer the gateway adds: it
 * records usage (on the serving attempt), drops the usage chunk the caller did not ask for,
 * and ends the request exactly once: on the last chunk, on an error, or when the consumer
 * stops early.
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
  /** The consumer has asked for a chunk at least once. */
  read = false;
  /** Why the stream ended while nobody was reading; the next `next()` rejects with it. */
  failure: unknown;
  /** When the pending `next()` began waiting; `undefined` while the caller holds a chunk. */
  waitingSince: number | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  readonly inner: AsyncIterator<ChatCompletionChunk>;
  readonly request: CallRecord;

  constructor(inner: AsyncIterator<ChatCompletionChunk>, request: CallRecord) {
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

  /** Ends a stream its consumer never started reading; a late read learns why. */
  endNeverRead(afterMs: number): void {
    this.endUnread(() => {
      this.request.abandon('unread');
      const { provider, model } = this.request;
      return new StreamInterruptedError(
        `The stream from ${provider}/${model} was ended after ${afterMs} ms because nothing read it. Read streams as they arrive, or raise \`idleTimeout\` / \`timeout\`.`,
        { provider, model },
      );
    });
  }
}

/** A stream dropped without being read to the end, `break`, or `return()`: end it when it is collected. */
const dropped = new FinalizationRegistry<StreamRun>((run) => run.endUnread(() => void run.request.abandon('collected')));

export class ChatCompletionStream implements AsyncIterableIterator<ChatCompletionChunk> {
  readonly #run: StreamRun;
  readonly #includeUsage: boolean;
  readonly #idle: IdleWatch | undefined;
  readonly #delivered: string[] = [];
  #chunks = 0;

  constructor(inner: AsyncIterator<ChatCompletionChunk>, request: CallRecord, includeUsage: boolean, idle?: IdleWatch) {
    const run = new StreamRun(inner, request);
    this.#run = run;
    // What was delivered, kept as pieces (no joining per chunk): an estimate needs it only if
    // the stream ends without the provider's usage.
    const delivered = this.#delivered;
    request.deliveredText = () => delivered.join('');
    void preloadTokenizer();
    this.#includeUsage = includeUsage;
    this.#idle = idle;
    dropped.register(this, run, run);
    const signal = request.signal;
    let onAbort: (() => void) | undefined;
    if (signal) {
      // Aborted or timed out while nobody is reading: end the request now, not never. A
      // deadline that passes before the consumer ever read says so.
      onAbort = () => {
        const reason: unknown = signal.reason;
        if (!run.read && reason instanceof TimeoutError) run.endNeverRead(reason.timeoutMs);
        else run.endUnread(() => request.fail(reason));
      };
      signal.addEventListener('abort', onAbort, { once: true });
    }
    // One timer per stream, re-armed only when it fires; each chunk just notes times. Only
    // time spent waiting on the provider counts: a slow reader is not an idle provider.
    if (idle) armIdle(run, idle, idle.idleMs);
    request.onRelease(() => {
      dropped.unregister(run);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      clearTimeout(run.idleTimer);
    });
  }

  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    const run = this.#run;
    if (run.closed) {
      const failure = run.failure;
      if (failure === undefined) return Promise.resolve(DONE);
      run.failure = undefined;
      return Promise.reject(failure);
    }
    run.read = true;
    run.pending = true;
    if (this.#idle) run.waitingSince = this.#idle.now();
    return run.inner.next().then(this.#onResult, this.#onError);
  }

  readonly #onResult = (
    result: IteratorResult<ChatCompletionChunk>,
  ): IteratorResult<ChatCompletionChunk> | Promise<IteratorResult<ChatCompletionChunk>> => {
    const settled = this.#settle(result);
    return settled === HIDDEN ? this.#readPastHidden() : settled;
  };

  /**
   * Reads on past hidden chunks in a loop: answering a hidden chunk with another `next()`
   * from inside `then` would chain one pending promise per hidden chunk for as long as an
   * upstream keeps sending them.
   */
  async #readPastHidden(): Promise<IteratorResult<ChatCompletionChunk>> {
    const run = this.#run;
    for (;;) {
      run.pending = true;
      if (this.#idle) run.waitingSince = this.#idle.now();
      let result: IteratorResult<ChatCompletionChunk>;
      try {
        result = await run.inner.next();
      } catch (error) {
        return this.#onError(error);
      }
      const settled = this.#settle(result);
      if (settled !== HIDDEN) return settled;
    }
  }

  #settle(result: IteratorResult<ChatCompletionChunk>): IteratorResult<ChatCompletionChunk> | typeof HIDDEN {
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
      run.request.recordStreamUsage(usageFromCompletionUsage(chunk.usage));
      if (!this.#includeUsage && chunk.choices.length === 0) return HIDDEN;
    }
    // Adapters always ask for usage; hide it (and the `usage: null` that comes with it) from
    // a caller who did not. Assigning keeps the object's shape, unlike `delete`.
    if (!this.#includeUsage && chunk.usage !== undefined) chunk.usage = undefined;
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (delta.content) this.#delivered.push(delta.content);
      if (delta.tool_calls) for (const call of delta.tool_calls) if (call.function?.arguments) this.#delivered.push(call.function.arguments);
    }
    this.#chunks++;
    return result;
  }

  readonly #onError = (error: unknown): never => {
    const run = this.#run;
    run.pending = false;
    if (run.closed) throw error;
    run.closed = true;
    const request = run.request;
    // The caller's abort first (an adapter may reject with an error of its own making then), else whatever broke (a decoder, an adapter bug) as a typed error.
    const normalised = request.normaliseError(error);
    let failure = normalised instanceof GatewayError ? normalised : typedStreamError(error, request.provider ?? 'unknown', request.model ?? 'unknown');
    // After the first chunk nothing can be retried: say so, unless the caller stopped it or a guardrail did (its error is the answer).
    if (failure instanceof GatewayError && !(failure instanceof AbortError) && !(failure instanceof TimeoutError) && !(failure instanceof GuardrailBlockedError) && !(failure instanceof GuardrailFailedError)) {
      failure = new StreamInterruptedError(
        `Stream from ${request.provider}/${request.model} was interrupted after ${this.#chunks} chunk(s): ${failure.message}`,
        // Asking again is worth it only if the cause was worth retrying (not an event past the size limit).
        { provider: request.provider, model: failure.model ?? request.model, cause: failure, retryable: failure.retryable },
      );
    }
    throw request.fail(failure);
  };

  async return(value?: unknown): Promise<IteratorResult<ChatCompletionChunk>> {
    const run = this.#run;
    if (!run.closed) {
      run.closed = true;
      run.request.abandon('returned');
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
    // Handed to a consumer who never asked for a chunk: nobody will, so end it now.
    if (!run.read) return run.endNeverRead(idle.idleMs);
    const since = run.waitingSince;
    const silent = since === undefined ? 0 : idle.now() - since;
    if (silent >= idle.idleMs) idle.expire(idle.idleMs);
    else armIdle(run, idle, idle.idleMs - silent);
  }, delay);
  run.idleTimer.unref();
}
