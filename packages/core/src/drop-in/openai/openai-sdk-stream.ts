// The stream a wrapped `openai` client's streaming call resolves to: the SDK's `Stream` contract (iterate once, `controller`, `tee()`, `toReadableStream()`) over the gateway's stream.
import type { OpenAISdkErrors } from './openai-sdk-errors.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A single-consumption async iterable, as the SDK's `Stream<Item>`: `controller` aborts the
 * gateway call behind it (and every `tee()` branch), aborting ends the iteration quietly, and
 * leaving the loop early (`break`) ends the gateway call.
 */
export class SdkStream<Item> implements AsyncIterable<Item> {
  /** Aborts the gateway call and every branch made with `tee()`. */
  controller: AbortController;
  readonly #open: () => AsyncIterator<Item>;
  readonly #errors: OpenAISdkErrors | undefined;
  #consumed = false;

  constructor(open: () => AsyncIterator<Item>, controller: AbortController, errors: OpenAISdkErrors | undefined) {
    this.#open = open;
    this.controller = controller;
    this.#errors = errors;
  }

  /** Starts reading; a second start throws, as the SDK's does: use `tee()` for two readers. */
  [Symbol.asyncIterator](): AsyncIterator<Item> {
    if (this.#consumed) {
      const message = 'Cannot iterate over a consumed stream, use `.tee()` to split the stream.';
      throw this.#errors ? new this.#errors.OpenAIError(message) : new Error(message);
    }
    this.#consumed = true;
    return this.#open();
  }

  /** Two streams reading the same items at their own pace; the source ends once both branches are closed. */
  tee(): [SdkStream<Item>, SdkStream<Item>] {
    const source = this[Symbol.asyncIterator]();
    const pending: [Array<Promise<IteratorResult<Item>>>, Array<Promise<IteratorResult<Item>>>] = [[], []];
    const closed = [false, false];
    const branch = (side: 0 | 1): SdkStream<Item> =>
      new SdkStream(
        () => ({
          next: () => {
            if (closed[side]) return Promise.resolve(DONE);
            const own = pending[side];
            if (own.length === 0) {
              const result = source.next();
              own.push(result);
              const other = side === 0 ? 1 : 0;
              if (!closed[other]) pending[other].push(result);
            }
            return own.shift() ?? Promise.resolve(DONE);
          },
          return: async () => {
            if (!closed[side]) {
              closed[side] = true;
              pending[side].length = 0;
              if (closed[0] && closed[1]) await source.return?.();
            }
            return DONE;
          },
        }),
        this.controller,
        this.#errors,
      );
    return [branch(0), branch(1)];
  }

  /** The items as newline-delimited JSON bytes, which the SDK's `Stream.fromReadableStream()` reads back; cancelling it ends the call. */
  toReadableStream(): ReadableStream<Uint8Array> {
    const encoder = new TextEncoder();
    let iterator: AsyncIterator<Item> | undefined;
    return new ReadableStream<Uint8Array>({
      start: () => {
        iterator = this[Symbol.asyncIterator]();
      },
      pull: async (controller) => {
        if (!iterator) return;
        try {
          const { value, done } = await iterator.next();
          if (done) controller.close();
          else controller.enqueue(encoder.encode(`${JSON.stringify(value)}\n`));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: async () => {
        await iterator?.return?.();
      },
    });
  }
}

/**
 * Reads the gateway's stream for an `SdkStream`: its errors become the SDK's (`toError`); once
 * `controller` is aborted the iteration ends without an error, as the SDK's does; ending the
 * loop early ends the gateway call first (so it is recorded as the consumer's `return`) and
 * then aborts `controller`. A plain iterator, not an async generator: one promise per chunk.
 */
export function readGatewayStream<Item>(source: AsyncIterable<Item>, controller: AbortController, toError: (error: unknown) => unknown): AsyncIterator<Item> {
  const inner = source[Symbol.asyncIterator]();
  let finished = false;
  const step = (result: IteratorResult<Item>): IteratorResult<Item> => {
    if (result.done) finished = true;
    return result;
  };
  const fail = (error: unknown): IteratorResult<Item> => {
    finished = true;
    const aborted = controller.signal.aborted;
    controller.abort();
    if (aborted) return DONE;
    throw toError(error);
  };
  return {
    next: () => (finished ? Promise.resolve(DONE) : inner.next().then(step, fail)),
    return: async () => {
      if (!finished) {
        finished = true;
        await inner.return?.();
        controller.abort();
      }
      return DONE;
    },
  };
}
