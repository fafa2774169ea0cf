import Anthropic, { APIError } from '@anthropic-ai/sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { anthropicWireFormat } from './anthropic-wire-format.js';
import type { ChatReply, RecordedRequest } from './mock-reply.js';
import { startMockServer, type MockServer } from './mock-server.js';

let server: MockServer;
let client: Anthropic;
beforeEach(async () => {
  server = await startMockServer({ format: anthropicWireFormat });
  client = new Anthropic({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0 });
});
afterEach(async () => {
  await server.close();
});

const params = {
  model: 'claude-test',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'What is the weather in Paris?' }],
};

const toolReply: ChatReply = {
  reasoning: 'The user wants weather.',
  content: 'Let me check.',
  toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' }],
  usage: { input: 100, output: 20, cached: 30, cacheWrite: 10 },
};

const expectedContent = [
  { type: 'thinking', thinking: 'The user wants weather.', signature: 'sig_mock_23' },
  { type: 'text', text: 'Let me check.' },
  { type: 'tool_use', id: 'toolu_0', name: 'get_weather', input: { city: 'Paris', unit: 'c' } },
];

// Input tokens exclude cache reads (30) and writes (10).
const expectedUsage = { input_tokens: 60, output_tokens: 20, cache_read_input_tokens: 30, cache_creation_input_tokens: 10 };

describe('anthropic wire format', () => {
  it('serves the SDK from the server root at /v1/messages', async () => {
    expect(server.baseURL).toBe(server.url);
    const message = await client.messages.create(params);
    expect(message).toMatchObject({ id: 'msg_mock', type: 'message', role: 'assistant', model: 'claude-test', stop_reason: 'end_turn' });
    expect(message.content).toEqual([{ type: 'text', text: expect.stringContaining('mock') as unknown }]);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/messages', body: { model: 'claude-test' } });
  });

  it('answers thinking, text and tool calls with cache-aware usage', async () => {
    server.enqueue(toolReply);
    const message = await client.messages.create(params);
    expect(message.content).toEqual(expectedContent);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject(expectedUsage);
  });

  it('marks refusals and honours a scripted stop reason', async () => {
    server.enqueue({ refusal: 'I cannot help with that.' }, { content: 'cut sho', finishReason: 'max_tokens' });
    const refused = await client.messages.create(params);
    expect(refused.stop_reason).toBe('refusal');
    expect(refused.content).toEqual([]);
    expect(refused.stop_details).toMatchObject({ type: 'refusal', explanation: 'I cannot help with that.' });
    expect((await client.messages.create(params)).stop_reason).toBe('max_tokens');
  });

  it('streams events the SDK assembles into the same message', async () => {
    server.enqueue(toolReply);
    const stream = client.messages.stream(params);
    const texts: string[] = [];
    stream.on('text', (text) => texts.push(text));
    const message = await stream.finalMessage();
    expect(message.content).toEqual(expectedContent);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject(expectedUsage);
    expect(texts).toEqual(['Let ', 'me ', 'check.']);
  });

  it('sends the Messages event sequence, with a ping and no [DONE]', async () => {
    server.enqueue({ reasoning: 'Hmm.', content: 'a b', toolCalls: [{ id: 'toolu_x', name: 'f', arguments: '{"q":"long value"}' }] });
    const types: string[] = [];
    const deltas: string[] = [];
    for await (const event of await client.messages.create({ ...params, stream: true })) {
      types.push(event.type);
      if (event.type === 'content_block_delta') deltas.push(event.delta.type);
    }
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((type) => type === 'content_block_start')).toHaveLength(3);
    expect(deltas).toEqual(['thinking_delta', 'signature_delta', 'text_delta', 'text_delta', 'input_json_delta', 'input_json_delta', 'input_json_delta']);

    server.enqueue({ content: 'hi' });
    const response = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: JSON.stringify({ ...params, stream: true }) });
    const raw = await response.text();
    expect(raw).toContain('event: ping\n');
    expect(raw).not.toContain('[DONE]');
    expect(raw.trimEnd().endsWith('data: {"type":"message_stop"}')).toBe(true);
  });

  it('sends errors in the Anthropic shape, reaching the SDK as its error classes', async () => {
    server.enqueue(
      { kind: 'error', status: 429, retryAfter: 5, message: 'slow down' },
      { kind: 'error', status: 529 },
      { kind: 'error', status: 400, code: 'custom_error' },
    );
    const limited = await client.messages.create(params).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited).toMatchObject({ status: 429, type: 'rate_limit_error', error: { type: 'error', error: { message: 'slow down' } } });
    expect((limited as APIError).headers?.get('retry-after')).toBe('5');
    const overloaded = await client.messages.create(params).catch((error: unknown) => error);
    expect(overloaded).toBeInstanceOf(Anthropic.InternalServerError);
    expect(overloaded).toMatchObject({ status: 529, type: 'overloaded_error' });
    await expect(client.messages.create(params)).rejects.toMatchObject({ status: 400, type: 'custom_error' });
  });

  it('scripts a mid-stream error event through a raw stream, adding no end marker', async () => {
    const request: RecordedRequest = { method: 'POST', path: '/v1/messages', headers: {}, body: params };
    const opening = anthropicWireFormat.streamEvents({ content: 'partial answer' }, request).slice(0, 4);
    const error = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    server.enqueue({ kind: 'raw-stream', events: [...opening, { event: 'error', data: JSON.stringify(error) }] });
    const failure = await client.messages
      .stream(params)
      .finalMessage()
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({ type: 'overloaded_error' });

    server.enqueue({ kind: 'raw-stream', events: [{ event: 'ping', data: '{"type":"ping"}' }] });
    const response = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(await response.text()).toBe('event: ping\ndata: {"type":"ping"}\n\n');
  });

  it('fails the SDK stream when the connection is cut or an event is malformed', async () => {
    server.enqueue({ content: 'a b c d', cutAfter: 3 }, { content: 'a b c d', malformedAt: 0 });
    const received: string[] = [];
    const cut = async () => {
      for await (const event of await client.messages.create({ ...params, stream: true })) received.push(event.type);
    };
    await expect(cut()).rejects.toThrow('terminated');
    expect(received).not.toContain('message_stop');
    // The SDK logs what it could not parse; keep the test output clean.
    const quiet = new Anthropic({ apiKey: 'test', baseURL: server.baseURL, maxRetries: 0, logLevel: 'off' });
    await expect(quiet.messages.stream(params).finalMessage()).rejects.toThrow('not valid JSON');
  });

  it('has no embeddings endpoint', async () => {
    server.enqueue({ kind: 'embeddings' });
    const response = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });
});
