import { createGateway, type ChatCompletion, type ChatCompletionChunk } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { drain, messages, streamSummary } from './helpers.js';

const base = { id: 'chatcmpl-42', object: 'chat.completion.chunk' as const, created: 1_700_000_000, model: 'gpt-4.1-2025-04-14' };
const usage = { prompt_tokens: 31, completion_tokens: 19, total_tokens: 50 };

/** A stream in OpenAI's documented shape: text, then two tool calls with fragmented arguments, the finish chunk, the usage chunk. */
function toolStream(): ChatCompletionChunk[] {
  return [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { content: 'Let me ' }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { content: 'check.' }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city": "Par' } }] }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_time', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } }] }, finish_reason: null }] },
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    { ...base, choices: [], usage },
  ];
}

function streamingGateway() {
  let calls = 0;
  const adapter = scriptedAdapter({
    stream: async function* () {
      calls++;
      // Fresh objects per call, as an SDK makes them.
      yield* toolStream();
    },
    chat: () => {
      calls++;
      return completionOf('Paris.', { prompt_tokens: 7, completion_tokens: 3 });
    },
  });
  const gateway = createGateway({ providers: { p: adapter }, cache: { exact: {} } });
  return { gateway, calls: () => calls };
}

describe('stream replay', () => {
  it('replays a stream whose content, tool calls, finish reason and usage equal the original’s', async () => {
    const { gateway, calls } = streamingGateway();
    const params = { model: 'p/m', messages, stream: true as const, stream_options: { include_usage: true } };
    const original = await drain(await gateway.chat.completions.create(params));
    const { data, meta } = await gateway.chat.completions.create(params).withMeta();
    const replay = await drain(data);
    expect(calls()).toBe(1);
    expect(meta.served).toBe('middleware');
    expect(streamSummary(replay)).toEqual(streamSummary(original));
    expect(streamSummary(replay)).toEqual({
      content: { 0: 'Let me check.' },
      finish: { 0: 'tool_calls' },
      tools: {
        '0:0': { id: 'call_weather', name: 'get_weather', arguments: '{"city": "Paris"}' },
        '0:1': { id: 'call_time', name: 'get_time', arguments: '{"tz":"CET"}' },
      },
      usage,
    });
    expect(replay.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.id === 'chatcmpl-42' && chunk.model === 'gpt-4.1-2025-04-14')).toBe(true);
    expect(replay.at(-1)).toMatchObject({ choices: [], usage });
  });

  it('sends the usage chunk only to a caller who asked for it, and reports the usage either way', async () => {
    const { gateway } = streamingGateway();
    await drain(await gateway.chat.completions.create({ model: 'p/m', messages, stream: true, stream_options: { include_usage: true } }));
    const { data, meta } = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).withMeta();
    const replay = await drain(data);
    expect(replay.some((chunk) => chunk.usage)).toBe(false);
    expect(replay.some((chunk) => chunk.choices.length === 0)).toBe(false);
    expect(meta).toMatchObject({ served: 'middleware', totalUsage: undefined, usage: { inputTokens: 31, outputTokens: 19, totalTokens: 50 } });
  });

  it('answers a completion call from a stored stream, as the completion OpenAI would have returned', async () => {
    const { gateway, calls } = streamingGateway();
    await drain(await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }));
    const completion = await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(calls()).toBe(1);
    expect(completion).toEqual({
      id: 'chatcmpl-42',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4.1-2025-04-14',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check.',
            refusal: null,
            tool_calls: [
              { id: 'call_weather', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Paris"}' } },
              { id: 'call_time', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage,
    } satisfies ChatCompletion);
  });

  it('answers a stream call from a stored completion', async () => {
    const { gateway, calls } = streamingGateway();
    const completion = await gateway.chat.completions.create({ model: 'p/m', messages });
    const replay = await drain(await gateway.chat.completions.create({ model: 'p/m', messages, stream: true, stream_options: { include_usage: true } }));
    expect(calls()).toBe(1);
    expect(streamSummary(replay)).toEqual({ content: { 0: 'Paris.' }, finish: { 0: 'stop' }, tools: {}, usage: completion.usage });
  });

  it('gives every replay its own chunks: a caller changing them changes no later replay', async () => {
    const { gateway } = streamingGateway();
    const params = { model: 'p/m', messages, stream: true as const, stream_options: { include_usage: true } };
    const original = await drain(await gateway.chat.completions.create(params));
    for (const chunk of await drain(await gateway.chat.completions.create(params))) {
      for (const choice of chunk.choices) if (choice.delta.content) choice.delta.content = 'changed';
      if (chunk.usage) chunk.usage.total_tokens = 0;
    }
    expect(streamSummary(await drain(await gateway.chat.completions.create(params)))).toEqual(streamSummary(original));
  });
});
