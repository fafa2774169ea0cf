import { AbortError, ProviderError, TimeoutError, createGateway, type ChatCompletion, type ChatCompletionChunk } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { cacheEvents, drain, flushEvents, gate, messages, streamSummary } from './helpers.js';

const N = 8;

/** A provider whose calls all wait for `release()`; each call answers with its own number. */
function heldProvider(options: { fail?: () => unknown; coalesce?: boolean } = {}) {
  let calls = 0;
  let held = gate();
  const answer = (n: number): ChatCompletion => completionOf(`answer ${n}`);
  /** Until `release()`, or until the call is aborted (as a real adapter would end). */
  const hold = (signal: AbortSignal | undefined) =>
    new Promise<void>((resolve, reject) => {
      void held.promise.then(resolve);
      signal?.addEventListener('abort', () => reject(new AbortError()), { once: true });
    });
  const adapter = scriptedAdapter({
    chat: async (_request, call) => {
      const n = ++calls;
      await hold(call.signal);
      if (options.fail) throw options.fail();
      return answer(n);
    },
    stream: async function* (_request, call): AsyncGenerator<ChatCompletionChunk> {
      const n = ++calls;
      await hold(call.signal);
      if (options.fail) throw options.fail();
      yield* chunksOf([`answer `, `${n}`]);
    },
  });
  const collected = cacheEvents();
  const gateway = createGateway({ providers: { p: adapter }, routing: { retry: false }, cache: { exact: { coalesce: options.coalesce } }, onEvent: collected.onEvent });
  return {
    gateway,
    calls: () => calls,
    release: () => {
      held.open();
      held = gate();
    },
    ...collected,
  };
}

describe('request coalescing', () => {
  it('makes one provider call for identical completion calls in flight at once; the others are served by the cache', async () => {
    const { gateway, calls, release, of } = heldProvider();
    const burst = Array.from({ length: N }, () => gateway.chat.completions.create({ model: 'p/m', messages }).withMeta());
    release();
    const results = await Promise.all(burst);
    expect(calls()).toBe(1);
    expect(new Set(results.map(({ data }) => JSON.stringify(data))).size).toBe(1);
    expect(results.map(({ meta }) => meta.served)).toEqual(['provider', ...Array<string>(N - 1).fill('middleware')]);
    expect(results.slice(1).every(({ meta }) => meta.attempts === 0 && meta.totalUsage === undefined)).toBe(true);
    await flushEvents();
    expect(of('cache.miss').map((event) => event.coalesced)).toEqual([false, ...Array<boolean>(N - 1).fill(true)]);
    // And it was stored: the next call is a hit.
    await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(calls()).toBe(1);
  });

  it('makes one provider call for identical streams in flight at once; each follower gets a whole replay', async () => {
    const { gateway, calls, release } = heldProvider();
    const params = { model: 'p/m', messages, stream: true as const, stream_options: { include_usage: true } };
    const burst = Array.from({ length: N }, async () => drain(await gateway.chat.completions.create(params)));
    release();
    const streams = await Promise.all(burst);
    expect(calls()).toBe(1);
    const [leader, ...followers] = streams.map(streamSummary);
    expect(leader).toMatchObject({ content: { 0: 'answer 1' }, finish: { 0: 'stop' }, usage: { total_tokens: 5 } });
    for (const follower of followers) expect(follower).toEqual(leader);
  });

  it('coalesces stream and completion calls of the same request', async () => {
    const { gateway, calls, release } = heldProvider();
    const completion = gateway.chat.completions.create({ model: 'p/m', messages });
    const stream = gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).then(drain);
    release();
    const [answer, chunks] = await Promise.all([completion, stream]);
    expect(calls()).toBe(1);
    expect(streamSummary(chunks).content[0]).toBe(answer.choices[0]?.message.content);
  });

  it('gives every caller the leader’s error when its call fails, each with its own request id, and caches nothing', async () => {
    const failure = () => new ProviderError('Invalid schema for function', { provider: 'p', model: 'm', status: 400, retryable: false });
    const provider = heldProvider({ fail: failure });
    const burst = Array.from({ length: N }, () => provider.gateway.chat.completions.create({ model: 'p/m', messages }).catch((error: unknown) => error));
    provider.release();
    const errors = await Promise.all(burst);
    expect(provider.calls()).toBe(1);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ message: 'Invalid schema for function', status: 400, code: 'provider_error' });
    }
    expect(new Set(errors.map((error) => (error as ProviderError).requestId)).size).toBe(N);
    const again = provider.gateway.chat.completions.create({ model: 'p/m', messages });
    provider.release();
    await expect(again).rejects.toBeInstanceOf(ProviderError);
    expect(provider.calls()).toBe(2);
  });

  it('gives every stream caller the error too', async () => {
    const provider = heldProvider({ fail: () => new ProviderError('bad request', { provider: 'p', model: 'm', status: 400, retryable: false }) });
    const burst = Array.from({ length: N }, () =>
      provider.gateway.chat.completions
        .create({ model: 'p/m', messages, stream: true })
        .then(drain)
        .catch((error: unknown) => error),
    );
    provider.release();
    const errors = await Promise.all(burst);
    expect(provider.calls()).toBe(1);
    expect(errors.every((error) => error instanceof ProviderError && error.status === 400)).toBe(true);
  });

  it('lets a follower leave on its own abort or timeout while the others still get the answer', async () => {
    const { gateway, calls, release } = heldProvider();
    const controller = new AbortController();
    const leader = gateway.chat.completions.create({ model: 'p/m', messages });
    const aborted = gateway.chat.completions.create({ model: 'p/m', messages }, { signal: controller.signal }).catch((error: unknown) => error);
    const timedOut = gateway.chat.completions.create({ model: 'p/m', messages }, { timeout: 20 }).catch((error: unknown) => error);
    const patient = gateway.chat.completions.create({ model: 'p/m', messages });
    controller.abort();
    await expect(aborted).resolves.toBeInstanceOf(AbortError);
    await expect(timedOut).resolves.toBeInstanceOf(TimeoutError);
    release();
    const [a, b] = await Promise.all([leader, patient]);
    expect(b).toEqual(a);
    expect(calls()).toBe(1);
  });

  it('does not hand the leader’s own abort to the followers: one of them calls the provider instead', async () => {
    const { gateway, calls, release } = heldProvider();
    const controller = new AbortController();
    const leader = gateway.chat.completions.create({ model: 'p/m', messages }, { signal: controller.signal }).catch((error: unknown) => error);
    const followers = Array.from({ length: 3 }, () => gateway.chat.completions.create({ model: 'p/m', messages }));
    controller.abort();
    await expect(leader).resolves.toBeInstanceOf(AbortError);
    await flushEvents();
    expect(calls()).toBe(2);
    release();
    const answers = await Promise.all(followers);
    expect(calls()).toBe(2);
    expect(answers.every((answer) => answer.choices[0]?.message.content === 'answer 2')).toBe(true);
  });

  it('does not hand a stream the leader left early to the followers either', async () => {
    const { gateway, calls, release } = heldProvider();
    const params = { model: 'p/m', messages, stream: true as const };
    const leader = gateway.chat.completions.create(params).then(async (stream) => {
      for await (const _ of stream) break;
    });
    const follower = gateway.chat.completions.create(params).then(drain);
    release();
    await leader;
    await flushEvents();
    expect(calls()).toBe(2);
    release();
    expect(streamSummary(await follower).content[0]).toBe('answer 2');
    expect(calls()).toBe(2);
  });

  it('is off with coalesce: false, and never joins a noCache call to one in flight', async () => {
    const off = heldProvider({ coalesce: false });
    const burst = Array.from({ length: 3 }, () => off.gateway.chat.completions.create({ model: 'p/m', messages }));
    off.release();
    await Promise.all(burst);
    expect(off.calls()).toBe(3);

    const on = heldProvider();
    const first = on.gateway.chat.completions.create({ model: 'p/m', messages });
    const fresh = on.gateway.chat.completions.create({ model: 'p/m', messages }, { cache: { noCache: true } });
    on.release();
    const [a, b] = await Promise.all([first, fresh]);
    expect(on.calls()).toBe(2);
    expect(a.choices[0]?.message.content).not.toBe(b.choices[0]?.message.content);
  });
});
