// The provider of the in-process benches: an adapter that answers at once (a short completion, or a stream of CHUNKS pieces), so that what is measured is the gateway's own work.
import type { ChatCompletionChunk } from '@switchyard/core';
import type { ProviderAdapter } from '@switchyard/core';
import { chunksOf, completionOf } from '@switchyard/testing';

export const CHUNKS = 20;
const pieces = Array.from({ length: CHUNKS }, (_, i) => `piece ${i} `);

export const instantAdapter: ProviderAdapter = {
  provider: 'openai',
  capabilities: { stream: true, tools: true, images: true, jsonSchema: true, embeddings: false, reasoning: false },
  chat: async () => completionOf('A short answer of a few words.', { prompt_tokens: 20, completion_tokens: 8 }),
  stream: async function* (): AsyncGenerator<ChatCompletionChunk> {
    yield* chunksOf(pieces);
  },
};

export const benchMessages = [{ role: 'user' as const, content: 'What is the capital of Norway?' }];
