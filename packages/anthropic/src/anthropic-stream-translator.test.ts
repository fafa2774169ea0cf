import type { ChatCompletionChunk } from '@switchyard/core';
import type { ErrorScope, Usage } from '@switchyard/core/adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AnthropicStreamTranslator } from './anthropic-stream-translator.js';
import type { ResponsePlan } from './to-anthropic-request.js';

const scope: ErrorScope = { provider: 'anthropic', model: 'claude-x', secrets: [], signal: undefined };
const plain: ResponsePlan = { jsonTool: undefined, jsonWrapped: false };

function run(events: object[], plan: ResponsePlan = plain) {
  const translator = new AnthropicStreamTranslator(plan, scope, 1);
  const chunks: ChatCompletionChunk[] = [];
  for (const event of events) chunks.push(...translator.push({ event: (event as { type: string }).type, data: JSON.stringify(event) }));
  return { chunks, translator };
}

const start = (usage: object = { input_tokens: 10, output_tokens: 1, cache_read_input_tokens: 5, cache_creation_input_tokens: 2 }) => ({
  type: 'message_start',
  message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x-2025', content: [], usage },
});
const stop = (stop_reason: string, usage: object = { output_tokens: 7 }) => [
  { type: 'message_delta', delta: { stop_reason, stop_sequence: null }, usage },
  { type: 'message_stop' },
];

const deltas = (chunks: ChatCompletionChunk[]) => chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta));

describe('AnthropicStreamTranslator', () => {
  it('streams text, then a finish chunk and a usage chunk with cache reads and writes', () => {
    const { chunks, translator } = run([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'lo' } },
      { type: 'content_block_stop', index: 0 },
      ...stop('end_turn'),
    ]);
    expect(translator).toMatchObject({ complete: true, ended: true });
    expect(chunks[0]).toMatchObject({ id: 'msg_1', model: 'claude-x-2025', object: 'chat.completion.chunk', choices: [{ delta: { role: 'assistant', content: '' } }] });
    expect(deltas(chunks).map((d) => d.content ?? '').join('')).toBe('Hello');
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 17, completion_tokens: 7, total_tokens: 24, prompt_tokens_details: { cached_tokens: 5, cache_write_tokens: 2 } },
    });
  });

  it('reports usage as it arrives: the input side at message_start, then each cumulative message_delta', () => {
    const reported: Usage[] = [];
    const translator = new AnthropicStreamTranslator(plain, scope, 1, (usage) => reported.push(usage));
    const push = (event: object) => translator.push({ event: (event as { type: string }).type, data: JSON.stringify(event) });
    push(start());
    expect(reported).toEqual([{ inputTokens: 17, outputTokens: 1, totalTokens: 18, cachedInputTokens: 5, cacheWriteInputTokens: 2, cacheWrite1hInputTokens: 0, reasoningTokens: 0 }]);
    push({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
    push({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } });
    push({ type: 'message_delta', delta: {}, usage: { output_tokens: 4 } });
    push({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 7, output_tokens_details: { thinking_tokens: 2 } } });
    push({ type: 'message_delta', delta: {} });
    expect(reported.slice(1)).toEqual([
      { inputTokens: 17, outputTokens: 4, totalTokens: 21, cachedInputTokens: 5, cacheWriteInputTokens: 2, cacheWrite1hInputTokens: 0, reasoningTokens: 0 },
      { inputTokens: 17, outputTokens: 7, totalTokens: 24, cachedInputTokens: 5, cacheWriteInputTokens: 2, cacheWrite1hInputTokens: 0, reasoningTokens: 2 },
    ]);
  });

  it('takes the latest cumulative usage, never adding twice', () => {
    const { chunks } = run([start({ input_tokens: 43, output_tokens: 1 }), ...stop('end_turn', { input_tokens: 61, output_tokens: 2, output_tokens_details: { thinking_tokens: 1 } })]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 61, completion_tokens: 2, total_tokens: 63, completion_tokens_details: { reasoning_tokens: 1 } });
  });

  it('streams thinking as reasoning_content and closes each block with its signed detail', () => {
    const { chunks } = run([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-abc' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'opaque' } },
      { type: 'content_block_stop', index: 1 },
      ...stop('end_turn'),
    ]);
    const all = deltas(chunks);
    expect(all.map((d) => d.reasoning_content ?? '').join('')).toBe('Let me think.');
    expect(all.flatMap((d) => d.reasoning_details ?? [])).toEqual([
      { type: 'thinking', thinking: 'Let me think.', signature: 'sig-abc' },
      { type: 'redacted_thinking', data: 'opaque' },
    ]);
  });

  it('turns tool_use blocks into indexed tool-call deltas with argument fragments', () => {
    const { chunks } = run([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'weather', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_b', name: 'time', input: {} } },
      { type: 'content_block_stop', index: 2 },
      ...stop('tool_use'),
    ]);
    const calls = deltas(chunks).flatMap((d) => d.tool_calls ?? []);
    expect(calls).toEqual([
      { index: 0, id: 'toolu_a', type: 'function', function: { name: 'weather', arguments: '' } },
      { index: 0, function: { arguments: '{"city":' } },
      { index: 0, function: { arguments: '"Paris"}' } },
      { index: 1, id: 'toolu_b', type: 'function', function: { name: 'time', arguments: '' } },
      // A call without arguments ends with `{}`, as OpenAI streams it.
      { index: 1, function: { arguments: '{}' } },
    ]);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('ends a call without arguments with `{}`, as OpenAI streams one and as the whole message has it', () => {
    // As Anthropic streams it (recorded): `input: {}` at the start, one empty `partial_json`, the stop.
    const { chunks } = run([
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_c', name: 'updateIssueList', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_stop', index: 0 },
      ...stop('tool_use'),
    ]);
    const calls = deltas(chunks).flatMap((d) => d.tool_calls ?? []);
    expect(calls.map((call) => call.function?.arguments ?? '').join('')).toBe('{}');
    expect(calls.at(-1)).toEqual({ index: 0, function: { arguments: '{}' } });
  });

  it('streams a forced JSON tool as content, unwrapping a wrapped answer at the end', () => {
    const jsonEvents = (fragments: string[]) => [
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 't', name: 'json_response', input: {} } },
      ...fragments.map((partial_json) => ({ type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json } })),
      { type: 'content_block_stop', index: 0 },
      ...stop('tool_use'),
    ];
    const direct = run(jsonEvents(['{"a":', '1}']), { jsonTool: 'json_response', jsonWrapped: false }).chunks;
    expect(deltas(direct).map((d) => d.content ?? '').join('')).toBe('{"a":1}');
    expect(direct.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const wrapped = run(jsonEvents(['{"value":', '[1,2]}']), { jsonTool: 'json_response', jsonWrapped: true }).chunks;
    expect(deltas(wrapped).map((d) => d.content ?? '').join('')).toBe('[1,2]');
  });

  it('skips empty keep-alive events', () => {
    const translator = new AnthropicStreamTranslator(plain, scope, 1);
    expect(translator.push({ event: undefined, data: '' })).toEqual([]);
    expect(translator.push({ event: 'ping', data: '  ' })).toEqual([]);
  });

  it('maps stop reasons', () => {
    const finish = (reason: string) => run([start(), ...stop(reason)]).chunks.at(-2)?.choices[0]?.finish_reason;
    expect(['end_turn', 'stop_sequence', 'max_tokens', 'model_context_window_exceeded', 'refusal', 'pause_turn'].map(finish)).toEqual([
      'stop',
      'stop',
      'length',
      'length',
      'content_filter',
      'stop',
    ]);
  });

  it('throws typed errors for error events and malformed data', () => {
    expect(() => run([start(), { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }])).toThrow(
      expect.objectContaining({ name: 'ProviderError', status: 529, retryable: true, providerCode: 'overloaded_error' }),
    );
    expect(() => run([start(), { type: 'error', error: { type: 'invalid_request_error', message: 'bad' } }])).toThrow(
      expect.objectContaining({ status: 400, retryable: false }),
    );
    const translator = new AnthropicStreamTranslator(plain, scope, 1);
    expect(() => translator.push({ event: 'message_start', data: '{not json' })).toThrow(expect.objectContaining({ providerCode: 'malformed_response' }));
    expect(() => translator.push({ event: 'x', data: '{"no_type":1}' })).toThrow(expect.objectContaining({ providerCode: 'malformed_response' }));
  });

  it('keeps only an identifier-shaped error type, and reads a status only from a type it knows', () => {
    // `constructor` is a key of every object, not an Anthropic type: no status from it.
    expect(() => run([start(), { type: 'error', error: { type: 'constructor' } }])).toThrow(
      expect.objectContaining({ status: undefined, retryable: true, providerCode: 'constructor' }),
    );
    const prompt = 'my bank password is hunter2';
    let thrown: unknown;
    try {
      run([start(), { type: 'error', error: { type: `invalid ${prompt} ${'c'.repeat(100_000)}`, message: prompt } }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'ProviderError', status: undefined, retryable: true, providerCode: undefined });
    expect((thrown as Error).message).toMatch(/^anthropic\/claude-x reported an error event in stream\. Its own message is withheld/);
    expect((thrown as Error).message).not.toContain(prompt);
    // No type at all is Anthropic's generic `api_error`, as before.
    expect(() => run([start(), { type: 'error', error: {} }])).toThrow(expect.objectContaining({ status: 500, providerCode: 'api_error' }));
  });

  it('ignores unknown events, blocks, deltas and fields without changing the answer', () => {
    const base = [
      start(),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu', name: 'f', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 1 },
      ...stop('tool_use'),
    ];
    const expected = JSON.stringify(run(base).chunks);
    const noise = fc.oneof(
      fc.record({ type: fc.constantFrom('ping', 'future_event', 'content_block_delta'), index: fc.integer({ min: 5, max: 9 }), extra: fc.jsonValue() }),
      fc.record({ type: fc.constant('content_block_start'), index: fc.integer({ min: 5, max: 9 }), content_block: fc.record({ type: fc.constantFrom('server_tool_use', 'web_search_tool_result', 'mystery') }) }),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length), noise), { maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 5 }).map((key) => `x_${key}`), fc.jsonValue(), { maxKeys: 3 }), (inserts, extra) => {
        const events: object[] = base.map((event) => ({ ...extra, ...event }));
        for (const [at, event] of inserts) events.splice(Math.max(1, at), 0, event);
        expect(JSON.stringify(run(events).chunks)).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });
});
