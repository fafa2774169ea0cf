import { ProviderError, createGateway } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { manualClock } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('withMeta', () => {
  it('returns the completion in the OpenAI shape together with the call meta', async () => {
    const clock = manualClock();
    const gateway = createGateway({
      providers: {
        p: scriptedAdapter({
          chat: () => {
            clock.advance(30);
            return completionOf('ok');
          },
        }),
      },
      models: { fast: 'p/small' },
      clock,
    });
    const { data, meta } = await gateway.chat.completions.create({ model: 'fast', messages }).withMeta();
    expect(data.object).toBe('chat.completion');
    expect(data).not.toHaveProperty('meta');
    expect(meta).toMatchObject({
      route: 'fast',
      provider: 'p',
      model: 'small',
      attempts: 1,
      outcome: 'success',
      latencyMs: 30,
      usage: { inputTokens: 3, outputTokens: 2, totalTokens: 5 },
    });
    expect(meta.requestId).toMatch(/^[0-9a-f-]{36}$/);
    await expect(meta.finished).resolves.toBe(meta);
  });

  it('gives a call one request id, the same for the adapter, the middleware, the meta, the events and the error', async () => {
    const seen = { adapter: [] as string[], middleware: [] as string[], events: [] as string[] };
    const adapter = scriptedAdapter({
      chat: (_request, call) => {
        seen.adapter.push(call.requestId);
        if (seen.adapter.length === 2) throw new ProviderError('boom', { provider: 'p', model: 'm', retryable: false });
        return completionOf('ok');
      },
    });
    const gateway = createGateway({
      providers: { p: adapter },
      routing: { retry: false },
      middleware: [{ name: 'reader', request: (ctx, next) => (seen.middleware.push(ctx.requestId), next()) }],
    });
    gateway.on('request.end', (event) => void seen.events.push(event.requestId));
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    const error = (await gateway.chat.completions.create({ model: 'p/m', messages }).catch((e: unknown) => e)) as ProviderError;
    await meta.finished;
    await new Promise((resolve) => setImmediate(resolve));
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(meta.requestId).toMatch(uuid);
    expect(error.requestId).toMatch(uuid);
    expect(error.requestId).not.toBe(meta.requestId);
    for (const ids of Object.values(seen)) expect(ids).toEqual([meta.requestId, error.requestId]);
  });

  it('fills in a stream meta as the stream ends', async () => {
    const gateway = createGateway({
      providers: {
        p: scriptedAdapter({
          stream: async function* () {
            yield* chunksOf(['a', 'b']);
          },
        }),
      },
    });
    const { data: stream, meta } = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).withMeta();
    expect(meta.outcome).toBeUndefined();
    expect(meta.usage).toBeUndefined();
    const finished = meta.finished;
    for await (const _ of stream) {
      // consume
    }
    expect(await finished).toMatchObject({ outcome: 'success', usage: { totalTokens: 5 } });
    expect(meta.timeToFirstChunkMs).toBeGreaterThanOrEqual(0);
  });
});
