/**
 * What the exact cache costs and saves, in process: the gateway's CPU per call for a hit
 * (non-stream, and a 50-chunk stream replayed), against a miss that calls an adapter which
 * answers at once and stores the answer, and against the same call on a gateway without a
 * cache. No I/O, so every microsecond is the gateway's (a real miss adds the provider's
 * latency, which a hit saves entirely).
 */
import { createGateway, type ChatCompletionChunk, type ProviderAdapter } from '@switchyard/core';
import { chunksOf, completionOf } from '@switchyard/testing';
import { measureCases } from './cpu-cases.js';

import type { CaseRow } from './cpu-cases.js';

export type CacheRow = CaseRow;

const completion = completionOf(Array.from({ length: 50 }, (_, i) => `word${i}`).join(' '));
const chunks = chunksOf(Array.from({ length: 50 }, (_, i) => `w${i} `));
const adapter: ProviderAdapter = {
  provider: 'instant',
  capabilities: { stream: true, tools: true, images: true, jsonSchema: true, embeddings: false, reasoning: false },
  // A new object per call, as an SDK makes them (the cache serialises what it stores).
  chat: async () => ({ ...completion }),
  stream: async function* (): AsyncGenerator<ChatCompletionChunk> {
    for (const chunk of chunks) yield { ...chunk };
  },
};
const messages = [
  { role: 'system' as const, content: 'You are helpful.' },
  { role: 'user' as const, content: 'Say fifty words please.' },
];

const drain = async (stream: AsyncIterable<ChatCompletionChunk>) => {
  for await (const _ of stream) {
    // consume
  }
};

export async function measureCache(quick: boolean): Promise<CacheRow[]> {
  const n = quick ? 5000 : 20000;
  const bare = createGateway({ providers: { p: adapter } });
  const cached = createGateway({ providers: { p: adapter }, cache: { exact: { maxEntries: 1000 } } });
  const listened = createGateway({ providers: { p: adapter }, cache: { exact: {} }, onEvent: () => undefined });
  const streamMessages = [...messages, { role: 'user' as const, content: 'stream' }];
  // Fill the entries the hits read.
  await cached.chat.completions.create({ model: 'p/m', messages });
  await listened.chat.completions.create({ model: 'p/m', messages });
  await drain(await cached.chat.completions.create({ model: 'p/m', messages: streamMessages, stream: true }));
  // A miss asks a new question each time: key, provider call, serialising and storing (with LRU eviction once full).
  const question = (i: number) => ({ role: 'user' as const, content: `question ${i}` });
  return measureCases([
    { name: 'chat, no cache configured', calls: n, op: () => bare.chat.completions.create({ model: 'p/m', messages }) },
    { name: 'chat, cache hit (memory)', calls: n, op: () => cached.chat.completions.create({ model: 'p/m', messages }) },
    { name: 'chat, cache hit with an event listener (cache.hit priced)', calls: n, op: () => listened.chat.completions.create({ model: 'p/m', messages }) },
    { name: 'chat, cache miss + store', calls: n, op: (i) => cached.chat.completions.create({ model: 'p/m', messages: [...messages, question(i)] }) },
    { name: 'stream of 50 chunks, no cache configured', calls: n / 10, op: async () => drain(await bare.chat.completions.create({ model: 'p/m', messages: streamMessages, stream: true })) },
    { name: 'stream of 50 chunks, cache hit (replayed as 4 chunks)', calls: n / 10, op: async () => drain(await cached.chat.completions.create({ model: 'p/m', messages: streamMessages, stream: true })) },
    {
      name: 'stream of 50 chunks, cache miss + store',
      calls: n / 10,
      op: async (i) => drain(await cached.chat.completions.create({ model: 'p/m', messages: [...streamMessages, question(i)], stream: true })),
    },
  ]);
}
