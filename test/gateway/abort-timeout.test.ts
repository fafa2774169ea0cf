import { AbortError, InvalidRequestError, TimeoutError, createGateway, type CallOptions } from '@switchyard/core';
import { type CallContext } from '@switchyard/core/adapter';
import { completionOf, scriptedAdapter, type ScriptedAdapterOptions } from '@switchyard/testing';
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

const TIMER_LIMIT = 2_147_483_647;
const DAY = 24 * 60 * 60 * 1000;

/** Collects process warnings (a TimeoutOverflowWarning means a timer was armed past the limit). */
async function warningsDuring(run: () => Promise<void>): Promise<string[]> {
  const warnings: string[] = [];
  const onWarning = (warning: Error) => void warnings.push(warning.name);
  process.on('warning', onWarning);
  try {
    await run();
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', onWarning);
  }
  return warnings;
}

describe('durations longer than a timer can hold', () => {
  const chunks: ScriptedAdapterOptions['stream'] = async function* () {
    yield { id: 'c', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'ok' }, finish_reason: 'stop' }] };
  };

  it('refuses each call option above 2^31 - 1 ms, naming the limit, sending nothing, arming no timer', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok'), stream: chunks });
    const events = collectEvents();
    const gateway = createGateway({ providers: { p: adapter }, onEvent: events.onEvent });
    const cases: Array<[string, CallOptions]> = [
      ['timeout', { timeout: 2 ** 31 }],
      ['timeout', { timeout: Number.MAX_SAFE_INTEGER }],
      ['timeout', { timeout: 30 * DAY }],
      ['attemptTimeout', { attemptTimeout: 2 ** 31 }],
      ['firstChunkTimeout', { firstChunkTimeout: 2 ** 31 }],
      ['idleTimeout', { idleTimeout: 2 ** 31 }],
      ['retry.minDelayMs', { retry: { minDelayMs: 2 ** 31 } }],
      ['retry.maxDelayMs', { retry: { maxDelayMs: Number.MAX_SAFE_INTEGER } }],
      ['retry.maxRetryAfterMs', { retry: { maxRetryAfterMs: 2 ** 31 } }],
    ];
    const warnings = await warningsDuring(async () => {
      for (const [path, options] of cases) {
        for (const stream of [false, true]) {
          const error = await gateway.chat.completions.create({ model: 'p/m', messages, stream }, options).catch((caught: unknown) => caught);
          expect(error).toBeInstanceOf(InvalidRequestError);
          expect((error as InvalidRequestError).issues).toEqual([
            { path: `options.${path}`, message: 'Too big: at most 2147483647 ms (about 24.8 days), the longest a Node.js timer can wait' },
          ]);
        }
      }
    });
    expect(warnings).not.toContain('TimeoutOverflowWarning');
    // An instant timeout would have been tried (and retried, and counted by the breaker): nothing was.
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    expect(events.ends()).toHaveLength(cases.length * 2);
    expect(events.events.filter((event) => event.type.startsWith('attempt.') || event.type.startsWith('deployment.'))).toEqual([]);
  });

  it('honours durations up to the limit itself', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok'), stream: chunks });
    const gateway = createGateway({
      providers: { p: adapter },
      defaults: { timeout: TIMER_LIMIT, attemptTimeout: TIMER_LIMIT, firstChunkTimeout: TIMER_LIMIT, idleTimeout: TIMER_LIMIT },
    });
    const limits: CallOptions = { timeout: TIMER_LIMIT, attemptTimeout: TIMER_LIMIT, firstChunkTimeout: TIMER_LIMIT, idleTimeout: TIMER_LIMIT };
    const warnings = await warningsDuring(async () => {
      await expect(gateway.chat.completions.create({ model: 'p/m', messages })).resolves.toMatchObject({ object: 'chat.completion' });
      await expect(gateway.chat.completions.create({ model: 'p/m', messages }, limits)).resolves.toMatchObject({ object: 'chat.completion' });
      const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }, limits);
      for await (const chunk of stream) expect(chunk.choices[0]?.delta.content).toBe('ok');
    });
    expect(warnings).not.toContain('TimeoutOverflowWarning');
    expect(adapter.calls).toHaveLength(3);
  });
});
