import { ProviderError, StreamInterruptedError, createGateway, mapChunks, type ChatCompletionChunk, type Middleware } from '@switchyard/core';
import { chunksOf, scriptedAdapter } from '@switchyard/testing';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents, releasedStream } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const heapAfterGc = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

const [content, finish, usageChunk] = chunksOf(['a']) as [ChatCompletionChunk, ChatCompletionChunk, ChatCompletionChunk];

/**
 * A hostile upstream: one content chunk, then `count` chunks the caller never sees, then the
 * finish. Heap is measured (after a full GC) a tenth of the way in and at the end, while the
 * consumer's one `next()` is still waiting for a visible chunk.
 */
function hiddenFlood(count: number, hidden: ChatCompletionChunk) {
  const heap: number[] = [];
  async function* stream() {
    yield content;
    for (let i = 1; i <= count; i++) {
      if (i === count / 10 || i === count) heap.push(heapAfterGc());
      yield hidden;
    }
    yield finish;
  }
  return { heap, stream };
}

describe('stream hardening', () => {
  it('reads past a flood of hidden usage chunks in constant memory', async () => {
    const flood = hiddenFlood(200_000, usageChunk);
    const gateway = createGateway({ providers: { p: scriptedAdapter({ stream: () => flood.stream() }) }, routing: { retry: false } });
    const seen: ChatCompletionChunk[] = [];
    for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages, stream: true })) seen.push(chunk);
    expect(seen.map((chunk) => chunk.choices[0]?.finish_reason ?? chunk.choices[0]?.delta.content)).toEqual(['a', 'stop']);
    const [early = 0, late = 0] = flood.heap;
    // A pending promise chained per hidden chunk costs ~100 bytes each: ~18 MB here.
    expect(late - early).toBeLessThan(6_000_000);
  });

  it('reads past chunks a middleware drops in constant memory', async () => {
    const flood = hiddenFlood(200_000, { ...content, choices: [{ index: 0, delta: { content: 'drop me' }, finish_reason: null }] });
    const dropper: Middleware = {
      name: 'dropper',
      request: async (_ctx, next) => {
        const result = await next();
        if (result.kind !== 'stream') return result;
        return { kind: 'stream', stream: mapChunks(result.stream, { chunk: (chunk) => (chunk.choices[0]?.delta.content === 'drop me' ? undefined : chunk) }) };
      },
    };
    const gateway = createGateway({ providers: { p: scriptedAdapter({ stream: () => flood.stream() }) }, middleware: [dropper], routing: { retry: false } });
    const seen: ChatCompletionChunk[] = [];
    for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages, stream: true })) seen.push(chunk);
    expect(seen).toHaveLength(2);
    const [early = 0, late = 0] = flood.heap;
    expect(late - early).toBeLessThan(6_000_000);
  });

  it('never lets a raw error from reading a stream reach the caller, before or after the first chunk', async () => {
    const events = collectEvents();
    let calls = 0;
    const gateway = createGateway({
      providers: {
        early: scriptedAdapter({
          stream: async function* () {
            calls++;
            yield* [];
            throw new RangeError('Invalid string length');
          },
        }),
        late: scriptedAdapter({
          stream: async function* () {
            yield content;
            throw new RangeError('Invalid string length');
          },
        }),
      },
      onEvent: events.onEvent,
    });
    const early = await gateway.chat.completions.create({ model: 'early/m', messages, stream: true }).catch((error: unknown) => error);
    expect(early).toBeInstanceOf(ProviderError);
    expect(early).toMatchObject({ retryable: false, providerCode: 'stream_read_failed', attempts: 1 });
    expect((early as Error).message).toBe('early/m: reading the stream failed (RangeError).');
    // Not retried: a stream that cannot be read would fail the same way again.
    expect(calls).toBe(1);

    const stream = await gateway.chat.completions.create({ model: 'late/m', messages, stream: true });
    const late = await (async () => {
      for await (const _chunk of stream) {
        // read on
      }
    })().catch((error: unknown) => error);
    expect(late).toBeInstanceOf(StreamInterruptedError);
    expect((late as StreamInterruptedError).cause).toMatchObject({ providerCode: 'stream_read_failed' });
    // What would fail the same way again is not worth retrying, mid-stream either.
    expect(late).toMatchObject({ retryable: false });
    await flushEvents();
    expect(events.ends().map((end) => [end.outcome, end.error?.code])).toEqual([
      ['error', 'provider_error'],
      ['error', 'stream_interrupted'],
    ]);
  });
});

describe('a stream nobody reads', () => {
  function unreadSetup() {
    const events = collectEvents();
    const { stream, released } = releasedStream();
    const gateway = createGateway({ providers: { p: scriptedAdapter({ stream }) }, onEvent: events.onEvent });
    const ended = () =>
      new Promise<void>((resolve) => {
        const off = gateway.on('request.end', () => {
          off();
          resolve();
        });
      });
    return { gateway, events, ended, released };
  }

  it('ends once within idleTimeout as abandoned (unread), releases the provider stream, and tells a late reader why', async () => {
    const { gateway, events, ended, released } = unreadSetup();
    const end = ended();
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }, { idleTimeout: 20 });
    await end;
    await flushEvents();
    expect(events.ends()).toHaveLength(1);
    expect(events.ends()[0]).toMatchObject({ outcome: 'abandoned', abandoned: 'unread' });
    expect(released()).toBe(true);
    const late = await stream.next().catch((error: unknown) => error);
    expect(late).toBeInstanceOf(StreamInterruptedError);
    expect((late as Error).message).toMatch(/ended after 20 ms because nothing read it/);
    expect(await stream.next()).toEqual({ done: true, value: undefined });
  });

  it('leaves a stream that is being read alone, however slowly the reader goes', async () => {
    const { gateway, events } = unreadSetup();
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }, { idleTimeout: 20 });
    const first = await stream.next();
    expect(first.done).toBe(false);
    // The reader holds its chunk well past idleTimeout before asking for more.
    await new Promise((resolve) => setTimeout(resolve, 60));
    const rest: ChatCompletionChunk[] = [];
    for await (const chunk of stream) rest.push(chunk);
    expect(rest).toHaveLength(2);
    await flushEvents();
    expect(events.ends().map((end) => end.outcome)).toEqual(['success']);
  });
});
