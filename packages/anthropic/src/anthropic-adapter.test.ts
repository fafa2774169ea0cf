import Anthropic from '@anthropic-ai/sdk';
import { ProviderError, StreamInterruptedError, createGateway, type ChatCompletionChunk } from '@switchyard/core';
import { ResponseTooLargeError, type CallContext } from '@switchyard/core/adapter';
import { anthropicWireFormat, recordingCallContext, startMockServer, type MockServer, type RecordedRequest } from '@switchyard/testing';
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

/** Anthropic's response headers the gateway keeps: its request id and rate-limit state. */
const ANTHROPIC_HEADERS = {
  'request-id': 'req_011CAnthropicMock',
  'anthropic-ratelimit-requests-limit': '4000',
  'anthropic-ratelimit-requests-remaining': '3999',
  'anthropic-ratelimit-requests-reset': '2025-06-01T00:00:01Z',
  'anthropic-ratelimit-tokens-limit': '480000',
  'anthropic-ratelimit-tokens-remaining': '479000',
  'anthropic-ratelimit-tokens-reset': '2025-06-01T00:00:01Z',
  'anthropic-ratelimit-input-tokens-limit': '400000',
  'anthropic-ratelimit-input-tokens-remaining': '399000',
  'anthropic-ratelimit-input-tokens-reset': '2025-06-01T00:00:01Z',
  'anthropic-ratelimit-output-tokens-limit': '80000',
  'anthropic-ratelimit-output-tokens-remaining': '80000',
  'anthropic-ratelimit-output-tokens-reset': '2025-06-01T00:00:01Z',
};
/** Headers that say who the caller is, or nothing the gateway acts on: never kept. */
const UNRELATED_HEADERS = { 'anthropic-organization-id': 'org-0000-secret', 'set-cookie': 'session=abc', 'x-powered-by': 'mock' };

async function collect(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('anthropic adapter: provider response, warnings and usage on the call', () => {
  const ask = { model: 'claude-x', messages, max_tokens: 100 };

  it("reports Anthropic's request id and rate-limit headers for a message, and nothing else", async () => {
    server.enqueue({ content: 'hi', headers: { ...ANTHROPIC_HEADERS, ...UNRELATED_HEADERS } });
    const call = recordingCallContext();
    const completion = await anthropic({ client }).chat({ params: ask }, call);
    expect(completion.choices[0]?.message.content).toBe('hi');
    expect(call.responses).toEqual([{ providerRequestId: 'req_011CAnthropicMock', headers: ANTHROPIC_HEADERS }]);
    expect(call.warnings).toEqual([]);
  });

  it('reports a response once its headers are in, before its body', async () => {
    server.enqueue({ content: 'hi', hang: 'body', headers: ANTHROPIC_HEADERS }, { content: 'a b c', hang: 'body', headers: ANTHROPIC_HEADERS });
    const adapter = anthropic({ client });
    const controller = new AbortController();
    const call = recordingCallContext({ signal: controller.signal });
    const message = adapter.chat({ params: ask }, call);
    await vi.waitFor(() => expect(call.responses).toEqual([{ providerRequestId: 'req_011CAnthropicMock', headers: ANTHROPIC_HEADERS }]));
    const streamCall = recordingCallContext({ signal: controller.signal });
    const firstChunk = adapter.stream({ params: { ...ask, stream: true } }, streamCall)[Symbol.asyncIterator]().next();
    await vi.waitFor(() => expect(streamCall.responses).toEqual([{ providerRequestId: 'req_011CAnthropicMock', headers: ANTHROPIC_HEADERS }]));
    controller.abort();
    await expect(message).rejects.toThrow();
    await expect(firstChunk).rejects.toThrow();
  });

  it('reports a stream response once, not per event', async () => {
    server.enqueue({ content: 'a b c', headers: { ...ANTHROPIC_HEADERS, ...UNRELATED_HEADERS } });
    const call = recordingCallContext();
    const chunks = await collect(anthropic({ client }).stream({ params: { ...ask, stream: true } }, call));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('a b c');
    expect(call.responses).toEqual([{ providerRequestId: 'req_011CAnthropicMock', headers: ANTHROPIC_HEADERS }]);
  });

  it("reports a 429's rate limits and Retry-After for a message and a stream, and throws the same error as before", async () => {
    const limited = { 'request-id': 'req_429', 'anthropic-ratelimit-requests-limit': '50', 'anthropic-ratelimit-requests-remaining': '0' };
    const adapter = anthropic({ client });
    const operations = [(call: CallContext) => adapter.chat({ params: ask }, call), (call: CallContext) => collect(adapter.stream({ params: { ...ask, stream: true } }, call))];
    for (const operation of operations) {
      server.enqueue({ kind: 'error', status: 429, message: 'Number of requests has exceeded your rate limit', retryAfter: 2, headers: { ...limited, ...UNRELATED_HEADERS } });
      const call = recordingCallContext();
      const error = await operation(call).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000, providerCode: 'rate_limit_error', providerRequestId: 'req_429' });
      expect(call.responses).toEqual([{ providerRequestId: 'req_429', headers: { ...limited, 'retry-after': '2' } }]);
    }
  });

  it('reports no response when Anthropic could not be reached', async () => {
    const dead = await startMockServer({ format: anthropicWireFormat });
    await dead.close();
    const call = recordingCallContext();
    const error = await anthropic({ client: new Anthropic({ apiKey: 'sk-ant-x', baseURL: dead.baseURL }) })
      .chat({ params: ask }, call)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError', providerCode: 'connection_error' });
    expect(call.responses).toEqual([]);
  });

  it('warns once when a pooled key is refused and another succeeds, naming neither key, for a message and a stream', async () => {
    const first = 'sk-ant-pool-first-000000000';
    const second = 'sk-ant-pool-second-11111111';
    const keyOf = (request: RecordedRequest) => String(request.headers['x-api-key'] ?? request.headers.authorization ?? '').replace('Bearer ', '');
    const adapter = anthropic({ client, keys: [first, second], keyCooldownMs: 0 });
    const operations = [(call: CallContext) => adapter.chat({ params: ask }, call), (call: CallContext) => collect(adapter.stream({ params: { ...ask, stream: true } }, call))];
    for (const operation of operations) {
      const seen = server.requests.length;
      // Whichever key the pool picks first is refused, as Anthropic refuses a revoked key.
      server.enqueue(
        (request) => ({ kind: 'error', status: 401, message: `invalid x-api-key ${keyOf(request)}`, headers: { 'request-id': 'req_refused' } }),
        { content: 'ok', headers: ANTHROPIC_HEADERS },
      );
      const call = recordingCallContext();
      await operation(call);
      const [refused, accepted] = server.requests.slice(seen).map(keyOf);
      expect(new Set([refused, accepted])).toEqual(new Set([first, second]));
      expect(call.warnings).toEqual([{ code: 'key_retried', message: expect.stringContaining('HTTP 401') as string }]);
      expect(JSON.stringify(call.warnings)).not.toContain(first);
      expect(JSON.stringify(call.warnings)).not.toContain(second);
      // The refused response, then the one that answered: the later replaces it.
      expect(call.responses.map((response) => response.providerRequestId)).toEqual(['req_refused', 'req_011CAnthropicMock']);
    }
  });

  it('reports what the translation filled in, for a message and a stream, and sends the same request', async () => {
    const adapter = anthropic({ client });
    const operations = [(call: CallContext) => adapter.chat({ params: { model: 'claude-x', messages } }, call), (call: CallContext) => collect(adapter.stream({ params: { model: 'claude-x', messages, stream: true } }, call))];
    for (const operation of operations) {
      const call = recordingCallContext();
      await operation(call);
      expect(call.warnings).toEqual([{ code: 'parameter_defaulted', param: 'max_tokens', message: expect.stringContaining('4096') as string }]);
      expect(server.requests.at(-1)?.body).toMatchObject({ max_tokens: 4096 });
    }
  });

  it('reports the input usage from message_start of a stream that is cut before its usage chunk', async () => {
    // message_start, content_block_start, ping, one text delta; then the connection drops.
    server.enqueue({ content: 'one two three four', usage: { input: 20, output: 9, cached: 4, cacheWrite: 3 }, cutAfter: 4 });
    const call = recordingCallContext();
    const error = await collect(anthropic({ client }).stream({ params: { ...ask, stream: true } }, call)).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError' });
    // Anthropic's input_tokens leaves out cache reads and writes; the normalised count includes them.
    expect(call.usages).toEqual([{ inputTokens: 20, outputTokens: 1, totalTokens: 21, cachedInputTokens: 4, cacheWriteInputTokens: 3, cacheWrite1hInputTokens: 0, reasoningTokens: 0 }]);
  });

  it('reports usage again with the cumulative output from message_delta', async () => {
    server.enqueue({ content: 'one two', usage: { input: 20, output: 9, cached: 4 } });
    const call = recordingCallContext();
    const chunks = await collect(anthropic({ client }).stream({ params: { ...ask, stream: true } }, call));
    expect(call.usages.map((usage) => [usage.inputTokens, usage.outputTokens, usage.cachedInputTokens])).toEqual([
      [20, 1, 4],
      [20, 9, 4],
    ]);
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 20, completion_tokens: 9 });
  });
});
