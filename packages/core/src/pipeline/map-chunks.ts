import type { ChatCompletionChunk } from '../contract/chat-chunk.js';

export interface ChunkMapper {
  /** Sees each chunk; return a chunk to pass on (the same or a new one), or `undefined` to drop it. */
  chunk?(chunk: ChatCompletionChunk): ChatCompletionChunk | undefined;
  /** Runs once when the stream ends, fails, or the consumer stops reading. */
  end?(reason: 'done' | 'error' | 'return', error?: unknown): void;
}

/**
 * Wraps a stream for a middleware that needs to see or change its chunks. One thin
 * layer, no buffering; middleware that do not look at chunks should not wrap at all.
 */
export function mapChunks(
  stream: AsyncIterable<ChatCompletionChunk>,
  mapper: ChunkMapper,
): AsyncIterable<ChatCompletionChunk> {
  const inner = stream[Symbol.asyncIterator]();
  let ended = false;
  const end = (reason: 'done' | 'error' | 'return', error?: unknown) => {
    if (ended) return;
    ended = true;
    mapper.end?.(reason, error);
  };
  /** The result to pass on, or `undefined` when the mapper dropped the chunk. */
  const map = (result: IteratorResult<ChatCompletionChunk>): IteratorResult<ChatCompletionChunk> | undefined => {
    if (result.done) {
      end('done');
      return result;
    }
    if (!mapper.chunk) return result;
    const mapped = mapper.chunk(result.value);
    // An observer that passes the chunk on as it is (the common case) costs no new result object.
    if (mapped === result.value) return result;
    return mapped === undefined ? undefined : { done: false, value: mapped };
  };
  const onError = (error: unknown): never => {
    end('error', error);
    throw error;
  };
  // Past dropped chunks in a loop: a `next()` per drop from inside `then` would chain one
  // pending promise per dropped chunk for as long as they keep coming.
  const readPastDropped = async (): Promise<IteratorResult<ChatCompletionChunk>> => {
    for (;;) {
      let result: IteratorResult<ChatCompletionChunk>;
      try {
        result = await inner.next();
      } catch (error) {
        return onError(error);
      }
      const mapped = map(result);
      if (mapped) return mapped;
    }
  };
  const onResult = (
    result: IteratorResult<ChatCompletionChunk>,
  ): IteratorResult<ChatCompletionChunk> | Promise<IteratorResult<ChatCompletionChunk>> => map(result) ?? readPastDropped();
  const iterator: AsyncIterableIterator<ChatCompletionChunk> = {
    next: () => inner.next().then(onResult, onError),
    return: async (value?: unknown) => {
      end('return');
      await inner.return?.(value);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
