import { createGateway, type ChatCompletionChunk, type ChatCompletionCreateParams } from '@switchyard/core';
import { type ProviderAdapter } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import type { GenAIClient } from './genai-transport.js';
import type { GenerativeAIClient } from './generative-ai-transport.js';
import { google } from './google-adapter.js';

/** Where a response is replaced by `LATE`, the next one comes two event-loop turns later: after the turn a finish gets. */
const LATE = Symbol('late');
const turn = () => new Promise((resolve) => setImmediate(resolve));

interface Streamed {
  /** What the adapter sent: the SDK's parameters (`@google/genai`) or the request (`@google/generative-ai`). */
  sent: unknown[];
  /** Whether the adapter released (aborted) each streamed request. */
  released: boolean[];
}

/** The responses, then a connection the server holds open until the request is aborted. */
async function* heldStream(responses: readonly unknown[], signal: AbortSignal | undefined): AsyncGenerator<unknown> {
  for (const response of responses) {
    if (response !== LATE) yield response;
    else {
      await turn();
      await turn();
    }
  }
  await new Promise((resolve) => signal?.addEventListener('abort', resolve, { once: true }));
}

const sdks: Record<string, (responses: readonly unknown[]) => { adapter: ProviderAdapter } & Streamed> = {
  '@google/genai': (responses) => {
    const streamed: Streamed = { sent: [], released: [] };
    const client: GenAIClient = {
      models: {
        generateContent: async () => ({}),
        generateContentStream: async (params: never) => {
          const signal = (params as { config: { abortSignal?: AbortSignal } }).config.abortSignal;
          streamed.sent.push(params);
          signal?.addEventListener('abort', () => streamed.released.push(true));
          return heldStream(responses, signal);
        },
        embedContent: async () => ({ embeddings: [] }),
      },
    };
    return { adapter: google({ client }), ...streamed };
  },
  '@google/generative-ai': (responses) => {
    const streamed: Streamed = { sent: [], released: [] };
    const client: GenerativeAIClient = {
      getGenerativeModel: () => ({
        generateContent: async () => ({ response: {} }),
        generateContentStream: async (request: never, options?: { signal?: AbortSignal }) => {
          streamed.sent.push(request);
          options?.signal?.addEventListener('abort', () => streamed.released.push(true));
          return { stream: heldStream(responses, options?.signal), response: Promise.resolve({}) };
        },
        embedContent: async () => ({}),
        batchEmbedContents: async () => ({}),
      }),
    };
    return { adapter: google({ client }), ...streamed };
  },
};

const usageMetadata = { promptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 7 };
const text = (index: number, value: string, extra: Record<string, unknown> = {}) => ({ index, content: { role: 'model', parts: [{ text: value }] }, ...extra });

async function streamOf(adapter: ProviderAdapter, params: Partial<ChatCompletionCreateParams> = {}): Promise<ChatCompletionChunk[]> {
  const gateway = createGateway({ providers: { g: adapter }, routing: { retry: false } });
  const stream = await gateway.chat.completions.create({
    model: 'g/gemini-x',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
    stream_options: { include_usage: true },
    ...params,
  } as ChatCompletionCreateParams & { stream: true });
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const textOf = (chunks: ChatCompletionChunk[], index: number) =>
  chunks
    .flatMap((chunk) => chunk.choices)
    .filter((choice) => choice.index === index)
    .map((choice) => choice.delta.content ?? '')
    .join('');

describe('google() streams held open after the finish', () => {
  for (const [name, sdk] of Object.entries(sdks)) {
    describe(name, () => {
      it('reports the usage Gemini sends after the finish, then releases the request', async () => {
        const streamed = sdk([{ candidates: [text(0, 'Hello')] }, { candidates: [{ index: 0, finishReason: 'STOP' }] }, { usageMetadata }]);
        const chunks = await streamOf(streamed.adapter);
        expect(textOf(chunks, 0)).toBe('Hello');
        expect(chunks.filter((chunk) => chunk.usage).map((chunk) => chunk.usage)).toEqual([expect.objectContaining({ prompt_tokens: 4, completion_tokens: 3, total_tokens: 7 })]);
        expect(chunks.at(-1)?.usage).toBeTruthy();
        expect(streamed.released).toEqual([true]);
      });

      it('with n = 2, keeps a candidate that first appears after the other has finished', async () => {
        const streamed = sdk([
          { candidates: [text(0, 'A', { finishReason: 'STOP' })], usageMetadata },
          LATE,
          { candidates: [text(1, 'B', { finishReason: 'STOP' })], usageMetadata },
        ]);
        const chunks = await streamOf(streamed.adapter, { n: 2 });
        expect(JSON.stringify(streamed.sent)).toContain('"candidateCount":2');
        expect([textOf(chunks, 0), textOf(chunks, 1)]).toEqual(['A', 'B']);
        expect(chunks.flatMap((chunk) => chunk.choices.flatMap((choice) => (choice.finish_reason ? [choice.index] : [])))).toEqual([0, 1]);
        expect(chunks.at(-1)?.usage).toMatchObject({ total_tokens: 7 });
        expect(streamed.released).toEqual([true]);
      });
    });
  }
});
