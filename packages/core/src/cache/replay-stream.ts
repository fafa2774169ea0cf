import type { ChatCompletionChunk } from '../contract/chat-chunk.js';

/**
 * A stream over chunks already in hand (a cache hit): each `next()` resolves at once, with
 * no generator frame or timer, so a replay costs a promise per chunk and nothing else.
 */
export class ReplayStream implements AsyncIterableIterator<ChatCompletionChunk> {
  readonly #chunks: readonly ChatCompletionChunk[];
  #next = 0;

  constructor(chunks: readonly ChatCompletionChunk[]) {
    this.#chunks = chunks;
  }

  next(): Promise<IteratorResult<ChatCompletionChunk>> {
    if (this.#next >= this.#chunks.length) return Promise.resolve({ done: true, value: undefined });
    return Promise.resolve({ done: false, value: this.#chunks[this.#next++] as ChatCompletionChunk });
  }

  return(): Promise<IteratorResult<ChatCompletionChunk>> {
    this.#next = this.#chunks.length;
    return Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
