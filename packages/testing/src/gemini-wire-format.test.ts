import { ApiError, GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI, GoogleGenerativeAIFetchError } from '@google/generative-ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deterministicEmbedding } from './deterministic-embedding.js';
import { geminiWireFormat } from './gemini-wire-format.js';
import type { ChatReply } from './mock-reply.js';
import { startMockServer, type MockServer } from './mock-server.js';

let server: MockServer;
beforeEach(async () => {
  server = await startMockServer({ format: geminiWireFormat });
});
afterEach(async () => {
  await server.close();
});

const legacyModel = () => new GoogleGenerativeAI('test').getGenerativeModel({ model: 'gemini-test' }, { baseUrl: server.baseURL });
const genai = (apiVersion?: string) =>
  new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl: server.baseURL, ...(apiVersion ? { apiVersion } : {}) } });

const toolReply: ChatReply = {
  reasoning: 'Weather needs a tool.',
  content: 'Checking now.',
  toolCalls: [
    { name: 'get_weather', arguments: '{"city":"Paris"}' },
    { name: 'get_time', arguments: '{"zone":"CET"}' },
  ],
  usage: { input: 100, output: 30, cached: 40, reasoning: 12 },
};

const expectedParts = [
  { text: 'Weather needs a tool.', thought: true },
  { text: 'Checking now.' },
  { functionCall: { name: 'get_weather', args: { city: 'Paris' } } },
  { functionCall: { name: 'get_time', args: { zone: 'CET' } } },
];

// The prompt count includes cached tokens; candidates leave out the 12 thought tokens.
const expectedUsage = {
  promptTokenCount: 100,
  candidatesTokenCount: 18,
  totalTokenCount: 130,
  cachedContentTokenCount: 40,
  thoughtsTokenCount: 12,
};

describe('gemini wire format, @google/genai', () => {
  it('answers generateContent with thoughts, text, function calls and usage', async () => {
    expect(server.baseURL).toBe(server.url);
    server.enqueue(toolReply);
    const response = await genai().models.generateContent({ model: 'gemini-test', contents: 'Weather in Paris?' });
    expect(response.candidates?.[0]).toMatchObject({ content: { role: 'model', parts: expectedParts }, finishReason: 'STOP', index: 0 });
    expect(response.functionCalls?.map((call) => call.name)).toEqual(['get_weather', 'get_time']);
    expect(response.usageMetadata).toEqual(expectedUsage);
    expect(response).toMatchObject({ modelVersion: 'gemini-test', responseId: 'mock-response' });
    // This SDK version defaults to the v1 API; the older SDK below uses v1beta.
    expect(server.requests[0]?.path).toBe('/v1/models/gemini-test:generateContent');
  });

  it('serves the v1beta API version too, with a default answer', async () => {
    const response = await genai('v1beta').models.generateContent({ model: 'gemini-test', contents: 'hi' });
    expect(response.text).toContain('mock');
    expect(server.requests[0]?.path).toBe('/v1beta/models/gemini-test:generateContent');
  });

  it('streams whole responses per piece, with cumulative usage and the finish reason last', async () => {
    server.enqueue({ ...toolReply, content: 'Checking the weather now.' });
    const chunks = [];
    for await (const chunk of await genai().models.generateContentStream({ model: 'gemini-test', contents: 'hi' })) chunks.push(chunk);
    const parts = chunks.map((chunk) => chunk.candidates?.[0]?.content?.parts ?? []);
    expect(parts.every((list) => list.length === 1)).toBe(true);
    expect(parts.flat().filter((part) => part.thought).map((part) => part.text)).toEqual(['Weather ', 'needs ', 'a ', 'tool.']);
    const answer = parts.flat().filter((part) => part.text !== undefined && !part.thought);
    expect(answer.map((part) => part.text).join('')).toBe('Checking the weather now.');
    expect(parts.flat().filter((part) => part.functionCall)).toEqual(expectedParts.slice(2));
    expect(chunks.map((chunk) => chunk.candidates?.[0]?.finishReason)).toEqual([...Array<undefined>(chunks.length - 1), 'STOP']);
    const candidateCounts = chunks.map((chunk) => chunk.usageMetadata?.candidatesTokenCount ?? 0);
    expect(candidateCounts).toEqual([...candidateCounts].sort((a, b) => a - b));
    expect(chunks.every((chunk) => chunk.usageMetadata?.promptTokenCount === 100)).toBe(true);
    expect(chunks.at(-1)?.usageMetadata).toEqual(expectedUsage);
    expect(server.requests[0]?.path).toBe('/v1/models/gemini-test:streamGenerateContent?alt=sse');
  });

  it('reports errors as ApiError with status and RetryInfo details', async () => {
    server.enqueue({ kind: 'error', status: 429, retryAfter: 7, message: 'Quota exceeded' }, { kind: 'error', status: 503 });
    const limited = await genai()
      .models.generateContent({ model: 'gemini-test', contents: 'hi' })
      .catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(ApiError);
    expect((limited as ApiError).status).toBe(429);
    expect(JSON.parse((limited as ApiError).message)).toEqual({
      error: {
        code: 429,
        message: 'Quota exceeded',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '7s' }],
      },
    });
    const unavailable = genai().models.generateContent({ model: 'gemini-test', contents: 'hi' });
    await expect(unavailable).rejects.toMatchObject({ status: 503, message: expect.stringContaining('UNAVAILABLE') as unknown });
  });

  it('embeds through batchEmbedContents with deterministic vectors of the asked size', async () => {
    const response = await genai().models.embedContent({
      model: 'text-embedding-test',
      contents: ['same', 'other'],
      config: { outputDimensionality: 4 },
    });
    expect(response.embeddings?.map((embedding) => embedding.values)).toEqual([
      deterministicEmbedding('same', 4),
      deterministicEmbedding('other', 4),
    ]);
    expect(server.requests[0]?.path).toBe('/v1/models/text-embedding-test:batchEmbedContents');
  });

  it('fails the stream when the connection is cut or a chunk is malformed', async () => {
    server.enqueue({ content: 'a b c d', cutAfter: 2 }, { content: 'a b c d', malformedAt: 1 });
    const drain = async () => {
      for await (const chunk of await genai().models.generateContentStream({ model: 'gemini-test', contents: 'hi' })) void chunk;
    };
    await expect(drain()).rejects.toThrow('terminated');
    await expect(drain()).rejects.toThrow('not valid JSON');
  });

  it('scripts a mid-stream error and a blocked prompt on a stream, adding no end marker', async () => {
    const error = { error: { code: 500, message: 'Internal error', status: 'INTERNAL' } };
    server.enqueue(
      { kind: 'raw-stream', events: ['{"candidates":[{"content":{"role":"model","parts":[{"text":"a"}]},"index":0}]}', JSON.stringify(error)] },
      { blockReason: 'PROHIBITED_CONTENT' },
    );
    const drain = async () => {
      const chunks = [];
      for await (const chunk of await genai().models.generateContentStream({ model: 'gemini-test', contents: 'hi' })) chunks.push(chunk);
      return chunks;
    };
    await expect(drain()).rejects.toMatchObject({ name: 'ApiError', status: 500 });
    const [blocked, ...rest] = await drain();
    expect(rest).toEqual([]);
    expect(blocked?.promptFeedback).toEqual({ blockReason: 'PROHIBITED_CONTENT' });
    expect(blocked?.candidates).toBeUndefined();
  });

  it('answers a stream request without alt=sse as a JSON array of responses', async () => {
    server.enqueue({ content: 'x y' });
    const response = await fetch(`${server.url}/v1beta/models/gemini-test:streamGenerateContent`, { method: 'POST', body: '{}' });
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as Array<{ candidates: Array<{ finishReason?: string }> }>;
    expect(body.map((item) => item.candidates[0]?.finishReason)).toEqual([undefined, 'STOP']);
  });
});

describe('gemini wire format, @google/generative-ai', () => {
  it('answers generateContent with parts, function calls and usage', async () => {
    server.enqueue(toolReply);
    const { response } = await legacyModel().generateContent('Weather in Paris?');
    expect(response.candidates?.[0]?.content.parts).toEqual(expectedParts);
    expect(response.functionCalls()?.map((call) => call.args)).toEqual([{ city: 'Paris' }, { zone: 'CET' }]);
    expect(response.usageMetadata).toEqual(expectedUsage);
    expect(server.requests[0]?.path).toBe('/v1beta/models/gemini-test:generateContent');
  });

  it('streams chunks and aggregates them into the final response', async () => {
    server.enqueue({ content: 'one two three', toolCalls: [{ name: 'f', arguments: '{"a":1}' }], usage: { input: 9, output: 6 } });
    const result = await legacyModel().generateContentStream('hi');
    const texts: string[] = [];
    for await (const chunk of result.stream) texts.push(chunk.text());
    expect(texts).toEqual(['one ', 'two ', 'three', '']);
    const response = await result.response;
    expect(response.text()).toBe('one two three');
    expect(response.functionCalls()).toEqual([{ name: 'f', args: { a: 1 } }]);
    expect(response.candidates?.[0]?.finishReason).toBe('STOP');
    expect(response.usageMetadata).toEqual({ promptTokenCount: 9, candidatesTokenCount: 6, totalTokenCount: 15 });
  });

  it('reports a blocked prompt and a safety stop', async () => {
    server.enqueue({ blockReason: 'SAFETY' }, { finishReason: 'SAFETY' });
    const blocked = (await legacyModel().generateContent('bad')).response;
    expect(blocked.promptFeedback).toEqual({ blockReason: 'SAFETY' });
    expect(blocked.candidates).toBeUndefined();
    expect(() => blocked.text()).toThrow('blocked due to SAFETY');
    const stopped = (await legacyModel().generateContent('bad')).response;
    expect(stopped.candidates?.[0]).toEqual({ finishReason: 'SAFETY', index: 0 });
    expect(() => stopped.text()).toThrow('Candidate was blocked due to SAFETY');
  });

  it('reports errors as GoogleGenerativeAIFetchError with RetryInfo details', async () => {
    server.enqueue({ kind: 'error', status: 429, retryAfter: 3 });
    const error = await legacyModel()
      .generateContent('hi')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoogleGenerativeAIFetchError);
    expect(error).toMatchObject({
      status: 429,
      errorDetails: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '3s' }],
    });
    expect(server.requests).toHaveLength(1);
  });

  it('embeds one content or a batch, and sends scripted vectors', async () => {
    const single = await legacyModel().embedContent('same');
    expect(single.embedding.values).toEqual(deterministicEmbedding('same', 8));
    const batch = await legacyModel().batchEmbedContents({
      requests: [
        { content: { role: 'user', parts: [{ text: 'same' }] } },
        { content: { role: 'user', parts: [{ text: 'other' }] } },
      ],
    });
    expect(batch.embeddings.map((embedding) => embedding.values)).toEqual([deterministicEmbedding('same', 8), deterministicEmbedding('other', 8)]);
    server.enqueue({ kind: 'embeddings', vectors: [[1, 0]] });
    expect((await legacyModel().embedContent('x')).embedding.values).toEqual([1, 0]);
    expect(server.requests.map((request) => request.path.split(':')[1])).toEqual(['embedContent', 'batchEmbedContents', 'embedContent']);
  });

  it('fails the stream and the aggregate when the connection is cut or a chunk is malformed', async () => {
    server.enqueue({ content: 'a b c d', cutAfter: 2 }, { content: 'a b c d', malformedAt: 1 });
    for (const expected of ['Error reading from the stream', 'Error parsing JSON response']) {
      const result = await legacyModel().generateContentStream('hi');
      const aggregate = result.response.catch((error: unknown) => error);
      const drain = async () => {
        for await (const chunk of result.stream) void chunk;
      };
      await expect(drain()).rejects.toThrow(expected);
      expect(await aggregate).toBeInstanceOf(Error);
    }
  });
});
