import type { CacheEvent, ChatCompletionChunk, GatewayEvent } from '@switchyard/core';

export { flushEvents } from '../gateway/helpers.js';

/** A wall clock the test moves by hand, for the cache's `now` (and a memory store's). */
export function manualNow(start = 1_750_000_000_000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** The cache events a gateway emitted, in order. */
export function cacheEvents() {
  const events: CacheEvent[] = [];
  return {
    events,
    onEvent: (event: GatewayEvent) => {
      if (event.type === 'cache.hit' || event.type === 'cache.miss' || event.type === 'cache.store') events.push(event);
    },
    of: (type: CacheEvent['type']) => events.filter((event) => event.type === type),
  };
}

/** A promise the test settles when it wants: holds a provider call open while others arrive. */
export function gate<T = void>() {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

export async function drain(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

/** What a stream says, added up the way OpenAI documents: text, tool calls by index, finish reasons, usage. */
export function streamSummary(chunks: readonly ChatCompletionChunk[]) {
  const content: Record<number, string> = {};
  const finish: Record<number, string | null> = {};
  const tools: Record<string, { id?: string; name: string; arguments: string }> = {};
  let usage: ChatCompletionChunk['usage'];
  for (const chunk of chunks) {
    if (chunk.usage) usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta.content) content[choice.index] = (content[choice.index] ?? '') + choice.delta.content;
      if (choice.finish_reason) finish[choice.index] = choice.finish_reason;
      for (const call of choice.delta.tool_calls ?? []) {
        const slot = (tools[`${choice.index}:${call.index}`] ??= { name: '', arguments: '' });
        if (call.id) slot.id = call.id;
        if (call.function?.name) slot.name += call.function.name;
        if (call.function?.arguments) slot.arguments += call.function.arguments;
      }
    }
  }
  return { content, finish, tools, usage };
}

export const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }];
