import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { createGateway, type ChatCompletionChunk, type ChatCompletionCreateParams } from '@switchyard/core';
import { type ProviderAdapter } from '@switchyard/core/adapter';
import { geminiWireFormat, recordingCallContext, startMockServer, type MockServer } from '@switchyard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('google() reports to its call context', () => {
  const apiKey = 'test-key';
  let server: MockServer;
  beforeEach(async () => {
    server = await startMockServer({ format: geminiWireFormat });
  });
  afterEach(() => server.close());

  const adapters = {
    '@google/genai': () => google({ client: new GoogleGenAI({ apiKey, httpOptions: { baseUrl: server.baseURL } }) }),
    '@google/generative-ai': () => google({ client: new GoogleGenerativeAI(apiKey), requestOptions: { baseUrl: server.baseURL } }),
  };
  const params = (extra: Partial<ChatCompletionCreateParams> = {}): ChatCompletionCreateParams => ({
    model: 'gemini-2.5-flash',
    messages: [{ role: 'user', content: 'hi' }],
    ...extra,
  });
  const headers = { 'x-goog-request-id': 'goog-req-1', 'x-ratelimit-remaining-requests': '41', 'x-app-session': 'not for the gateway' };
  const expectedResponse = { providerRequestId: 'goog-req-1', headers: { 'x-goog-request-id': 'goog-req-1', 'x-ratelimit-remaining-requests': '41' } };

  describe('@google/genai, which exposes the response headers', () => {
    it('reports the response of a chat call, with the request id and the kept headers only', async () => {
      server.enqueue({ content: 'Hello', headers });
      const call = recordingCallContext();
      await adapters['@google/genai']().chat({ params: params() }, call);
      expect(call.responses).toEqual([expectedResponse]);
    });

    it("reports a stream's response once, however many events it sends", async () => {
      server.enqueue({ content: 'one two three', headers });
      const call = recordingCallContext();
      const chunks: ChatCompletionChunk[] = [];
      for await (const chunk of adapters['@google/genai']().stream({ params: params({ stream: true }) }, call)) chunks.push(chunk);
      expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBe(3);
      expect(call.responses).toEqual([expectedResponse]);
    });

    it('reports the response of an embeddings call, and the end-user id it could not send', async () => {
      server.enqueue({ kind: 'embeddings', headers });
      const call = recordingCallContext();
      const adapter = adapters['@google/genai']();
      await adapter.embed?.({ params: { model: 'text-embedding-004', input: 'hi', user: 'user-42' } }, call);
      expect(call.responses).toEqual([expectedResponse]);
      expect(call.warnings).toEqual([{ code: 'parameter_dropped', param: 'user', message: "'user' was not sent: Gemini has no equivalent." }]);
    });

    it('leaves the request id undefined without the header, rather than taking the body\'s responseId', async () => {
      server.enqueue({ content: 'Hello', headers: { 'x-ratelimit-limit-requests': '60' } });
      const call = recordingCallContext();
      const completion = await adapters['@google/genai']().chat({ params: params() }, call);
      expect(completion.id).toBe('mock-response');
      expect(call.responses).toEqual([{ providerRequestId: undefined, headers: { 'x-ratelimit-limit-requests': '60' } }]);
    });
  });

  for (const [name, adapter] of Object.entries(adapters)) {
    describe(name, () => {
      it('reports the usage of each streamed event, so a stream cut mid-way has recorded what it used', async () => {
        server.enqueue({ content: 'one two three', usage: { input: 10, output: 6 }, cutAfter: 2 });
        const call = recordingCallContext();
        const read = async () => {
          for await (const _chunk of adapter().stream({ params: params({ stream: true }) }, call));
        };
        await expect(read()).rejects.toThrow();
        const usage = (output: number) => ({ inputTokens: 10, outputTokens: output, totalTokens: 10 + output, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 });
        expect(call.usages).toEqual([usage(2), usage(4)]);
      });

      it('forwards what the translation dropped or changed as warnings', async () => {
        server.enqueue({ content: 'Hello' });
        const call = recordingCallContext();
        await adapter().chat(
          {
            params: params({
              user: 'user-42',
              response_format: { type: 'json_schema', json_schema: { name: 'a', schema: { type: 'string', pattern: '^a' } } },
            }),
          },
          call,
        );
        expect(call.warnings.map((warning) => [warning.code, warning.param])).toEqual([
          ['parameter_dropped', 'user'],
          ['parameter_adjusted', 'response_format.json_schema.schema'],
        ]);
        const sent = server.requests[0]?.body as { generationConfig?: { responseSchema?: unknown } };
        expect(sent.generationConfig?.responseSchema).toEqual({ type: 'STRING' });
      });
    });
  }
});
