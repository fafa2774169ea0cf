import { createGateway } from '@switchyard/core';
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
