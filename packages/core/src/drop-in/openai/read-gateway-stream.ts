// How a wrapped `openai` client reads the gateway's stream: its errors made the SDK's, an abort ending the loop quietly.
import { DONE } from '../sdk-stream.js';

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
