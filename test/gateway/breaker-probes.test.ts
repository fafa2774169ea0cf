import { ProviderError, UnavailableError, createGateway } from '@switchyard/core';
import { type CallContext } from '@switchyard/core/adapter';
import { openai } from '@switchyard/openai';
import { completionOf, scriptedAdapter, startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { manualClock } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('half-open probes', () => {
  it('a probe that ends without a verdict gives its slot back, wherever the cooldown ends between clock reads', async () => {
    // The clock moves 1 ms on every read, so for some offset the cooldown ends between any
    // two reads the executor makes; a probe slot taken without being marked as one would stick.
    let probed = 0;
    for (let offset = 0; offset < 12; offset++) {
      let t = 0;
      let call = 0;
      const a = scriptedAdapter({
        provider: 'a',
        chat: () => {
          call++;
          if (call === 1) throw new ProviderError('down', { provider: 'a', model: 'm', status: 503, retryable: true });
          if (call === 2) throw new ProviderError('bad request', { provider: 'a', model: 'm', status: 400, retryable: false });
          return completionOf('recovered');
        },
      });
      const gateway = createGateway({
        providers: { a },
        clock: { now: () => t++ },
        routing: { retry: false, breaker: { minimumRequests: 1, cooldownMs: 100 } },
      });
      await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ status: 503 });
      t += 100 - offset;
      // Either still cooling (refused, nothing sent) or the probe, answered 400: no verdict.
      await gateway.chat.completions.create({ model: 'a/m', messages }).catch(() => undefined);
      if (call === 1) continue; // refused while cooling: this offset tests nothing
      probed++;
      t += 20;
      const after = await gateway.chat.completions.create({ model: 'a/m', messages }).catch((error: unknown) => error);
      expect(after, `offset ${offset}`).not.toBeInstanceOf(UnavailableError);
      expect(call).toBe(3);
    }
    expect(probed).toBeGreaterThan(1);
  });

  it('a hung probe over a real socket holds its slot only until probeTimeoutMs, and rejected callers learn when to retry', async () => {
    const server = await startMockServer();
    try {
      const clock = manualClock();
      const gateway = createGateway({
        providers: { up: openai({ client: new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries: 0 }) }) },
        clock,
        routing: { retry: false, breaker: { minimumRequests: 1, cooldownMs: 1_000, probeTimeoutMs: 5_000 } },
      });
      server.enqueue({ kind: 'error', status: 503 });
      await expect(gateway.chat.completions.create({ model: 'up/gpt-4.1', messages })).rejects.toMatchObject({ status: 503 });
      clock.advance(1_000);
      // The probe reaches the upstream, which never answers.
      server.enqueue({ hang: 'headers' });
      const caller = new AbortController();
      const probe = gateway.chat.completions.create({ model: 'up/gpt-4.1', messages }, { signal: caller.signal }).catch((error: unknown) => error);
      while (server.requests.length < 2) await new Promise((resolve) => setImmediate(resolve));

      const rejected = await gateway.chat.completions.create({ model: 'up/gpt-4.1', messages }).catch((error: unknown) => error);
      expect(rejected).toBeInstanceOf(UnavailableError);
      expect(rejected).toMatchObject({ retryable: true, retryAfterMs: 5_000 });
      expect((rejected as Error).message).toMatch(/a probe is in flight.*Try again in 5 s/);
      expect(server.requests).toHaveLength(2);

      // The upstream has recovered; past the probe's deadline the next call probes and closes the breaker.
      clock.advance(5_000);
      const recovered = await gateway.chat.completions.create({ model: 'up/gpt-4.1', messages });
      expect(recovered.choices[0]?.message.content).toBeTruthy();
      await expect(gateway.chat.completions.create({ model: 'up/gpt-4.1', messages })).resolves.toMatchObject({ object: 'chat.completion' });

      caller.abort();
      expect(await probe).toMatchObject({ name: 'AbortError' });
    } finally {
      await server.close();
    }
  });

  it('a probe aborted by its caller frees the slot at once', async () => {
    const clock = manualClock();
    let mode: 'fail' | 'hang' | 'ok' = 'fail';
    const a = scriptedAdapter({
      provider: 'a',
      chat: (_request, call: CallContext) => {
        if (mode === 'fail') return Promise.reject(new ProviderError('down', { provider: 'a', model: 'm', status: 503, retryable: true }));
        if (mode === 'ok') return Promise.resolve(completionOf('ok'));
        return new Promise((_resolve, reject) =>
          call.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true }),
        );
      },
    });
    const gateway = createGateway({ providers: { a }, clock, routing: { retry: false, breaker: { minimumRequests: 1, cooldownMs: 100 } } });
    await gateway.chat.completions.create({ model: 'a/m', messages }).catch(() => undefined);
    clock.advance(100);
    mode = 'hang';
    const caller = new AbortController();
    const probe = gateway.chat.completions.create({ model: 'a/m', messages }, { signal: caller.signal }).catch((error: unknown) => error);
    await new Promise((resolve) => setImmediate(resolve));
    caller.abort();
    expect(await probe).toMatchObject({ name: 'AbortError' });
    mode = 'ok';
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).resolves.toMatchObject({ object: 'chat.completion' });
  });
});
