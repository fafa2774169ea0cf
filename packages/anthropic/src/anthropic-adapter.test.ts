import Anthropic from '@anthropic-ai/sdk';
import { StreamInterruptedError, createGateway } from '@switchyard/core';
import { ResponseTooLargeError } from '@switchyard/core/adapter';
import { anthropicWireFormat, startMockServer, type MockServer, type RecordedRequest } from '@switchyard/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { anthropic } from './anthropic-adapter.js';

let server: MockServer;
let client: Anthropic;
const messages = [{ role: 'user' as const, content: 'hi' }];
beforeEach(async () => {
  server = await startMockServer({ format: anthropicWireFormat });
  client = new Anthropic({ apiKey: 'sk-ant-test-0000000000', baseURL: server.baseURL });
});
afterEach(() => server.close());

describe('anthropic adapter', () => {
  it('maps 529 overloaded to a retryable error, and retries it through the gateway', async () => {
    server.enqueue({ kind: 'error', status: 529, message: 'Overloaded' }, { content: 'fine now' });
    const once = createGateway({ providers: { anthropic: anthropic({ client }) }, routing: { retry: false } });
    await expect(once.chat.completions.create({ model: 'anthropic/claude-x', messages })).rejects.toMatchObject({
      status: 529,
      retryable: true,
      providerCode: 'overloaded_error',
    });
    server.enqueue({ kind: 'error', status: 529, message: 'Overloaded' }, { content: 'fine now' });
    const retrying = createGateway({ providers: { anthropic: anthropic({ client }) }, routing: { retry: { minDelayMs: 1, maxDelayMs: 1 } } });
    const completion = await retrying.chat.completions.create({ model: 'anthropic/claude-x', messages });
    expect(completion.choices[0]?.message.content).toBe('fine now');
  });

  it('turns an error event mid-stream into a StreamInterruptedError', async () => {
    server.enqueue({
      kind: 'raw-stream',
      events: [
        { event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { id: 'm', model: 'claude-x', content: [], usage: { input_tokens: 3, output_tokens: 1 } } }) },
        { event: 'content_block_start', data: JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) },
        { event: 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }) },
        { event: 'error', data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) },
      ],
    });
    const gateway = createGateway({ providers: { anthropic: anthropic({ client }) }, routing: { retry: false } });
    const stream = await gateway.chat.completions.create({ model: 'anthropic/claude-x', messages, stream: true });
    const error = await (async () => {
      for await (const _ of stream) void _;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).cause).toMatchObject({ status: 529, providerCode: 'overloaded_error' });
  });

  it('rests a rate-limited pooled key and uses the other', async () => {
    const limited = 'sk-ant-pool-limited-0000000';
    const open = 'sk-ant-pool-open-11111111111';
    const keyOf = (request: RecordedRequest) => String(request.headers['x-api-key'] ?? request.headers.authorization ?? '').replace('Bearer ', '');
    server.setFallback((request) => (keyOf(request) === limited ? { kind: 'error', status: 429, retryAfter: 60 } : { content: 'ok' }));
    const gateway = createGateway({ providers: { anthropic: anthropic({ client, keys: [limited, open] }) }, routing: { retry: false } });
    for (let i = 0; i < 10; i++) await gateway.chat.completions.create({ model: 'anthropic/claude-x', messages }).catch(() => undefined);
    const used = server.requests.map(keyOf);
    expect(used.filter((key) => key === limited).length).toBeLessThanOrEqual(1);
    expect(used.filter((key) => key === open).length).toBeGreaterThanOrEqual(9);
  });
});

describe('anthropic adapter: hostile upstreams', () => {
  const MiB = 1024 * 1024;
  const retrying = () => createGateway({ providers: { anthropic: anthropic({ client }) }, routing: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } } });

  it('reads the non-stream message itself, as the SDK would have parsed it', async () => {
    server.enqueue({ content: 'Hello there', usage: { input: 7, output: 2 } });
    const completion = await createGateway({ providers: { anthropic: anthropic({ client }) } }).chat.completions.create({ model: 'anthropic/claude-x', messages });
    expect(completion.choices[0]?.message.content).toBe('Hello there');
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2 });
  });

  it('stops a non-stream body that never ends at the body limit, once, with a typed error that is not retried', async () => {
    server.setFallback({ endlessBody: true });
    const error = await retrying().chat.completions.create({ model: 'anthropic/claude-x', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ providerCode: 'body_too_large', retryable: false, provider: 'anthropic', model: 'claude-x' });
    expect(server.requests).toHaveLength(1);
  });

  it('stops a small gzip body that inflates past a configured body limit', async () => {
    const small = createGateway({ providers: { anthropic: anthropic({ client, limits: { maxBodyBytes: 8 * MiB } }) }, routing: { retry: false } });
    server.enqueue({ gzipInflatesTo: 512 * MiB });
    await expect(small.chat.completions.create({ model: 'anthropic/claude-x', messages })).rejects.toMatchObject({
      name: 'ResponseTooLargeError',
      limitBytes: 8 * MiB,
    });
  });

  it('rejects a non-stream body that is not JSON, or not a message, with a typed error', async () => {
    server.enqueue({ kind: 'raw', body: 'not json at all' }, { kind: 'raw', body: { type: 'message', content: 'not a list' } });
    const once = createGateway({ providers: { anthropic: anthropic({ client }) }, routing: { retry: false } });
    await expect(once.chat.completions.create({ model: 'anthropic/claude-x', messages })).rejects.toMatchObject({ providerCode: 'malformed_response', message: expect.stringContaining('not JSON') as string });
    await expect(once.chat.completions.create({ model: 'anthropic/claude-x', messages })).rejects.toMatchObject({ providerCode: 'malformed_response' });
  });

  it('stops a stream line that never ends at the event limit', async () => {
    server.setFallback({ content: 'x', hugeEvent: { bytes: 64 * MiB, as: 'line' } });
    const error = await (async () => {
      for await (const _ of await retrying().chat.completions.create({ model: 'anthropic/claude-x', messages, stream: true })) void _;
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ResponseTooLargeError', providerCode: 'event_too_large', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('ends a stream at message_stop when the server holds the connection open, and lets the connection go', async () => {
    server.enqueue({ content: 'Hello there', holdOpen: true });
    const gateway = createGateway({ providers: { anthropic: anthropic({ client }) }, routing: { retry: false } });
    const contents: string[] = [];
    for await (const chunk of await gateway.chat.completions.create({ model: 'anthropic/claude-x', messages, stream: true }, { idleTimeout: 100 })) {
      contents.push(chunk.choices[0]?.delta.content ?? '');
    }
    expect(contents.join('')).toBe('Hello there');
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
  });
});
