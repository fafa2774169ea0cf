import Anthropic from '@anthropic-ai/sdk';
import { anthropic } from '@switchyard/anthropic';
import { createGateway, type ChatCompletionChunk, type ChatCompletionMessageToolCall } from '@switchyard/core';
import { anthropicWireFormat, startMockServer, type MockServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkLines, loadFixtures } from './fixtures.js';

const fixtures = loadFixtures('anthropic');

interface Expected {
  text: string | null;
  reasoning?: string;
  signed?: boolean;
  tools?: Array<[name: string, args: unknown]>;
  finish: string;
  prompt: number;
  completion: number;
}

/** What each recorded response must become, worked out by hand from the recording. */
const expected: Record<string, Expected> = {
  'anthropic-text.json': { text: "Hello! I'm doing well, thanks for asking. How are you doing today? Is there anything I can help you with?", finish: 'stop', prompt: 12, completion: 29 },
  'anthropic-text.chunks.txt': { text: "Hello! I'm doing well, thank you for asking. How are you doing today? Is there anything I can help you with?", finish: 'stop', prompt: 12, completion: 30 },
  'anthropic-clear-thinking.1.json': { text: '925 ÷ 5 = 185', reasoning: '925 divided by 5 = 185', signed: true, finish: 'stop', prompt: 69, completion: 33 },
  'anthropic-clear-thinking.1.chunks.txt': { text: '925 ÷ 5 = 185', reasoning: 'The previous result was 925.', signed: true, finish: 'stop', prompt: 69, completion: 53 },
  'anthropic-tool-no-args.json': { text: '<thinking>', tools: [['updateIssueList', {}]], finish: 'tool_calls', prompt: 602, completion: 93 },
  'anthropic-tool-no-args.chunks.txt': { text: "I'll update the issue list for you.", tools: [['updateIssueList', {}]], finish: 'tool_calls', prompt: 565, completion: 48 },
  'anthropic-json-other-tool.1.json': { text: null, tools: [['weather', { location: 'San Francisco' }]], finish: 'tool_calls', prompt: 843, completion: 28 },
  'anthropic-json-other-tool.1.chunks.txt': { text: null, tools: [['weather', { location: 'San Francisco' }]], finish: 'tool_calls', prompt: 843, completion: 28 },
  'anthropic-refusal.json': { text: null, finish: 'content_filter', prompt: 18, completion: 5 },
  'anthropic-refusal.chunks.txt': { text: null, finish: 'content_filter', prompt: 18, completion: 5 },
  // message_start says 43 input tokens; the final message_delta corrects it to 61.
  'anthropic-message-delta-input-tokens.chunks.txt': { text: 'pong', finish: 'stop', prompt: 61, completion: 2 },
};

const params = {
  model: 'anthropic/claude-replay',
  messages: [{ role: 'user' as const, content: 'Replay.' }],
  // The recordings answered a JSON request with another tool: the JSON tool must not swallow it.
  tools: [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { location: { type: 'string' } } } } }],
};

function args(calls: ChatCompletionMessageToolCall[] | undefined) {
  return (calls ?? []).map((call) => (call.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : []));
}

describe.runIf(fixtures)('Anthropic recorded responses replay to the expected OpenAI shape', () => {
  let server: MockServer;
  const gateway = () =>
    createGateway({ providers: { anthropic: anthropic({ client: new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.baseURL }) }) } });
  beforeAll(async () => {
    server = await startMockServer({ format: anthropicWireFormat });
  });
  afterAll(() => server.close());

  for (const fixture of fixtures ?? []) {
    it(fixture.name, async () => {
      const want = expected[fixture.name];
      expect(want, `no expectation written for ${fixture.name}`).toBeDefined();
      if (!want) return;
      if (fixture.kind === 'json') {
        server.enqueue({ kind: 'raw', body: fixture.text });
        const completion = await gateway().chat.completions.create({ ...params, response_format: { type: 'json_object' } });
        const message = completion.choices[0]!.message;
        if (want.text === null) expect(message.content).toBeNull();
        else expect(message.content).toContain(want.text);
        expect(args(message.tool_calls)).toEqual(want.tools ?? []);
        expect(completion.choices[0]?.finish_reason).toBe(want.finish);
        expect(completion.usage).toMatchObject({ prompt_tokens: want.prompt, completion_tokens: want.completion, total_tokens: want.prompt + want.completion });
        if (want.reasoning) expect(message.reasoning_content).toContain(want.reasoning);
        if (want.signed) expect(message.reasoning_details?.[0]).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/.{20}/) });
        return;
      }
      server.enqueue({ kind: 'raw-stream', events: chunkLines(fixture.text).map((data) => ({ event: (JSON.parse(data) as { type: string }).type, data })) });
      const chunks: ChatCompletionChunk[] = [];
      const stream = await gateway().chat.completions.create({ ...params, response_format: { type: 'json_object' }, stream: true, stream_options: { include_usage: true } });
      for await (const chunk of stream) chunks.push(chunk);
      const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));
      const text = deltas.map((d) => d.content ?? '').join('');
      expect(text).toBe(want.text ?? '');
      const calls: Array<{ name: string; arguments: string }> = [];
      for (const call of deltas.flatMap((d) => d.tool_calls ?? [])) {
        const slot = (calls[call.index] ??= { name: '', arguments: '' });
        slot.name += call.function?.name ?? '';
        slot.arguments += call.function?.arguments ?? '';
      }
      expect(calls.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual(want.tools ?? []);
      expect(chunks.flatMap((chunk) => chunk.choices).find((choice) => choice.finish_reason)?.finish_reason).toBe(want.finish);
      expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: want.prompt, completion_tokens: want.completion });
      if (want.reasoning) expect(deltas.map((d) => d.reasoning_content ?? '').join('')).toContain(want.reasoning);
      if (want.signed) expect(deltas.flatMap((d) => d.reasoning_details ?? [])[0]).toMatchObject({ type: 'thinking', signature: expect.stringMatching(/.{20}/) });
    });
  }
});
