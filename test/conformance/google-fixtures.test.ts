import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { createGateway, type ChatCompletionChunk, type ProviderAdapter } from '@switchyard/core';
import { google } from '@switchyard/google';
import { geminiWireFormat, startMockServer, type MockServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkLines, loadFixtures } from './fixtures.js';

const fixtures = loadFixtures('google');

interface Expected {
  text: string;
  reasoning?: string;
  tools?: Array<[name: string, args: unknown]>;
  finish: string;
  prompt: number;
  completion: number;
  reasoningTokens: number;
}

/** What each recorded response must become, worked out by hand. Thoughts count as completion tokens. */
const expected: Record<string, Expected> = {
  'google-text.json': { text: "There are **3** r's in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.", finish: 'stop', prompt: 9, completion: 272, reasoningTokens: 244 },
  'google-reasoning.json': { text: 'There are **3** "r"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.', finish: 'stop', prompt: 9, completion: 311, reasoningTokens: 282 },
  'google-tool-call.json': { text: '', tools: [['weather', { location: 'San Francisco' }]], finish: 'tool_calls', prompt: 29, completion: 908, reasoningTokens: 893 },
  'google-text.chunks.txt': { text: 'There are **3** "r"s in strawberry.\n\nst**r**awbe**rr**y', finish: 'stop', prompt: 9, completion: 208, reasoningTokens: 185 },
  'google-reasoning.chunks.txt': { text: 'There are **3** "r"s in strawberry.\n\nHere is the breakdown: st**r**awbe**rr**y.', finish: 'stop', prompt: 9, completion: 285, reasoningTokens: 256 },
  'google-tool-call.chunks.txt': { text: '', tools: [['weather', { location: 'San Francisco' }]], finish: 'tool_calls', prompt: 29, completion: 60, reasoningTokens: 45 },
  // Gemini 3 streams arguments as partialArgs; they are assembled into whole JSON per call.
  'google-stream-tool-call-arguments.chunks.txt': {
    text: '',
    tools: [
      ['getWeather', { location: 'Boston' }],
      ['getWeather', { location: 'San Francisco' }],
    ],
    finish: 'tool_calls',
    prompt: 26,
    completion: 155,
    reasoningTokens: 132,
  },
  'google-stream-no-args-tool-call.chunks.txt': {
    text: '',
    reasoning: '**Processing User Requests**',
    tools: [
      ['read_theme', {}],
      ['read_screen', { id: 'A' }],
      ['read_screen', { id: 'B' }],
      ['read_screen', { id: 'C' }],
    ],
    finish: 'tool_calls',
    prompt: 249,
    completion: 241,
    reasoningTokens: 183,
  },
};

const params = { model: 'google/gemini-3-pro-preview', messages: [{ role: 'user' as const, content: 'Replay.' }] };

describe.runIf(fixtures)('Gemini recorded responses replay to the expected OpenAI shape', () => {
  let server: MockServer;
  const adapters: Record<string, () => ProviderAdapter> = {
    '@google/genai': () => google({ client: new GoogleGenAI({ apiKey: 'AIza-test-key', httpOptions: { baseUrl: server.baseURL } }) }),
    '@google/generative-ai': () => google({ client: new GoogleGenerativeAI('AIza-test-key'), requestOptions: { baseUrl: server.baseURL } }),
  };
  beforeAll(async () => {
    server = await startMockServer({ format: geminiWireFormat });
  });
  afterAll(() => server.close());

  for (const [sdk, adapter] of Object.entries(adapters)) {
    for (const fixture of fixtures ?? []) {
      it(`${sdk}: ${fixture.name}`, async () => {
        const gateway = createGateway({ providers: { google: adapter() } });
        if (fixture.name === 'google-429-retry-info.json') {
          server.enqueue({ kind: 'raw', status: 429, body: fixture.text });
          await expect(gateway.chat.completions.create(params)).rejects.toMatchObject({ name: 'ProviderError', status: 429, retryable: true, retryAfterMs: 34_400, providerCode: 'RESOURCE_EXHAUSTED' });
          return;
        }
        const want = expected[fixture.name];
        expect(want, `no expectation written for ${fixture.name}`).toBeDefined();
        if (!want) return;
        if (fixture.kind === 'json') {
          server.enqueue({ kind: 'raw', body: fixture.text });
          const completion = await gateway.chat.completions.create(params);
          const message = completion.choices[0]!.message;
          expect(message.content ?? '').toBe(want.text);
          expect((message.tool_calls ?? []).map((call) => (call.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : []))).toEqual(want.tools ?? []);
          expect(completion.choices[0]?.finish_reason).toBe(want.finish);
          expect(completion.usage).toMatchObject({ prompt_tokens: want.prompt, completion_tokens: want.completion, total_tokens: want.prompt + want.completion, completion_tokens_details: { reasoning_tokens: want.reasoningTokens } });
          // Gemini's thought signatures come back for the next turn, tied to the call when Gemini tied them.
          const signature = message.reasoning_details?.find((detail) => detail.type === 'signature');
          expect(signature).toMatchObject({ type: 'signature', signature: expect.stringMatching(/.{20}/) });
          if (want.tools) expect(signature).toMatchObject({ tool_call_id: message.tool_calls?.[0]?.id });
          return;
        }
        server.enqueue({ kind: 'raw-stream', events: chunkLines(fixture.text) });
        const chunks: ChatCompletionChunk[] = [];
        for await (const chunk of await gateway.chat.completions.create({ ...params, stream: true, stream_options: { include_usage: true } })) chunks.push(chunk);
        const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
        expect(deltas.map((d) => d.content ?? '').join('')).toBe(want.text);
        const calls: Array<{ id: string; name: string; arguments: string }> = [];
        for (const call of deltas.flatMap((d) => d.tool_calls ?? [])) {
          const slot = (calls[call.index] ??= { id: '', name: '', arguments: '' });
          slot.id += call.id ?? '';
          slot.name += call.function?.name ?? '';
          slot.arguments += call.function?.arguments ?? '';
        }
        expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual(want.tools ?? []);
        expect(new Set(calls.map((call) => call.id)).size).toBe(calls.length);
        expect(chunks.flatMap((chunk) => chunk.choices).find((choice) => choice.finish_reason)?.finish_reason).toBe(want.finish);
        expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: want.prompt, completion_tokens: want.completion, completion_tokens_details: { reasoning_tokens: want.reasoningTokens } });
        if (want.reasoning) expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toContain(want.reasoning);
      });
    }
  }
});
