import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayEvent } from '../events/events.js';
import { BatchingSink, createBatchingSink } from './batching-sink.js';
import type { EventRecord } from './event-record.js';

const event = (n: number): GatewayEvent => ({ type: 'request.start', requestId: `r${n}`, timestamp: n, operation: 'chat', route: 'm', stream: false, principal: undefined, metadata: {}, tags: [] });
const ids = (records: readonly EventRecord[]) => records.map((record) => record.requestId);
/** Never settles: a destination that hangs. */
const hang = () => new Promise<void>(() => undefined);
const quickRetry = { retries: 2, minDelayMs: 1, maxDelayMs: 1 };

/** A promise the test settles. */
function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** A destination whose every send waits until the test releases it. */
function gatedDestination() {
  const sends: Array<{ batch: string[]; release: () => void }> = [];
  const delivered: string[] = [];
  let started = deferred();
  const send = (batch: readonly EventRecord[]) => {
    const gate = deferred();
    sends.push({ batch: ids(batch), release: gate.resolve });
    started.resolve();
    return gate.promise.then(() => void delivered.push(...ids(batch)));
  };
  const nextSend = async () => {
    await started.promise;
    started = deferred();
  };
  return { send, sends, delivered, nextSend };
}

afterEach(() => vi.restoreAllMocks());

describe('the batching sink', () => {
  it('sends full batches at once, then the rest on flush, as versioned records in order', async () => {
    const batches: EventRecord[][] = [];
    const sink = createBatchingSink({ send: async (batch) => void batches.push([...batch]), flushIntervalMs: 60_000 });
    for (let i = 0; i < 250; i++) sink.write(event(i));
    await sink.flush();
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((record) => record.requestId)).toEqual(Array.from({ length: 250 }, (_, i) => `r${i}`));
    expect(batches[0]?.[0]).toEqual({ v: 1, type: 'request.start', requestId: 'r0', timestamp: 0, operation: 'chat', route: 'm', stream: false, metadata: {}, tags: [] });
    expect(sink.stats()).toEqual({ accepted: 250, delivered: 250, dropped: 0, queued: 0, failures: 0 });
  });

  it('sends a partial batch once flushIntervalMs has passed, without a flush', async () => {
    const sent = deferred();
    const sink = createBatchingSink({ send: async () => sent.resolve(), flushIntervalMs: 1 });
    sink.write(event(1));
    await sent.promise;
    await sink.flush();
    expect(sink.stats()).toMatchObject({ accepted: 1, delivered: 1, queued: 0 });
  });

  it('returns from write at once while the destination holds a batch, and delivers the rest when it answers', async () => {
    const destination = gatedDestination();
    const sink = createBatchingSink({ send: destination.send, maxBatchSize: 2, flushIntervalMs: 60_000 });
    for (let i = 1; i <= 5; i++) sink.write(event(i));
    await destination.nextSend();
    // One batch out (concurrency 1), the rest queued; the held ones count as queued too.
    expect(destination.sends.map((send) => send.batch)).toEqual([['r1', 'r2']]);
    expect(sink.stats()).toEqual({ accepted: 5, delivered: 0, dropped: 0, queued: 5, failures: 0 });
    const flushed = sink.flush();
    destination.sends[0]?.release();
    await destination.nextSend();
    destination.sends[1]?.release();
    await destination.nextSend();
    destination.sends[2]?.release();
    await flushed;
    expect(destination.sends.map((send) => send.batch)).toEqual([['r1', 'r2'], ['r3', 'r4'], ['r5']]);
    expect(destination.delivered).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
    expect(sink.stats()).toEqual({ accepted: 5, delivered: 5, dropped: 0, queued: 0, failures: 0 });
  });

  it('flush() waits for what was queued when it was called, not for what comes after', async () => {
    const destination = gatedDestination();
    const sink = createBatchingSink({ send: destination.send, flushIntervalMs: 60_000 });
    sink.write(event(1));
    const flushed = sink.flush();
    await destination.nextSend();
    sink.write(event(2));
    destination.sends[0]?.release();
    await flushed;
    expect(destination.delivered).toEqual(['r1']);
    expect(sink.stats()).toMatchObject({ delivered: 1, queued: 1 });
  });

  it('sends up to `concurrency` batches at once', async () => {
    const destination = gatedDestination();
    const sink = createBatchingSink({ send: destination.send, maxBatchSize: 1, concurrency: 2, flushIntervalMs: 60_000 });
    for (let i = 1; i <= 3; i++) sink.write(event(i));
    await destination.nextSend();
    expect(destination.sends.map((send) => send.batch)).toEqual([['r1'], ['r2']]);
    const flushed = sink.flush();
    // The second finishing first frees a place for the third: batches may end out of order.
    destination.sends[1]?.release();
    await destination.nextSend();
    expect(destination.sends.map((send) => send.batch)).toEqual([['r1'], ['r2'], ['r3']]);
    destination.sends[2]?.release();
    destination.sends[0]?.release();
    await flushed;
    expect(destination.delivered).toEqual(['r2', 'r3', 'r1']);
  });

  it('retries a failed batch and delivers it once', async () => {
    const tries: string[][] = [];
    const sink = createBatchingSink({
      send: async (batch) => {
        tries.push(ids(batch));
        if (tries.length === 1) throw new Error('503');
      },
      retry: quickRetry,
    });
    sink.write(event(1));
    sink.write(event(2));
    await sink.flush();
    expect(tries).toEqual([
      ['r1', 'r2'],
      ['r1', 'r2'],
    ]);
    expect(sink.stats()).toEqual({ accepted: 2, delivered: 2, dropped: 0, queued: 0, failures: 1 });
  });

  it('retries a TypeError too (p-retry alone would give up on it), and a send that throws before it returns', async () => {
    let tries = 0;
    const sink = createBatchingSink({
      send: (() => {
        tries++;
        if (tries === 1) throw new TypeError('fetch is not a function');
        if (tries === 2) return Promise.reject(new TypeError('Cannot read properties of undefined'));
        return Promise.resolve();
      }) as () => Promise<void>,
      retry: quickRetry,
    });
    sink.write(event(1));
    await sink.flush();
    expect(sink.stats()).toMatchObject({ delivered: 1, failures: 2, dropped: 0 });
  });

  it('drops and counts a batch that fails every retry, telling onDrop', async () => {
    const onDrop = vi.fn();
    const sink = createBatchingSink({ send: () => Promise.reject(new Error('down')), retry: quickRetry, onDrop });
    for (let i = 0; i < 3; i++) sink.write(event(i));
    await sink.flush();
    expect(sink.stats()).toEqual({ accepted: 3, delivered: 0, dropped: 3, queued: 0, failures: 3 });
    expect(onDrop).toHaveBeenCalledExactlyOnceWith(3, { accepted: 3, delivered: 0, dropped: 3, queued: 0, failures: 3 });
  });

  it('with retry: false, a failed batch is dropped after its one try', async () => {
    const sink = createBatchingSink({ send: () => Promise.reject(new Error('down')), retry: false, onDrop: () => undefined });
    sink.write(event(1));
    await sink.flush();
    expect(sink.stats()).toMatchObject({ dropped: 1, failures: 1 });
  });

  it('aborts a send that takes longer than sendTimeoutMs and retries it', async () => {
    const signals: AbortSignal[] = [];
    const sink = createBatchingSink({
      send: (_batch, { signal }) => {
        signals.push(signal);
        // The first try hangs and ignores its signal; the retry answers.
        return signals.length === 1 ? hang() : Promise.resolve();
      },
      sendTimeoutMs: 10,
      retry: quickRetry,
    });
    sink.write(event(1));
    await sink.flush();
    expect(signals).toHaveLength(2);
    expect(signals[0]?.aborted).toBe(true);
    expect(String(signals[0]?.reason)).toMatch(/took more than 10 ms/);
    expect(signals[1]?.aborted).toBe(false);
    expect(sink.stats()).toEqual({ accepted: 1, delivered: 1, dropped: 0, queued: 0, failures: 1 });
  });

  it('drops and counts an event that finds it full (queued and sending), never evicting one it holds', async () => {
    const destination = gatedDestination();
    const onDrop = vi.fn();
    const sink = createBatchingSink({ send: destination.send, maxBatchSize: 2, maxQueue: 3, flushIntervalMs: 60_000, onDrop });
    for (let i = 0; i < 6; i++) sink.write(event(i));
    expect(sink.stats()).toEqual({ accepted: 3, delivered: 0, dropped: 3, queued: 3, failures: 0 });
    expect(onDrop.mock.calls.map(([count]) => count as number)).toEqual([1, 1, 1]);
    const flushed = sink.flush();
    await destination.nextSend();
    destination.sends[0]?.release();
    await destination.nextSend();
    destination.sends[1]?.release();
    await flushed;
    expect(destination.delivered).toEqual(['r0', 'r1', 'r2']);
  });

  it('without onDrop, warns at once, then at most once per interval with the count; close() tells the rest', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const sink = createBatchingSink({ name: 'warehouse', send: hang, maxQueue: 1, flushIntervalMs: 60_000, sendTimeoutMs: 60_000 });
    for (let i = 0; i < 4; i++) sink.write(event(i));
    expect(warn).toHaveBeenCalledExactlyOnceWith(expect.stringMatching(/sink 'warehouse' dropped 1 event \(1 in all\)/), { code: 'SWITCHYARD_EVENTS_DROPPED' });
    const stats = await sink.close({ timeoutMs: 1 });
    // Two more refused before close, and the one held when close gave up.
    expect(stats).toEqual({ accepted: 1, delivered: 0, dropped: 4, queued: 0, failures: 1 });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]?.[0]).toMatch(/'warehouse' dropped 3 events \(4 in all\)/);
  });

  it('survives an onDrop that throws', () => {
    const sink = createBatchingSink({ send: hang, maxQueue: 1, onDrop: () => { throw new Error('boom'); } });
    sink.write(event(1));
    expect(() => sink.write(event(2))).not.toThrow();
    expect(sink.stats().dropped).toBe(1);
  });

  it('takes only its types (and counts nothing for the others)', async () => {
    const delivered: string[] = [];
    const sink = createBatchingSink({ send: async (batch) => void delivered.push(...batch.map((record) => record.type)), types: ['request.end'] });
    sink.write(event(1));
    sink.write({ type: 'request.fallback', requestId: 'r', timestamp: 0, from: 'a/m', to: 'b/m', error: { name: 'ProviderError', code: 'provider_error', message: 'busy', retryable: true } });
    await sink.flush();
    expect(delivered).toEqual([]);
    expect(sink.stats()).toEqual({ accepted: 0, delivered: 0, dropped: 0, queued: 0, failures: 0 });
  });

  it('close() delivers everything queued, then takes no more (each one counted as dropped); it is idempotent', async () => {
    const onDrop = vi.fn();
    const delivered: string[] = [];
    const sink = createBatchingSink({ send: async (batch) => void delivered.push(...ids(batch)), flushIntervalMs: 60_000, onDrop });
    for (let i = 0; i < 3; i++) sink.write(event(i));
    const closing = sink.close();
    // Closing: no longer taking events.
    sink.write(event(8));
    const stats = await closing;
    expect(delivered).toEqual(['r0', 'r1', 'r2']);
    expect(stats).toEqual({ accepted: 3, delivered: 3, dropped: 1, queued: 0, failures: 0 });
    sink.write(event(9));
    expect(sink.stats()).toEqual({ accepted: 3, delivered: 3, dropped: 2, queued: 0, failures: 0 });
    expect(onDrop.mock.calls.map(([count]) => count as number)).toEqual([1, 1]);
    expect(sink.close()).toBe(closing);
  });

  it('close() with a destination that hangs resolves at its bound, the undelivered counted', async () => {
    const sink = createBatchingSink({ send: hang, sendTimeoutMs: 60_000, onDrop: () => undefined, maxBatchSize: 2 });
    for (let i = 0; i < 5; i++) sink.write(event(i));
    expect(await sink.close({ timeoutMs: 5 })).toEqual({ accepted: 5, delivered: 0, dropped: 5, queued: 0, failures: 1 });
  });

  it('close() gives up on a batch waiting for its next retry at its bound', async () => {
    const sink = createBatchingSink({ send: () => Promise.reject(new Error('down')), retry: { retries: 5, minDelayMs: 60_000, maxDelayMs: 60_000 }, onDrop: () => undefined });
    sink.write(event(1));
    expect(await sink.close({ timeoutMs: 5 })).toEqual({ accepted: 1, delivered: 0, dropped: 1, queued: 0, failures: 1 });
  });

  it('keeps no process alive: its own timers are unref’d while it waits to send and while a send is out', async () => {
    const created: NodeJS.Timeout[] = [];
    const real = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((...args: Parameters<typeof setTimeout>) => {
      const timer = real(...args);
      created.push(timer);
      return timer;
    }) as typeof setTimeout);
    const sent = deferred();
    const sink = createBatchingSink({ send: () => (sent.resolve(), hang()), flushIntervalMs: 1, retry: { retries: 1, minDelayMs: 60_000, maxDelayMs: 60_000 }, sendTimeoutMs: 60_000, onDrop: () => undefined });
    sink.write(event(1));
    await sent.promise;
    vi.mocked(globalThis.setTimeout).mockRestore();
    // The flush interval and the send's time bound.
    expect(created.length).toBeGreaterThanOrEqual(2);
    expect(created.map((timer) => timer.hasRef())).toEqual(created.map(() => false));
    await sink.close({ timeoutMs: 1 });
  });

  it('releases what a sink built on it holds when it closes', async () => {
    const released = vi.fn(async () => undefined);
    const sink = new BatchingSink({ send: async () => undefined }, released);
    await sink.close();
    await sink.close();
    expect(released).toHaveBeenCalledTimes(1);
  });

  it('refuses options that cannot work', () => {
    const send = async () => undefined;
    expect(() => createBatchingSink({ send, maxBatchSize: 0 })).toThrow(/maxBatchSize must be a positive integer/);
    expect(() => createBatchingSink({ send, maxQueue: 1.5 })).toThrow(/maxQueue must be a positive integer/);
    expect(() => createBatchingSink({ send, concurrency: 0 })).toThrow(/concurrency must be a positive integer/);
    expect(() => createBatchingSink({ send, flushIntervalMs: -1 })).toThrow(/flushIntervalMs/);
    expect(() => createBatchingSink({ send, sendTimeoutMs: 0 })).toThrow(/sendTimeoutMs/);
    expect(() => createBatchingSink({ send, retry: { retries: -1 } })).toThrow(/retry.retries/);
    expect(() => createBatchingSink({ send, retry: { minDelayMs: 10, maxDelayMs: 5 } })).toThrow(/retry.maxDelayMs/);
    expect(() => createBatchingSink({} as never)).toThrow(/send must be a function/);
  });
});
