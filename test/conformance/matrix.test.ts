import {
  AbortError,
  ProviderError,
  StreamInterruptedError,
  TimeoutError,
  UnsupportedFeatureError,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatCompletionCreateParams,
  type ChatCompletionMessageToolCall,
  type Gateway,
} from '@switchyard/core';
import type { ChatReply, MockServer } from '@switchyard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harnesses } from './harnesses.js';
import { PNG, pixelServer } from './pixel-server.js';

const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather for a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } },
};
const calls = [
  { name: 'get_weather', arguments: '{"city":"Paris"}' },
  { name: 'get_weather', arguments: '{"city":"Rome"}' },
];

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

/** Rebuilds a completion message from stream deltas, as OpenAI's own stream helpers do. */
function assemble(chunks: ChatCompletionChunk[]) {
  let content = '';
  let reasoning = '';
  let finish: string | null = null;
  const tools: Array<{ id: string; name: string; arguments: string }> = [];
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      content += choice.delta.content ?? '';
      reasoning += choice.delta.reasoning_content ?? '';
      finish = choice.finish_reason ?? finish;
      for (const call of choice.delta.tool_calls ?? []) {
        const slot = (tools[call.index] ??= { id: '', name: '', arguments: '' });
        slot.id += call.id ?? '';
        slot.name += call.function?.name ?? '';
        slot.arguments += call.function?.arguments ?? '';
      }
    }
  }
  return { content, reasoning, finish, tools, usage: chunks.find((chunk) => chunk.usage)?.usage };
}

const functionCalls = (completion: ChatCompletion) =>
  (completion.choices[0]?.message.tool_calls ?? []).filter((call): call is Extract<ChatCompletionMessageToolCall, { type: 'function' }> => call.type === 'function');

describe.each(harnesses)('conformance: $name', (harness) => {
  let server: MockServer;
  let gateway: Gateway;
  const model = `${harness.name.split(' ')[0]}/${harness.model}`;
  const ask = (extra: Partial<ChatCompletionCreateParams> = {}): ChatCompletionCreateParams => ({
    model,
    messages: [{ role: 'user', content: 'What is the weather in Paris and Rome?' }],
    ...extra,
  });
  const complete = (extra: Partial<ChatCompletionCreateParams> = {}) => gateway.chat.completions.create({ ...ask(extra), stream: false });
  const stream = async (extra: Partial<ChatCompletionCreateParams> = {}) =>
    collect(await gateway.chat.completions.create({ ...ask(extra), stream: true, stream_options: { include_usage: true } }));

  beforeEach(async () => {
    // One try per call: these cases test each adapter's translation; routing has its own tests.
    ({ server, gateway } = await harness.start({ routing: { retry: false } }));
  });
  afterEach(() => server.close());

  it('plain text, non-stream and stream, with consistent usage', async () => {
    const reply: ChatReply = { content: 'It is sunny in both.', usage: { input: 40, output: 6 } };
    server.enqueue(reply, reply);
    const completion = await complete();
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'It is sunny in both.' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 6, total_tokens: 46 });
    const streamed = assemble(await stream());
    expect(streamed).toMatchObject({ content: 'It is sunny in both.', finish: 'stop', usage: { prompt_tokens: 40, completion_tokens: 6, total_tokens: 46 } });
  });

  it('usage carries cached, cache-write and reasoning tokens exactly once', async () => {
    const reply: ChatReply = { content: 'ok', reasoning: 'thinking', usage: { input: 100, output: 20, cached: 30, cacheWrite: harness.reports.cacheWrite ? 10 : 0, reasoning: harness.reports.reasoning ? 5 : 0 } };
    server.enqueue(reply, reply);
    for (const usage of [(await complete()).usage, assemble(await stream()).usage]) {
      expect(usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 });
      expect(usage?.prompt_tokens_details?.cached_tokens).toBe(30);
      if (harness.reports.cacheWrite) expect(usage?.prompt_tokens_details?.cache_write_tokens).toBe(10);
      if (harness.reports.reasoning) expect(usage?.completion_tokens_details?.reasoning_tokens).toBe(5);
    }
  });

  it.each(['auto', 'none', 'required', 'named'] as const)('tool_choice %s reaches the provider mapped', async (choice) => {
    server.enqueue({ content: 'ok' });
    const tool_choice = choice === 'named' ? { type: 'function' as const, function: { name: 'get_weather' } } : choice;
    await complete({ tools: [weatherTool], tool_choice });
    expect(harness.toolChoiceSent(server.requests[0]!)).toEqual(harness.expectedToolChoice[choice]);
  });

  it('parallel tool calls, non-stream and streamed as OpenAI deltas', async () => {
    server.enqueue({ toolCalls: calls }, { toolCalls: calls, chunkSize: 4 });
    const completion = await complete({ tools: [weatherTool] });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    const made = functionCalls(completion);
    expect(made.map((call) => [call.function.name, JSON.parse(call.function.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Rome' }],
    ]);
    expect(new Set(made.map((call) => call.id)).size).toBe(2);
    const streamed = assemble(await stream({ tools: [weatherTool] }));
    expect(streamed.finish).toBe('tool_calls');
    expect(streamed.tools.map((call) => [call.name, JSON.parse(call.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Rome' }],
    ]);
    expect(streamed.tools.every((call) => call.id.length > 0)).toBe(true);
  });

  it('a tool call without arguments has arguments "{}", non-stream and streamed, as OpenAI sends it', async () => {
    const clock = { type: 'function' as const, function: { name: 'clock', parameters: { type: 'object', properties: {} } } };
    // Streamed with no argument text at all: what Anthropic (an empty partial_json) and some OpenAI-compatible servers send.
    server.enqueue({ toolCalls: [{ name: 'clock', arguments: '{}' }] }, { toolCalls: [{ name: 'clock', arguments: '' }] });
    const made = functionCalls(await complete({ tools: [clock] }));
    expect(made.map((call) => [call.function.name, call.function.arguments])).toEqual([['clock', '{}']]);
    const streamed = assemble(await stream({ tools: [clock] }));
    expect(streamed.tools.map((call) => [call.name, call.arguments])).toEqual([['clock', '{}']]);
    expect(streamed.finish).toBe('tool_calls');
  });

  it('tool results travel back matched to their calls', async () => {
    server.enqueue({ toolCalls: calls });
    const first = await complete({ tools: [weatherTool] });
    const message = first.choices[0]!.message;
    server.enqueue({ content: 'Paris 21, Rome 25.' });
    const second = await complete({
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'What is the weather in Paris and Rome?' },
        { role: 'assistant', content: message.content, tool_calls: message.tool_calls, ...(message.reasoning_details ? { reasoning_details: message.reasoning_details } : {}) },
        ...functionCalls(first).map((call, i) => ({ role: 'tool' as const, tool_call_id: call.id, content: JSON.stringify({ temperature: 21 + i * 4 }) })),
      ],
    });
    expect(second.choices[0]?.message.content).toBe('Paris 21, Rome 25.');
    const ids = functionCalls(first).map((call) => call.id);
    expect(harness.toolResultRef(server.requests[1]!)).toEqual(harness.name.startsWith('google') ? ['get_weather', 'get_weather'] : ids);
  });

  it('JSON schema answers arrive as message content', async () => {
    const json = '{"city":"Paris","temperature":21}';
    server.enqueue(harness.jsonReply(json), harness.jsonReply(json));
    const response_format = {
      type: 'json_schema' as const,
      json_schema: { name: 'weather', schema: { type: 'object', properties: { city: { type: 'string' }, temperature: { type: 'number' } }, required: ['city', 'temperature'] } },
    };
    const completion = await complete({ response_format });
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual({ city: 'Paris', temperature: 21 });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const streamed = assemble(await stream({ response_format }));
    expect(JSON.parse(streamed.content)).toEqual({ city: 'Paris', temperature: 21 });
  });

  describe('images', () => {
    const pixel = pixelServer();

    it('as a data URL and as an http URL', async () => {
      server.enqueue({ content: 'A pixel.' });
      const completion = await complete({
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What are these?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG.toString('base64')}` } },
              { type: 'image_url', image_url: { url: pixel.url() } },
            ],
          },
        ],
      });
      expect(completion.choices[0]?.message.content).toBe('A pixel.');
      const sent = JSON.stringify(server.requests[0]?.body);
      expect(sent).toContain(PNG.toString('base64'));
      // Gemini takes images inline only, so the http image was fetched and inlined too.
      expect(sent.split(PNG.toString('base64')).length - 1).toBe(harness.name.startsWith('google') ? 2 : 1);
    });
  });

  it('reasoning comes back as reasoning_content', async () => {
    const reply: ChatReply = { content: '42', reasoning: 'Six times seven.' };
    server.enqueue(reply, reply);
    expect((await complete({ reasoning_effort: 'high' })).choices[0]?.message.reasoning_content).toBe('Six times seven.');
    expect(assemble(await stream({ reasoning_effort: 'high' })).reasoning).toBe('Six times seven.');
  });

  it('finish reasons: length and content_filter', async () => {
    server.enqueue({ content: 'cut', finishReason: harness.finish.length }, harness.finish.contentFilter, { content: 'cut', finishReason: harness.finish.length });
    expect((await complete()).choices[0]?.finish_reason).toBe('length');
    expect((await complete()).choices[0]?.finish_reason).toBe('content_filter');
    expect(assemble(await stream()).finish).toBe('length');
  });

  it('embeddings, or a clear UnsupportedFeatureError', async () => {
    const embed = gateway.embeddings.create({ model: model.replace(harness.model, 'text-embedding-004'), input: ['a', 'b'], dimensions: 8 });
    if (!harness.embeddings) {
      await expect(embed).rejects.toBeInstanceOf(UnsupportedFeatureError);
      return;
    }
    const response = await embed;
    expect(response.data.map((item) => [item.index, item.embedding.length])).toEqual([
      [0, 8],
      [1, 8],
    ]);
  });

  describe('faults', () => {
    it('429 with a retry delay is a retryable ProviderError', async () => {
      server.enqueue({ kind: 'error', status: 429, retryAfter: 2, message: 'slow down' });
      await expect(complete()).rejects.toMatchObject({ name: 'ProviderError', status: 429, retryable: true, retryAfterMs: 2000 });
      expect(server.requests).toHaveLength(1);
    });

    it('5xx is retryable, 400 is not, each after one request', async () => {
      server.enqueue({ kind: 'error', status: 503 }, { kind: 'error', status: 400, message: 'bad' });
      await expect(complete()).rejects.toMatchObject({ status: 503, retryable: true });
      await expect(complete()).rejects.toMatchObject({ status: 400, retryable: false });
      expect(server.requests).toHaveLength(2);
    });

    it('a stream cut mid-way ends with StreamInterruptedError', async () => {
      server.enqueue({ content: 'one two three four five six seven', cutAfter: 4 });
      await expect(stream()).rejects.toBeInstanceOf(StreamInterruptedError);
    });

    it('a malformed chunk fails with a typed error', async () => {
      server.enqueue({ content: 'one two three four', malformedAt: 3 }, { content: 'one two three four', malformedAt: 0 });
      // After the first chunk the stream is interrupted; before it, the call itself fails.
      await expect(stream()).rejects.toBeInstanceOf(StreamInterruptedError);
      await expect(stream()).rejects.toBeInstanceOf(ProviderError);
    });

    it('a hanging provider times out, and an abort ends the call', async () => {
      server.enqueue({ hang: 'headers' }, { hang: 'headers' });
      await expect(gateway.chat.completions.create(ask(), { timeout: 50 })).rejects.toBeInstanceOf(TimeoutError);
      const controller = new AbortController();
      const pending = gateway.chat.completions.create(ask(), { signal: controller.signal });
      setTimeout(() => controller.abort(), 10);
      await expect(pending).rejects.toBeInstanceOf(AbortError);
    });
  });
});
