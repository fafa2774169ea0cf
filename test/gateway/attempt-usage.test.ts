import { ProviderError, createGateway, mapChunks, type Middleware, type RequestEndEvent } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents, rejectFirstAnswer } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('usage per attempt and per request', () => {
  it("counts a failed attempt's tokens in the total, and bills the request for both attempts", async () => {
    // The first answer is rejected by an attempt middleware (as a JSON-schema check would) after
    // the provider has already billed it; the second is accepted.
    let calls = 0;
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf(`answer ${++calls}`, { prompt_tokens: 10, completion_tokens: 4 + calls }) }) },
      middleware: [rejectFirstAnswer],
      routing: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } },
    });
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    expect(meta.attemptHistory.map((attempt) => attempt.usage?.outputTokens)).toEqual([5, 6]);
    expect(meta.usage).toMatchObject({ inputTokens: 10, outputTokens: 6, totalTokens: 16 });
    expect(meta.totalUsage).toMatchObject({ inputTokens: 20, outputTokens: 11, totalTokens: 31 });
  });

  it('reports an answer served by a request middleware as served without a provider call: its usage is not consumed', async () => {
    const events = collectEvents();
    const cached = completionOf('from cache', { prompt_tokens: 12, completion_tokens: 8 });
    const cache: Middleware = { name: 'cache', request: async () => ({ kind: 'completion', completion: cached }) };
    const adapter = scriptedAdapter({ chat: () => completionOf('live') });
    const gateway = createGateway({ providers: { p: adapter }, middleware: [cache], onEvent: events.onEvent });
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    expect(adapter.calls).toHaveLength(0);
    expect(meta).toMatchObject({ served: 'middleware', attempts: 0, usage: { inputTokens: 12, outputTokens: 8 }, totalUsage: undefined });
    await flushEvents();
    expect(events.ends()[0]).toMatchObject({ served: 'middleware', usage: { inputTokens: 12 }, totalUsage: undefined, attempts: 0 });
  });

  it('does the same for a stream a middleware serves: its usage chunk is reported, not consumed', async () => {
    const replay: Middleware = {
      name: 'replay',
      request: async () => ({ kind: 'stream', stream: (async function* () {
        yield* chunksOf(['x'], { prompt_tokens: 3, completion_tokens: 1 });
      })() }),
    };
    const gateway = createGateway({ providers: { p: scriptedAdapter({}) }, middleware: [replay] });
    const { data, meta } = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).withMeta();
    for await (const _ of data) {
      // read to the end
    }
    expect(meta).toMatchObject({ served: 'middleware', usage: { inputTokens: 3, outputTokens: 1 }, totalUsage: undefined });
  });

  it('marks a call a provider answered as served by it', async () => {
    const gateway = createGateway({ providers: { p: scriptedAdapter({ chat: () => completionOf('ok', { prompt_tokens: 8, completion_tokens: 2 }) }) } });
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    expect(meta.served).toBe('provider');
    expect(meta.usage).toMatchObject({ inputTokens: 8, outputTokens: 2, totalTokens: 10 });
    expect(meta.totalUsage).toEqual(meta.usage);
  });

  it('sums the provider calls of an attempt whose middleware calls next() twice', async () => {
    let calls = 0;
    const twice: Middleware = {
      name: 'ask-twice',
      attempt: async (_ctx, next) => {
        await next();
        return next();
      },
    };
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf(`answer ${++calls}`, { prompt_tokens: 5, completion_tokens: calls }) }) },
      middleware: [twice],
    });
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    expect(meta.attempts).toBe(1);
    expect(meta.attemptHistory[0]?.usage).toMatchObject({ inputTokens: 10, outputTokens: 3, totalTokens: 13 });
  });

  it("keeps the adapter's own report of a stream's usage over a usage chunk a middleware rewrote", async () => {
    const real = { inputTokens: 7, outputTokens: 3, totalTokens: 10, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 };
    const zeroUsage: Middleware = {
      name: 'zero-usage',
      attempt: async (_ctx, next) => {
        const result = await next();
        if (result.kind !== 'stream') return result;
        return {
          kind: 'stream',
          stream: mapChunks(result.stream, {
            chunk: (chunk) => (chunk.usage ? { ...chunk, usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 } } : chunk),
          }),
        };
      },
    };
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ stream: async function* (_request, call) {
        call.usage(real);
        yield* chunksOf(['a'], { prompt_tokens: 7, completion_tokens: 3 });
      } }) },
      middleware: [zeroUsage],
    });
    const { data, meta } = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).withMeta();
    for await (const _ of data) {
      // read to the end
    }
    expect(meta.usage).toEqual(real);
  });
});

describe('response metadata', () => {
  const adapter = () =>
    scriptedAdapter({
      chat: (_request, call) => {
        call.response({ providerRequestId: 'req_123', headers: { 'x-request-id': 'req_123', 'x-ratelimit-remaining-requests': '99' } });
        call.warn({ code: 'parameter_dropped', param: 'seed', message: 'seed has no equivalent here' });
        return completionOf('ok');
      },
      stream: async function* (_request, call) {
        call.response({ providerRequestId: 'req_s', headers: { 'retry-after': '1' } });
        yield* chunksOf(['a']);
      },
    });

  it("puts the provider's request id, kept headers and warnings in withMeta(), not on the completion", async () => {
    const gateway = createGateway({ providers: { p: adapter() } });
    const { data, meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    expect(meta.response).toEqual({ providerRequestId: 'req_123', headers: { 'x-request-id': 'req_123', 'x-ratelimit-remaining-requests': '99' } });
    expect(meta.warnings).toEqual([{ code: 'parameter_dropped', param: 'seed', message: 'seed has no equivalent here' }]);
    expect(Object.getOwnPropertyNames(data)).not.toContain('_request_id');
  });

  it('carries them on attempt.end and request.end', async () => {
    const events = collectEvents();
    const gateway = createGateway({ providers: { p: adapter() }, onEvent: events.onEvent });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await flushEvents();
    expect(events.events.find((event) => event.type === 'attempt.end')).toMatchObject({
      providerRequestId: 'req_123',
      headers: { 'x-ratelimit-remaining-requests': '99' },
      warnings: [{ code: 'parameter_dropped', param: 'seed' }],
    });
    const end = events.ends()[0] as RequestEndEvent;
    expect(end).toMatchObject({ providerRequestId: 'req_123', warnings: [{ code: 'parameter_dropped' }] });
  });

  it('keeps each attempt its own response and gathers every warning on the call', async () => {
    let calls = 0;
    const gateway = createGateway({
      providers: {
        p: scriptedAdapter({
          chat: (_request, call) => {
            calls++;
            call.response({ providerRequestId: `req_${calls}`, headers: {} });
            call.warn({ code: 'parameter_adjusted', message: `attempt ${calls}` });
            if (calls === 1) throw new ProviderError('busy', { provider: 'p', model: 'm', status: 503, retryable: true });
            return completionOf('ok');
          },
        }),
      },
      routing: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } },
    });
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    expect(meta.attemptHistory.map((attempt) => attempt.response?.providerRequestId)).toEqual(['req_1', 'req_2']);
    expect(meta.response?.providerRequestId).toBe('req_2');
    expect(meta.warnings.map((warning) => warning.message)).toEqual(['attempt 1', 'attempt 2']);
  });

  it('has a stream attempt report its response before the first chunk reaches the caller', async () => {
    const gateway = createGateway({ providers: { p: adapter() } });
    const { data, meta } = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).withMeta();
    expect(meta.response?.providerRequestId).toBe('req_s');
    await data.return();
  });

  it('serialises the meta as plain data', async () => {
    const gateway = createGateway({ providers: { p: adapter() } });
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    const plain = JSON.parse(JSON.stringify(meta)) as Record<string, unknown>;
    expect(plain).toMatchObject({ route: 'p/m', provider: 'p', attempts: 1, outcome: 'success', served: 'provider', response: { providerRequestId: 'req_123' } });
    expect(plain).not.toHaveProperty('finished');
  });
});
