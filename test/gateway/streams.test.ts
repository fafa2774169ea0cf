import { AbortError, StreamInterruptedError, TimeoutError, createGateway, ProviderError, type ChatCompletionChunk } from '@switchyard/core';
import { type CallContext } from '@switchyard/core/adapter';
import { chunksOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, collectGarbageUntil, flushEvents } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

/** Waits until the call's signal aborts, then throws what an SDK would. */
function untilAborted(call: CallContext): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
    if (call.signal?.aborted) abort();
    call.signal?.addEventListener('abort', abort, { once: true });
  });
}

function setup(stream: (call: CallContext) => AsyncIterable<ChatCompletionChunk>) {
  const events = collectEvents();
  const gateway = createGateway({
    providers: { p: scriptedAdapter({ stream: (_request, call) => stream(call) }) },
    onEvent: events.onEvent,
    routing: { retry: false },
  });
  return { gateway, events };
}

describe('stream lifecycle', () => {
  it('ends with usage, drops the usage chunk the caller did not ask for, and keeps it when asked', async () => {
    const { gateway, events } = setup(async function* () {
      yield* chunksOf(['a', 'b'], { prompt_tokens: 4, completion_tokens: 2 });
    });
    const plain: ChatCompletionChunk[] = [];
    for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages, stream: true })) plain.push(chunk);
    expect(plain).toHaveLength(3);
    expect(plain.every((chunk) => chunk.usage === undefined)).toBe(true);

    const withUsage: ChatCompletionChunk[] = [];
    const asked = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true, stream_options: { include_usage: true } });
    for await (const chunk of asked) withUsage.push(chunk);
    expect(withUsage).toHaveLength(4);
    expect(withUsage.at(-1)?.usage?.total_tokens).toBe(6);

    await flushEvents();
    expect(events.ends().map((e) => [e.outcome, e.usage?.totalTokens])).toEqual([
      ['success', 6],
      ['success', 6],
    ]);
  });

  it('strips usage from a content chunk that carries it (compatible servers do this)', async () => {
    const [first, finish] = chunksOf(['a']);
    const { gateway, events } = setup(async function* () {
      yield first!;
      yield { ...finish!, usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } };
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages, stream: true })) chunks.push(chunk);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]?.usage).toBeUndefined();
    expect(chunks[1]?.choices[0]?.finish_reason).toBe('stop');
    await flushEvents();
    expect(events.ends()[0]?.usage?.totalTokens).toBe(2);
  });

  it('ends once as abandoned when the consumer breaks, and releases the provider stream', async () => {
    let released = false;
    const { gateway, events } = setup(async function* () {
      try {
        yield* chunksOf(['a', 'b', 'c', 'd']);
      } finally {
        released = true;
      }
    });
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true });
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content === 'b') break;
    }
    expect(released).toBe(true);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
    await stream.return();
    await flushEvents();
    expect(events.ends()).toHaveLength(1);
    expect(events.ends()[0]).toMatchObject({ outcome: 'abandoned', abandoned: 'returned', error: undefined });
  });

  it('ends once as abandoned, and releases the provider stream, when the caller drops it unread', async () => {
    let released = false;
    const { gateway, events } = setup(async function* () {
      try {
        yield* chunksOf(['a', 'b', 'c']);
      } finally {
        released = true;
      }
    });
    // The caller takes the stream and loses it without reading, breaking or returning it.
    await (async () => {
      await gateway.chat.completions.create({ model: 'p/m', messages, stream: true });
    })();
    expect(await collectGarbageUntil(() => events.ends().length > 0)).toBe(true);
    expect(events.ends()).toHaveLength(1);
    expect(events.ends()[0]).toMatchObject({ outcome: 'abandoned', abandoned: 'collected', error: undefined });
    expect(released).toBe(true);
  });

  it('ends once as aborted when the signal fires mid-stream, promptly, with an AbortError', async () => {
    const { gateway, events } = setup(async function* (call) {
      yield* chunksOf(['a']).slice(0, 1);
      await untilAborted(call);
    });
    const controller = new AbortController();
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }, { signal: controller.signal });
    const received: string[] = [];
    const consuming = (async () => {
      for await (const chunk of stream) {
        received.push(chunk.choices[0]?.delta.content ?? '');
        controller.abort();
      }
    })();
    await expect(consuming).rejects.toBeInstanceOf(AbortError);
    expect(received).toEqual(['a']);
    await flushEvents();
    expect(events.ends()).toHaveLength(1);
    expect(events.ends()[0]).toMatchObject({ outcome: 'aborted', error: { code: 'aborted' } });
  });

  it('ends as aborted with an AbortError when the signal fires while a read waits on the provider, whatever error the adapter rejects with', async () => {
    let waiting: () => void = () => undefined;
    const reading = new Promise<void>((resolve) => (waiting = resolve));
    const { gateway, events } = setup(async function* (call) {
      yield* chunksOf(['a']).slice(0, 1);
      waiting();
      await untilAborted(call);
    });
    const controller = new AbortController();
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }, { signal: controller.signal });
    const iterator = stream[Symbol.asyncIterator]();
    expect((await iterator.next()).value?.choices[0]?.delta.content).toBe('a');
    const next = iterator.next();
    await reading;
    controller.abort();
    await expect(next).rejects.toBeInstanceOf(AbortError);
    await flushEvents();
    expect(events.ends()).toMatchObject([{ outcome: 'aborted', error: { code: 'aborted' } }]);
  });

  it('ends once with a typed StreamInterruptedError when the upstream cuts the stream', async () => {
    const { gateway, events } = setup(async function* () {
      yield* chunksOf(['a', 'b']).slice(0, 2);
      throw new ProviderError('p/m: the stream ended before it was complete.', { provider: 'p', model: 'm', retryable: true });
    });
    const received: string[] = [];
    const error = await (async () => {
      for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages, stream: true })) {
        received.push(chunk.choices[0]?.delta.content ?? '');
      }
    })().catch((caught: unknown) => caught);
    expect(received).toEqual(['a', 'b']);
    expect(error).toBeInstanceOf(StreamInterruptedError);
    expect(error).toMatchObject({ provider: 'p', model: 'm', attempts: 1, retryable: true, message: expect.stringMatching(/after 2 chunk/) });
    expect((error as Error).cause).toBeInstanceOf(ProviderError);
    await flushEvents();
    expect(events.ends()).toHaveLength(1);
    expect(events.ends()[0]).toMatchObject({ outcome: 'error', error: { code: 'stream_interrupted' } });
  });

  it('fails the call itself (not the stream) when the provider fails before the first chunk', async () => {
    const { gateway, events } = setup(async function* () {
      yield* [];
      throw new ProviderError('p/m answered 429: slow down', { provider: 'p', model: 'm', status: 429, retryable: true });
    });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages, stream: true })).rejects.toMatchObject({
      name: 'ProviderError',
      status: 429,
    });
    await flushEvents();
    expect(events.ends()).toHaveLength(1);
    expect(events.events.filter((e) => e.type === 'attempt.end')).toEqual([expect.objectContaining({ outcome: 'error' })]);
  });

  it('times out a stream that stalls, covering the whole stream, with a TimeoutError', async () => {
    const { gateway, events } = setup(async function* (call) {
      yield* chunksOf(['a']).slice(0, 1);
      await untilAborted(call);
    });
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }, { timeout: 20 });
    const error = await (async () => {
      for await (const _ of stream) {
        // the second chunk never comes
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 20, provider: 'p', model: 'm' });
    await flushEvents();
    expect(events.ends()).toEqual([expect.objectContaining({ outcome: 'error', error: expect.objectContaining({ code: 'timeout' }) })]);
  });

  it('handles an empty stream', async () => {
    const { gateway, events } = setup(async function* () {
      yield* [];
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages, stream: true })) chunks.push(chunk);
    expect(chunks).toEqual([]);
    await flushEvents();
    expect(events.ends()[0]).toMatchObject({ outcome: 'success', usage: undefined });
  });
});

describe('a stream nobody reads', () => {
  it('still ends once when the call times out, as abandoned because nothing read it', async () => {
    const { gateway, events } = setup(async function* () {
      yield* chunksOf(['a', 'b']);
    });
    const ended = new Promise((resolve) => gateway.on('request.end', resolve));
    await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }, { timeout: 20 });
    await ended;
    await flushEvents();
    expect(events.ends()).toEqual([expect.objectContaining({ outcome: 'abandoned', abandoned: 'unread', error: undefined })]);
  });
});
