import Anthropic from '@anthropic-ai/sdk';
import { StreamInterruptedError, createGateway } from '@switchyard/core';
import { anthropicWireFormat, startMockServer, type MockServer, type RecordedRequest } from '@switchyard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
