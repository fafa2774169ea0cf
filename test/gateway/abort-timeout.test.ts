import { AbortError, TimeoutError, createGateway, type CallContext } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

function hangingUntilAborted(seen: CallContext[]) {
  return scriptedAdapter({
    chat: (_request, call) =>
      new Promise((_, reject) => {
        seen.push(call);
        call.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
      }),
  });
}

describe('abort and timeout', () => {
  it('passes the caller signal to the adapter and rejects with AbortError when it fires', async () => {
    const seen: CallContext[] = [];
    const events = collectEvents();
    const gateway = createGateway({ providers: { p: hangingUntilAborted(seen) }, onEvent: events.onEvent });
    const controller = new AbortController();
    const pending = gateway.chat.completions.create({ model: 'p/m', messages }, { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen[0]?.signal).toBe(controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
    await flushEvents();
    expect(events.ends()).toEqual([expect.objectContaining({ outcome: 'aborted', attempts: 1 })]);
  });

  it('does not call the provider when the signal has already fired', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({ providers: { p: adapter } });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(AbortError);
    expect(adapter.calls).toHaveLength(0);
  });

  it('times out with a TimeoutError from the call option or the gateway default', async () => {
    const seen: CallContext[] = [];
    const gateway = createGateway({ providers: { p: hangingUntilAborted(seen) }, defaults: { timeout: 15 } });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { timeout: 10 })).rejects.toMatchObject({
      name: 'TimeoutError',
      timeoutMs: 10,
      retryable: true,
      attempts: 1,
    });
    const error = await gateway.chat.completions.create({ model: 'p/m', messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(15);
    expect(seen.every((call) => call.signal?.aborted)).toBe(true);
  });

  it('links a caller signal and a timeout: the caller aborting still reads as an abort', async () => {
    const seen: CallContext[] = [];
    const gateway = createGateway({ providers: { p: hangingUntilAborted(seen) } });
    const controller = new AbortController();
    const pending = gateway.chat.completions.create({ model: 'p/m', messages }, { signal: controller.signal, timeout: 60_000 });
    await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});
