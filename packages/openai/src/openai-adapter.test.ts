import {
  AbortError,
  ConfigError,
  ProviderError,
  StreamInterruptedError,
  TimeoutError,
  createGateway,
  type ChatCompletionChunk,
  type Gateway,
} from '@switchyard/core';
import { ResponseTooLargeError, type CallContext } from '@switchyard/core/adapter';
import { recordingCallContext, startMockServer, type MockServer } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openai } from './openai-adapter.js';

let server: MockServer;
let client: OpenAI;
let gateway: Gateway;
const messages = [{ role: 'user' as const, content: 'What is the weather in Paris and Rome?' }];
const toolCalls = [
  { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' },
  { id: 'call_b', name: 'get_weather', arguments: '{"city":"Rome","unit":"celsius"}' },
];

beforeEach(async () => {
  server = await startMockServer();
  client = new OpenAI({ apiKey: 'sk-test-not-a-real-key-000000', baseURL: server.baseURL });
  gateway = createGateway({ providers: { openai: openai({ client }) }, routing: { retry: false } });
});

afterEach(async () => {
  await server.close();
});

/** What OpenAI sends on every answer: its request id and the rate-limit state of the key. */
const OPENAI_HEADERS = {
  'x-request-id': 'req_abc123',
  'x-ratelimit-limit-requests': '10000',
  'x-ratelimit-remaining-requests': '9999',
  'x-ratelimit-reset-requests': '6ms',
  'x-ratelimit-limit-tokens': '30000000',
  'x-ratelimit-remaining-tokens': '29999980',
  'x-ratelimit-reset-tokens': '0s',
};
/** Headers that say nothing the gateway acts on, or identify the app: never kept. */
const UNRELATED_HEADERS = {
  'openai-organization': 'org-abc123',
  'openai-processing-ms': '312',
  'set-cookie': '__cf_bm=abc; path=/; HttpOnly',
  'x-powered-by': 'Express',
};

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe('openai adapter: chat', () => {
  it('returns exactly what the SDK returns', async () => {
    server.enqueue({ toolCalls }, { toolCalls });
    const direct = await client.chat.completions.create({ model: 'gpt-4.1', messages });
    const viaGateway = await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages });
    expect(viaGateway).toEqual(direct);
    expect(viaGateway.choices[0]?.message.tool_calls).toHaveLength(2);
    // The same body as the direct call: nothing added, nothing lost.
    expect(server.requests[1]?.body).toEqual(server.requests[0]?.body);
    expect(server.requests[1]?.body).toEqual({ model: 'gpt-4.1', messages });
  });

  it('passes reasoning_content from OpenAI-compatible servers through', async () => {
    server.enqueue({ content: '42', reasoning: 'six times seven' });
    const completion = await gateway.chat.completions.create({ model: 'openai/deepseek-r1', messages });
    expect(completion.choices[0]?.message).toMatchObject({ content: '42', reasoning_content: 'six times seven' });
  });

  it('routes an OpenAI-compatible server with a model name containing slashes', async () => {
    const local = createGateway({ providers: { local: openai({ client, provider: 'vllm' }) }, routing: { retry: false } });
    server.enqueue({ kind: 'error', status: 503, message: 'warming up' }, { content: 'ok' });
    const error = await local.chat.completions.create({ model: 'local/meta-llama/Llama-3.1-8B', messages }).catch((e: unknown) => e);
    expect(error).toMatchObject({ provider: 'local', model: 'meta-llama/Llama-3.1-8B', status: 503, retryable: true });
    await local.chat.completions.create({ model: 'local/meta-llama/Llama-3.1-8B', messages });
    expect(server.requests[1]?.body).toMatchObject({ model: 'meta-llama/Llama-3.1-8B' });
  });
});

describe('openai adapter: stream', () => {
  it('streams tool-call deltas exactly as the SDK does', async () => {
    server.enqueue({ toolCalls, chunkSize: 5 }, { toolCalls, chunkSize: 5 });
    const params = { model: 'gpt-4.1', messages, stream: true as const, stream_options: { include_usage: true } };
    const direct = await collect(await client.chat.completions.create(params));
    const viaGateway = await collect(await gateway.chat.completions.create({ ...params, model: 'openai/gpt-4.1' }));
    expect(viaGateway).toEqual(direct);
    const deltas = viaGateway.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? []);
    expect(deltas[0]).toEqual({ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } });
    const args = (index: number) => deltas.filter((d) => d.index === index).map((d) => d.function?.arguments ?? '').join('');
    expect(args(0)).toBe(toolCalls[0]?.arguments);
    expect(args(1)).toBe(toolCalls[1]?.arguments);
    expect(viaGateway.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('always asks the server for usage and hides it from a caller who did not', async () => {
    server.enqueue({ content: 'one two three' }, { content: 'one two three' });
    const direct = await collect(await client.chat.completions.create({ model: 'gpt-4.1', messages, stream: true }));
    const { data, meta } = await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages, stream: true }).withMeta();
    const viaGateway = await collect(data);
    expect(viaGateway).toEqual(direct);
    expect(JSON.stringify(viaGateway)).toBe(JSON.stringify(direct));
    expect(server.requests[1]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect((await meta.finished).usage?.outputTokens).toBeGreaterThan(0);
  });

  it('passes streamed reasoning_content through', async () => {
    server.enqueue({ content: 'yes', reasoning: 'let me think' });
    const chunks = await collect(await gateway.chat.completions.create({ model: 'openai/r1', messages, stream: true }));
    expect(chunks.map((c) => c.choices[0]?.delta.reasoning_content ?? '').join('')).toBe('let me think');
  });

  it('ends a stream cut mid-way with StreamInterruptedError', async () => {
    server.enqueue({ content: 'a b c d e f', cutAfter: 3 });
    const received: ChatCompletionChunk[] = [];
    const error = await (async () => {
      for await (const chunk of await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages, stream: true })) received.push(chunk);
    })().catch((e: unknown) => e);
    expect(received).toHaveLength(3);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as Error).message).toMatch(/openai\/gpt-4\.1 was interrupted after 3 chunk/);
  });

  it('fails on a malformed chunk with a typed error, before or after the first chunk', async () => {
    server.enqueue({ content: 'a b c', malformedAt: 0 }, { content: 'a b c', malformedAt: 2 });
    await expect(gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages, stream: true })).rejects.toMatchObject({
      name: 'ProviderError',
      providerCode: 'malformed_response',
      retryable: true,
    });
    const stream = await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages, stream: true });
    const error = await collect(stream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).cause).toMatchObject({ providerCode: 'malformed_response' });
  });

  it('turns an error event inside a 200 stream into a typed error', async () => {
    server.enqueue({
      kind: 'raw-stream',
      events: [
        JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: null }] }),
        JSON.stringify({ error: { message: 'The server had an error', type: 'server_error' } }),
      ],
      end: false,
    });
    const error = await collect(await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages, stream: true })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).cause).toMatchObject({ providerCode: 'server_error', retryable: true });
  });

  it('accepts a compatible server that closes without [DONE] after a finish reason', async () => {
    server.enqueue({
      kind: 'raw-stream',
      events: [
        JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'stop' }] }),
      ],
      end: false,
    });
    const chunks = await collect(await gateway.chat.completions.create({ model: 'openai/m', messages, stream: true }));
    expect(chunks).toHaveLength(1);
  });
});

describe('openai adapter: embeddings', () => {
  it('returns float and base64 embeddings exactly as the SDK does', async () => {
    for (const encoding_format of [undefined, 'float', 'base64'] as const) {
      const params = { model: 'text-embedding-3-small', input: ['a', 'b'], dimensions: 4, ...(encoding_format ? { encoding_format } : {}) };
      const direct = await client.embeddings.create(params);
      const viaGateway = await gateway.embeddings.create({ ...params, model: 'openai/text-embedding-3-small' });
      expect(viaGateway).toEqual(direct);
    }
    const base64 = await gateway.embeddings.create({ model: 'openai/e', input: 'x', encoding_format: 'base64' });
    expect(typeof base64.data[0]?.embedding).toBe('string');
    const floats = await gateway.embeddings.create({ model: 'openai/e', input: 'x' });
    expect(floats.data[0]?.embedding).toHaveLength(8);
  });
});

describe('openai adapter: key pool', () => {
  it('rests a refused key and makes the call again at once with another, scrubbing every key from errors', async () => {
    const bad = 'sk-pool-refused-000000000000';
    const good = 'sk-pool-accepted-11111111111';
    const keyOf = (request: { headers: Record<string, unknown> }) => String(request.headers.authorization).replace('Bearer ', '');
    server.setFallback((request) => (keyOf(request) === bad ? { kind: 'error', status: 401, message: `bad key ${bad}` } : { content: 'ok' }));
    const pooled = createGateway({ providers: { openai: openai({ client, keys: [bad, good] }) }, routing: { retry: false } });
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) outcomes.push(await pooled.chat.completions.create({ model: 'openai/m', messages }).then(() => 'ok', () => 'refused'));
    // A refused key is the key's fault while another works: no caller sees its 401.
    expect(outcomes).toEqual(Array.from({ length: 12 }, () => 'ok'));
    expect(server.requests.filter((r) => keyOf(r) === bad).length).toBeLessThanOrEqual(1);
    expect(server.requests.filter((r) => keyOf(r) === good)).toHaveLength(12);
    const firstRefusal = server.requests.findIndex((r) => keyOf(r) === bad);
    if (firstRefusal >= 0) expect(server.requests.slice(firstRefusal + 1).every((r) => keyOf(r) === good)).toBe(true);
    // Once every key is refused the 401 surfaces, with neither key in it.
    const otherBad = 'sk-pool-refused-222222222222';
    server.setFallback((request) => ({ kind: 'error', status: 401, message: `bad key ${keyOf(request)}` }));
    const allRefused = createGateway({ providers: { openai: openai({ client, keys: [bad, otherBad] }) }, routing: { retry: false } });
    const error = await allRefused.chat.completions.create({ model: 'openai/m', messages }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProviderError', status: 401 });
    expect(JSON.stringify(error) + String(error)).not.toMatch(/sk-pool-refused/);
  });
});

describe('openai adapter: provider response and warnings on the call', () => {
  const ask = { model: 'm', messages };

  it("reports the provider's request id and rate-limit headers, keeps nothing else, and adds no _request_id", async () => {
    server.enqueue({ content: 'hi', headers: { ...OPENAI_HEADERS, ...UNRELATED_HEADERS } });
    const call = recordingCallContext();
    const completion = await openai({ client }).chat({ params: ask }, call);
    expect(completion.choices[0]?.message.content).toBe('hi');
    expect(call.responses).toEqual([{ providerRequestId: 'req_abc123', headers: OPENAI_HEADERS }]);
    expect(call.responses[0]?.headers).toHaveProperty('x-ratelimit-remaining-requests', '9999');
    expect(call.responses[0]?.headers).not.toHaveProperty('set-cookie');
    expect(call.responses[0]?.headers).not.toHaveProperty('x-powered-by');
    // The gateway carries the request id in its call meta now, not on the completion.
    expect(Object.getOwnPropertyNames(completion)).not.toContain('_request_id');
    expect(call.warnings).toEqual([]);
  });

  it('reports a stream response once its headers are in, before the first chunk', async () => {
    server.enqueue({ content: 'a b c', hang: 'body', headers: OPENAI_HEADERS }, { content: 'a b c', headers: OPENAI_HEADERS });
    const controller = new AbortController();
    const hanging = recordingCallContext({ signal: controller.signal });
    // The server sends the headers and then no chunk: the report cannot wait for one.
    const pending = openai({ client }).stream({ params: { ...ask, stream: true } }, hanging)[Symbol.asyncIterator]().next();
    await vi.waitFor(() => expect(hanging.responses).toEqual([{ providerRequestId: 'req_abc123', headers: OPENAI_HEADERS }]));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);

    const call = recordingCallContext();
    const chunks = await collect(openai({ client }).stream({ params: { ...ask, stream: true } }, call));
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('a b c');
    // Once per response, not per chunk.
    expect(call.responses).toEqual([{ providerRequestId: 'req_abc123', headers: OPENAI_HEADERS }]);
    // `include_usage` is forced on for the gateway's own use and its chunk hidden: not a warning.
    expect(server.requests[1]?.body).toMatchObject({ stream_options: { include_usage: true } });
    expect(call.warnings).toEqual([]);
  });

  it("reports a stream's usage chunk on the call as it arrives, and nothing for a stream cut before it", async () => {
    server.enqueue({ content: 'a b', usage: { input: 12, output: 2, cached: 4 } }, { content: 'a b c d', cutAfter: 2 });
    const call = recordingCallContext();
    await collect(openai({ client }).stream({ params: { ...ask, stream: true } }, call));
    expect(call.usages).toEqual([{ inputTokens: 12, outputTokens: 2, totalTokens: 14, cachedInputTokens: 4, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 }]);
    const cut = recordingCallContext();
    await expect(collect(openai({ client }).stream({ params: { ...ask, stream: true } }, cut))).rejects.toThrow();
    expect(cut.usages).toEqual([]);
  });

  it('reports an embeddings response, and adds no _request_id', async () => {
    server.enqueue({ kind: 'embeddings', headers: { ...OPENAI_HEADERS, 'x-request-id': 'req_emb', ...UNRELATED_HEADERS } });
    const call = recordingCallContext();
    const adapter = openai({ client });
    const embeddings = await adapter.embed?.({ params: { model: 'e', input: 'x' } }, call);
    expect(embeddings?.data).toHaveLength(1);
    expect(call.responses).toEqual([{ providerRequestId: 'req_emb', headers: { ...OPENAI_HEADERS, 'x-request-id': 'req_emb' } }]);
    expect(Object.getOwnPropertyNames(embeddings)).not.toContain('_request_id');
  });

  it("reports a 429's rate limits and Retry-After for chat, stream and embeddings, throwing the same error, and nothing when unreachable", async () => {
    const limited = {
      'x-request-id': 'req_429',
      'x-ratelimit-limit-requests': '10000',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '2s',
    };
    const adapter = openai({ client });
    const operations = [
      (call: CallContext) => adapter.chat({ params: ask }, call),
      (call: CallContext) => collect(adapter.stream({ params: { ...ask, stream: true } }, call)),
      (call: CallContext) => adapter.embed?.({ params: { model: 'e', input: 'x' } }, call),
    ];
    for (const operation of operations) {
      server.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached', retryAfter: 2, headers: { ...limited, ...UNRELATED_HEADERS } });
      const call = recordingCallContext();
      const error = await Promise.resolve(operation(call)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000, providerCode: 'rate_limit_exceeded', providerRequestId: 'req_429' });
      expect(call.responses).toEqual([{ providerRequestId: 'req_429', headers: { ...limited, 'retry-after': '2' } }]);
    }
    // A server never reached gave no response to report.
    const dead = await startMockServer();
    await dead.close();
    const call = recordingCallContext();
    const unreachable = openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: dead.baseURL }) });
    await expect(unreachable.chat({ params: ask }, call)).rejects.toMatchObject({ name: 'ProviderError', providerCode: 'connection_error' });
    expect(call.responses).toEqual([]);
  });

  it('warns once when a pooled key is refused and another succeeds, naming neither key, for chat, stream and embeddings', async () => {
    const first = 'sk-pool-first-000000000000';
    const second = 'sk-pool-second-11111111111';
    const keyOf = (request: { headers: Record<string, unknown> }) => String(request.headers.authorization).replace('Bearer ', '');
    const adapter = openai({ client, keys: [first, second], keyCooldownMs: 0 });
    const operations = [
      (call: CallContext) => adapter.chat({ params: ask }, call),
      (call: CallContext) => collect(adapter.stream({ params: { ...ask, stream: true } }, call)),
      (call: CallContext) => adapter.embed?.({ params: { model: 'e', input: 'x' } }, call),
    ];
    for (const operation of operations) {
      const seen = server.requests.length;
      // Whichever key the pool picks first is refused, as OpenAI refuses a revoked key.
      server.enqueue(
        (request) => ({ kind: 'error', status: 401, code: 'invalid_api_key', message: `Incorrect API key provided: ${keyOf(request)}`, headers: { 'x-request-id': 'req_refused' } }),
        (request) => (request.path.endsWith('/embeddings') ? { kind: 'embeddings', headers: OPENAI_HEADERS } : { content: 'ok', headers: OPENAI_HEADERS }),
      );
      const call = recordingCallContext();
      await operation(call);
      const [refused, accepted] = server.requests.slice(seen).map(keyOf);
      expect(new Set([refused, accepted])).toEqual(new Set([first, second]));
      expect(call.warnings).toEqual([{ code: 'key_retried', message: expect.stringContaining('HTTP 401') as string }]);
      expect(call.warnings[0]?.message).not.toContain(first);
      expect(call.warnings[0]?.message).not.toContain(second);
      // The refused response, then the one that answered: the later replaces it.
      expect(call.responses.map((response) => response.providerRequestId)).toEqual(['req_refused', 'req_abc123']);
    }
  });
});

describe('openai adapter: errors', () => {
  it('normalises a 429 with Retry-After, and makes exactly one request (SDK retries off)', async () => {
    server.enqueue({ kind: 'error', status: 429, message: 'Rate limit reached', retryAfter: 2 });
    const error = await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 429, retryable: true, retryAfterMs: 2000, providerCode: 'rate_limit_exceeded', attempts: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('marks client errors as not retryable and server errors as retryable', async () => {
    server.enqueue({ kind: 'error', status: 400, message: 'bad' }, { kind: 'error', status: 500 }, { kind: 'error', status: 401 });
    await expect(gateway.chat.completions.create({ model: 'openai/m', messages })).rejects.toMatchObject({ status: 400, retryable: false });
    await expect(gateway.chat.completions.create({ model: 'openai/m', messages })).rejects.toMatchObject({ status: 500, retryable: true });
    await expect(gateway.embeddings.create({ model: 'openai/e', input: 'x' })).rejects.toMatchObject({ status: 401, retryable: false });
    expect(server.requests).toHaveLength(3);
  });

  it('reports an unreachable server as a retryable connection error', async () => {
    const dead = await startMockServer();
    await dead.close();
    const offline = createGateway({
      providers: { openai: openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: dead.baseURL }) }) },
      routing: { retry: false },
    });
    await expect(offline.chat.completions.create({ model: 'openai/m', messages })).rejects.toMatchObject({
      name: 'ProviderError',
      retryable: true,
      providerCode: 'connection_error',
      status: undefined,
    });
  });

  it('rejects a malformed non-stream body with a typed error', async () => {
    server.enqueue({ kind: 'raw', body: { hello: 'world' } });
    await expect(gateway.chat.completions.create({ model: 'openai/m', messages })).rejects.toMatchObject({
      name: 'ProviderError',
      providerCode: 'malformed_response',
    });
  });

  it('rejects a non-stream body that is not JSON with a typed error', async () => {
    server.enqueue({ kind: 'raw', body: '<html>bad gateway</html>' });
    await expect(gateway.chat.completions.create({ model: 'openai/m', messages })).rejects.toMatchObject({
      name: 'ProviderError',
      providerCode: 'malformed_response',
      retryable: true,
    });
  });

  it("bounds the body by the client's timeout when the gateway sets none, and releases the connection", async () => {
    const impatient = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, timeout: 100 });
    const bare = createGateway({ providers: { openai: openai({ client: impatient }) }, routing: { retry: false } });
    server.enqueue({ content: 'never finished', hang: 'body' }, { content: 'next' });
    const error = await bare.chat.completions.create({ model: 'openai/m', messages }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'TimeoutError', timeoutMs: expect.any(Number) as number, provider: 'openai' });
    const next = await bare.chat.completions.create({ model: 'openai/m', messages });
    expect(next.choices[0]?.message.content).toBe('next');
  });

  it('ends a body that stalls mid-way on the gateway timeout or the caller abort', async () => {
    server.enqueue({ content: 'never finished', hang: 'body' }, { content: 'never finished', hang: 'body' });
    await expect(gateway.chat.completions.create({ model: 'openai/m', messages }, { timeout: 50 })).rejects.toMatchObject({
      name: 'TimeoutError',
      timeoutMs: 50,
    });
    const controller = new AbortController();
    const pending = gateway.chat.completions.create({ model: 'openai/m', messages }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });

  it('passes the signal to the SDK: aborting ends a hanging call and a hanging stream promptly', async () => {
    server.enqueue({ hang: 'headers' }, { content: 'a b c', hang: 'body' });
    const controller = new AbortController();
    const pending = gateway.chat.completions.create({ model: 'openai/m', messages }, { signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(pending).rejects.toBeInstanceOf(AbortError);

    const streamController = new AbortController();
    const streaming = gateway.chat.completions.create({ model: 'openai/m', messages, stream: true }, { signal: streamController.signal });
    setImmediate(() => streamController.abort());
    await expect(streaming).rejects.toBeInstanceOf(AbortError);
  });

  it('ends a stream promptly when the signal fires mid-stream, and releases the connection', async () => {
    const events: string[] = [];
    gateway.on('request.end', (event) => void events.push(event.outcome));
    server.enqueue({ content: 'a b c d e f', hangAfter: 3 }, { content: 'a b c d e f' });
    const controller = new AbortController();
    const received: string[] = [];
    const error = await (async () => {
      const stream = await gateway.chat.completions.create({ model: 'openai/m', messages, stream: true }, { signal: controller.signal });
      for await (const chunk of stream) {
        received.push(chunk.choices[0]?.delta.content ?? '');
        if (received.length === 3) setImmediate(() => controller.abort());
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect(received).toHaveLength(3);

    const stream = await gateway.chat.completions.create({ model: 'openai/m', messages, stream: true });
    for await (const chunk of stream) if (chunk.choices[0]?.delta.content === 'b ') break;
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual(['aborted', 'abandoned']);
  });

  it('times out a hanging server', async () => {
    server.enqueue({ hang: 'headers' });
    await expect(gateway.chat.completions.create({ model: 'openai/m', messages }, { timeout: 30 })).rejects.toMatchObject({
      name: 'TimeoutError',
      timeoutMs: 30,
    });
  });
});

describe('openai adapter: hostile upstreams', () => {
  const MiB = 1024 * 1024;
  const retrying = () => createGateway({ providers: { openai: openai({ client }) }, routing: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } } });

  async function streamOutcome(target: Gateway, options: { idleTimeout?: number; timeout?: number } = {}) {
    const contents: string[] = [];
    try {
      const stream = await target.chat.completions.create({ model: 'openai/m', messages, stream: true }, options);
      for await (const chunk of stream) contents.push(chunk.choices[0]?.delta.content ?? '');
    } catch (error) {
      return { contents, error };
    }
    return { contents, error: undefined };
  }

  it('stops a stream line that never ends at the event limit, once, with a typed error that is not retried', async () => {
    server.setFallback({ content: 'x', hugeEvent: { bytes: 100 * MiB, as: 'line' } });
    const { error } = await streamOutcome(retrying());
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ providerCode: 'event_too_large', retryable: false, provider: 'openai', model: 'm' });
    expect(server.requests).toHaveLength(1);
  });

  it('stops data lines that never meet a blank line, with no RangeError, at a configured limit', async () => {
    const small = createGateway({ providers: { openai: openai({ client, limits: { maxEventBytes: 4 * MiB } }) }, routing: { retry: false } });
    server.enqueue({ content: 'x', hugeEvent: { bytes: 600 * MiB, as: 'lines' } });
    const { error } = await streamOutcome(small);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect((error as ResponseTooLargeError).limitBytes).toBe(4 * MiB);
    expect((error as Error).message).toContain('limits.maxEventBytes');
  });

  it('ends a stream with StreamInterruptedError when the oversized event comes after chunks were sent', async () => {
    server.enqueue({ content: 'one two three', hugeEvent: { bytes: 40 * MiB, as: 'line', after: 2 } });
    const { contents, error } = await streamOutcome(gateway);
    expect(contents.join('')).toBe('one ');
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect((error as StreamInterruptedError).cause).toBeInstanceOf(ResponseTooLargeError);
  });

  it('ends a stream at [DONE] when the server holds the connection open, within idle and total deadlines, and lets the connection go', async () => {
    server.enqueue({ content: 'a b c', holdOpen: true }, { content: 'd e f', holdOpen: true });
    expect(await streamOutcome(gateway)).toEqual({ contents: ['', 'a ', 'b ', 'c', ''], error: undefined });
    const deadlines = await streamOutcome(gateway, { idleTimeout: 100, timeout: 10_000 });
    expect(deadlines.error).toBeUndefined();
    expect(deadlines.contents.join('')).toBe('d e f');
    expect(deadlines.error).not.toBeInstanceOf(TimeoutError);
    // Both held connections were closed from this side.
    await vi.waitFor(() => expect(server.openConnections).toBe(0));
  });

  it('stops a non-stream body that never ends at the body limit, once, with a typed error that is not retried', async () => {
    server.setFallback({ endlessBody: true });
    const error = await retrying().chat.completions.create({ model: 'openai/m', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ providerCode: 'body_too_large', retryable: false, provider: 'openai', model: 'm', limitBytes: 64 * MiB });
    expect(server.requests).toHaveLength(1);
  });

  it('stops a small gzip body that inflates past the body limit', async () => {
    server.enqueue({ gzipInflatesTo: 1024 * MiB });
    await expect(gateway.chat.completions.create({ model: 'openai/m', messages })).rejects.toMatchObject({ name: 'ResponseTooLargeError', providerCode: 'body_too_large' });
  });

  it('caps embeddings bodies too, and reads one under the limit as the SDK would', async () => {
    server.enqueue({ kind: 'embeddings', endlessBody: true });
    await expect(gateway.embeddings.create({ model: 'openai/e', input: 'x' })).rejects.toBeInstanceOf(ResponseTooLargeError);
    const reply = { kind: 'raw' as const, headers: { 'x-request-id': 'req_emb' }, body: { object: 'list', model: 'e', data: [{ object: 'embedding', index: 0, embedding: 'AACAPwAAAEA=' }], usage: { prompt_tokens: 1, total_tokens: 1 } } };
    server.enqueue(reply, reply);
    const direct = await client.embeddings.create({ model: 'e', input: 'x' });
    const viaGateway = await gateway.embeddings.create({ model: 'openai/e', input: 'x' });
    expect(viaGateway).toEqual(direct);
    expect(viaGateway.data[0]?.embedding).toEqual([1, 2]);
    expect(Object.keys(viaGateway)).toEqual(Object.keys(direct));
  });

  it('takes its limits from the adapter options, and rejects bad ones at construction', async () => {
    const tight = createGateway({ providers: { openai: openai({ client, limits: { maxBodyBytes: 64 } }) }, routing: { retry: false } });
    server.enqueue({ content: 'an answer whose body is longer than sixty-four bytes' });
    await expect(tight.chat.completions.create({ model: 'openai/m', messages })).rejects.toMatchObject({ limitBytes: 64, limit: 'maxBodyBytes' });
    expect(() => openai({ client, limits: { maxBodyBytes: 0, maxEventBytes: 1.5 } })).toThrow(ConfigError);
    try {
      openai({ client, limits: { maxBodyBytes: 0 } });
    } catch (error) {
      expect((error as ConfigError).issues).toEqual([{ path: 'limits.maxBodyBytes', message: expect.stringContaining('at least 1') as string }]);
    }
  });
});
