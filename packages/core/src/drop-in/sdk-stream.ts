// The stream a wrapped SDK client's streaming call resolves to: the SDKs' `Stream` contract (iterate once, `controller`, `tee()`, `toReadableStream()`) over the gateway's stream.

export const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A single-consumption async iterable, as the SDK's `Stream<Item>`: `controller` aborts the
 * gateway call behind it (and every `tee()` branch), aborting ends the iteration quietly, and
 * leaving the loop early (`break`) ends the gateway call.
 */
export class SdkStream<Item> implements AsyncIterable<Item> {
  /** Aborts the gateway call and every branch made with `tee()`. */
  controller: AbortController;
  readonly #open: () => AsyncIterator<Item>;
  /** The SDK's own error class for a stream read twice (`OpenAIError`, `AnthropicError`). */
  readonly #misuse: (message: string) => Error;
  #consumed = false;

  constructor(open: () => AsyncIterator<Item>, controller: AbortController, misuse: (message: string) => Error = (message) => new Error(message)) {
    this.#open = open;
    this.controller = controller;
    this.#misuse = misuse;
  }

  /** Starts reading; a second start throws, as the SDK's does: use `tee()` for two readers. */
  [Symbol.asyncIterator](): AsyncIterator<Item> {
    if (this.#consumed) {
      throw this.#misuse('Cannot iterate over a consumed stream, use `.tee()` to split the stream.');
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
        this.#misuse,
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
