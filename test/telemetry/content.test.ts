import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createGateway, GuardrailBlockedError, type GatewayConfig } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { tracing } from './helpers.js';

const otel = tracing();
const EMAIL = 'jane.doe@example-mail.com';

function gatewayWith(config: Omit<GatewayConfig, 'telemetry'>, telemetry: GatewayConfig['telemetry'] = { captureContent: true }) {
  otel.reset();
  return createGateway({ ...config, telemetry: { tracerProvider: otel.tracerProvider, ...telemetry } });
}

async function requestSpan(): Promise<ReadableSpan> {
  const spans = (await otel.spans()).filter((span) => span.attributes['switchyard.route'] !== undefined);
  expect(spans).toHaveLength(1);
  return spans[0] as ReadableSpan;
}

const json = (value: unknown) => JSON.parse(String(value)) as unknown;

describe('content capture', () => {
  it('is off by default', async () => {
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => completionOf('hi') }) } }, {});
    await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: 'hello' }] });
    const span = await requestSpan();
    expect(Object.keys(span.attributes).filter((key) => key.startsWith('gen_ai.input') || key.startsWith('gen_ai.output'))).toEqual([]);
  });

  it('records input and output messages as the convention shapes them', async () => {
    const answer = completionOf('It is sunny.');
    answer.choices[0]!.message.tool_calls = [{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }];
    answer.choices[0]!.finish_reason = 'tool_calls';
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => answer }) } });
    await gateway.chat.completions.create({
      model: 'main/m',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: [{ type: 'text', text: 'Weather?' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }] },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'where', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_0', content: 'Oslo' },
      ],
    });
    const span = await requestSpan();
    expect(json(span.attributes['gen_ai.input.messages'])).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'Be brief.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather?' }, { type: 'blob', modality: 'image', mime_type: 'image/png', content: '' }] },
      { role: 'assistant', parts: [{ type: 'tool_call', id: 'call_0', name: 'where', arguments: {} }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_0', response: 'Oslo' }] },
    ]);
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'It is sunny.' }, { type: 'tool_call', id: 'call_1', name: 'weather', arguments: { city: 'Oslo' } }], finish_reason: 'tool_calls' },
    ]);
  });

  it('records content after the guardrails: redacted input, and restored values redacted again in the answer', async () => {
    const gateway = gatewayWith({
      providers: { main: scriptedAdapter({ chat: () => completionOf('I will write to [EMAIL_1] today.') }) },
      guardrails: [{ name: 'pii', type: 'pii', redaction: 'reversible', entities: ['email'] }],
    });
    const answer = await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: `Draft a note to ${EMAIL}` }] });
    expect(answer.choices[0]?.message.content).toContain(EMAIL);
    const span = await requestSpan();
    expect(JSON.stringify(span.attributes)).not.toContain(EMAIL);
    expect(json(span.attributes['gen_ai.input.messages'])).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'Draft a note to [EMAIL_1]' }] }]);
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'I will write to [EMAIL_1] today.' }], finish_reason: 'stop' }]);
  });

  it('records nothing of a call whose input a guardrail blocked', async () => {
    const gateway = gatewayWith({
      providers: { main: scriptedAdapter({ chat: () => completionOf('never') }) },
      guardrails: [{ name: 'pii', type: 'pii', action: 'block', on: 'input' }],
    });
    await expect(gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: `mail ${EMAIL}` }] })).rejects.toBeInstanceOf(GuardrailBlockedError);
    const span = await requestSpan();
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(JSON.stringify(span.attributes)).not.toContain(EMAIL);
  });

  it('records nothing of a call an audit-mode redactor found something in, input or streamed answer', async () => {
    const gateway = gatewayWith({
      providers: { main: scriptedAdapter({ chat: () => completionOf('ok'), stream: async function* () { yield* chunksOf(['mail ', EMAIL]); } }) },
      guardrails: [{ name: 'pii', type: 'pii', mode: 'audit', entities: ['email'] }],
    });
    await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: `to ${EMAIL}` }] });
    const inInput = await requestSpan();
    expect(inInput.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(inInput.attributes['gen_ai.output.messages']).toBeUndefined();
    otel.reset();
    for await (const chunk of await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: 'who?' }], stream: true })) void chunk;
    const inAnswer = await requestSpan();
    expect(inAnswer.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(inAnswer.attributes['gen_ai.output.messages']).toBeUndefined();
    expect(JSON.stringify((await otel.spans()).map((span) => [span.attributes, span.events]))).not.toContain('jane.doe');
  });

  it('records a streamed answer once it has passed', async () => {
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ stream: async function* () { yield* chunksOf(['Hel', 'lo', '!']); } }) } });
    const stream = await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const chunk of stream) void chunk;
    const span = await requestSpan();
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }], finish_reason: 'stop' }]);
  });

  it('as events: on a gen_ai.client.inference.operation.details event, not on the span', async () => {
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => completionOf('hi') }) } }, { captureContent: { as: 'events' } });
    await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: 'hello' }] });
    const span = await requestSpan();
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    const event = span.events.find((candidate) => candidate.name === 'gen_ai.client.inference.operation.details');
    expect(json(event?.attributes?.['gen_ai.input.messages'])).toEqual([{ role: 'user', parts: [{ type: 'text', content: 'hello' }] }]);
    expect(json(event?.attributes?.['gen_ai.output.messages'])).toEqual([{ role: 'assistant', parts: [{ type: 'text', content: 'hi' }], finish_reason: 'stop' }]);
  });

  it('keeps each attribute within maxChars, valid JSON, cuts marked, the newest input kept', async () => {
    const long = 'x'.repeat(5_000);
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => completionOf(long) }) } }, { captureContent: { maxChars: 512 } });
    await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: long }, { role: 'assistant', content: 'short' }, { role: 'user', content: 'and the last question' }] });
    const span = await requestSpan();
    for (const key of ['gen_ai.input.messages', 'gen_ai.output.messages']) {
      const value = String(span.attributes[key]);
      expect(value.length).toBeLessThanOrEqual(512);
      expect(value).toContain('…[cut ');
      expect(() => JSON.parse(value)).not.toThrow();
    }
    const input = json(span.attributes['gen_ai.input.messages']) as Array<{ parts: Array<{ content: string }> }>;
    expect(input.at(-1)?.parts[0]?.content).toBe('and the last question');
  });

  it('refuses a cap too small to hold a message', () => {
    expect(() => gatewayWith({ providers: { main: scriptedAdapter({ chat: () => completionOf('hi') }) } }, { captureContent: { maxChars: 10 } })).toThrow(/telemetry\.captureContent/);
  });
});
