import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayEvent } from '../events/events.js';
import { BatchingSink, createBatchingSink } from './batching-sink.js';
import type { EventRecord } from './event-record.js';

const event = (n: number): GatewayEvent => ({ type: 'request.start', requestId: `r${n}`, timestamp: n, operation: 'chat', route: 'm', stream: false, principal: undefined, metadata: {}, tags: [] });

/** A promise the test settles. */
function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

afterEach(() => vi.restoreAllMocks());

describe('the batching sink', () => {
  it('queues at once and sends full batches, then the rest on flush, as versioned records in order', async () => {
    const batches: EventRecord[][] = [];
    const sink = createBatchingSink({ send: async (batch) => void batches.push([...batch]), maxBatchSize: 100, flushIntervalMs: 60_000 });
    for (let i = 0; i < 250; i++) sink.write(event(i));
    await sink.flush();
    expect(batches.map((batch) => batch.length)).toEqual([100, 100, 50]);
    expect(batches.flat().map((record) => record.requestId)).toEqual(Array.from({ length: 250 }, (_, i) => `r${i}`));
    expect(batches[0]?.[0]).toMatchObject({ v: 1, type: 'request.start', requestId: 'r0' });
    expect(sink.stats()).toEqual({ accepted: 250, delivered: 250, dropped: 0, queued: 0, failures: 0 });
  });

  it('sends a partial batch after flushIntervalMs without a flush', async () => {
    const sent = deferred();
    const sink = createBatchingSink({ send: async () => sent.resolve(), flushIntervalMs: 5 });
    sink.write(event(1));
    await sent.promise;
    await sink.flush();
    expect(sink.stats().delivered).toBe(1);
  });

  it('never waits for a slow destination: writes return at once while a batch is out', async () => {
    const gate = deferred();
    const sink = createBatchingSink({ send: () => gate.promise, maxBatchSize: 2 });
    sink.write(event(1));
    sink.write(event(2));
    for (let i = 3; i <= 6; i++) sink.write(event(i));
    expect(sink.stats()).toMatchObject({ accepted: 6, delivered: 0, queued: 6 });
    gate.resolve();
    await sink.flush();
    expect(sink.stats()).toMatchObject({ delivered: 6, queued: 0, dropped: 0 });
  });

  it('retries a failed batch and delivers it once', async () => {
    let tries = 0;
    const delivered: string[] = [];
    const sink = createBatchingSink({
      send: async (batch) => {
        if (++tries === 1) throw new Error('503');
        delivered.push(...batch.map((record) => record.requestId));
      },
      retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 },
    });
    sink.write(event(1));
    await sink.flush();
    expect(delivered).toEqual(['r1']);
    expect(sink.stats()).toEqual({ accepted: 1, delivered: 1, dropped: 0, queued: 0, failures: 1 });
  });

  it('drops and counts a batch that fails every retry, and tells onDrop', async () => {
    const onDrop = vi.fn();
    const sink = createBatchingSink({ send: () => Promise.reject(new Error('down')), retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 }, onDrop });
    for (let i = 0; i < 3; i++) sink.write(event(i));
    await sink.flush();
    expect(sink.stats()).toEqual({ accepted: 3, delivered: 0, dropped: 3, queued: 0, failures: 3 });
    expect(onDrop).toHaveBeenCalledWith(3, expect.objectContaining({ dropped: 3 }));
  });

  it('aborts a send that takes longer than sendTimeoutMs and retries it', async () => {
    const signals: AbortSignal[] = [];
    const sink = createBatchingSink({
      send: (_batch, { signal }) => {
        signals.push(signal);
        // The first try hangs and ignores its signal; the retry answers.
        return signals.length === 1 ? new Promise<void>(() => undefined) : Promise.resolve();
      },
      sendTimeoutMs: 20,
      retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 },
    });
    sink.write(event(1));
    await sink.flush();
    expect(signals[0]?.aborted).toBe(true);
    expect(sink.stats()).toMatchObject({ delivered: 1, failures: 1, dropped: 0 });
  });

  it('counts an event that finds the queue full as dropped, never evicting one it holds', async () => {
    const gate = deferred();
    const onDrop = vi.fn();
    const sent: string[] = [];
    const sink = createBatchingSink({ send: async (batch) => (await gate.promise, void sent.push(...batch.map((record) => record.requestId))), maxQueue: 5, flushIntervalMs: 60_000, onDrop });
    for (let i = 0; i < 8; i++) sink.write(event(i));
    expect(sink.stats()).toMatchObject({ accepted: 5, dropped: 3, queued: 5 });
    expect(onDrop).toHaveBeenCalledTimes(3);
    gate.resolve();
    await sink.flush();
    expect(sent).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
  });

  it('without onDrop, warns once per interval with the count, and close() reports the rest', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const sink = createBatchingSink({ name: 'warehouse', send: () => new Promise<void>(() => undefined), maxQueue: 1, flushIntervalMs: 60_000, sendTimeoutMs: 60_000 });
    for (let i = 0; i < 4; i++) sink.write(event(i));
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/'warehouse' dropped 1 event \(1 in all\)/);
    expect(warn.mock.calls[0]?.[1]).toEqual({ code: 'SWITCHYARD_EVENTS_DROPPED' });
    const stats = await sink.close({ timeoutMs: 10 });
    // Two more dropped before close, and the one queued when close gave up.
    expect(stats).toMatchObject({ accepted: 1, dropped: 4, delivered: 0, queued: 0 });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]?.[0]).toMatch(/dropped 3 events \(4 in all\)/);
  });

  it('close() delivers everything queued, then takes no more (each one counted as dropped)', async () => {
    const onDrop = vi.fn();
    const delivered: string[] = [];
    const sink = createBatchingSink({ send: async (batch) => void delivered.push(...batch.map((record) => record.requestId)), flushIntervalMs: 60_000, onDrop });
    for (let i = 0; i < 3; i++) sink.write(event(i));
    const stats = await sink.close();
    expect(delivered).toEqual(['r0', 'r1', 'r2']);
    expect(stats).toEqual({ accepted: 3, delivered: 3, dropped: 0, queued: 0, failures: 0 });
    sink.write(event(9));
    expect(sink.stats().dropped).toBe(1);
    expect(onDrop).toHaveBeenCalledWith(1, expect.anything());
    expect(await sink.close()).toEqual(stats);
  });

  it('close() with a destination that hangs resolves at its bound, the undelivered counted', async () => {
    const sink = createBatchingSink({ send: () => new Promise<void>(() => undefined), sendTimeoutMs: 60_000, onDrop: () => undefined, maxBatchSize: 2 });
    for (let i = 0; i < 5; i++) sink.write(event(i));
    const stats = await sink.close({ timeoutMs: 20 });
    expect(stats).toMatchObject({ accepted: 5, delivered: 0, dropped: 5, queued: 0 });
  });

  it('releases what a sink built on it holds when it closes', async () => {
    const released = vi.fn(async () => undefined);
    const sink = new BatchingSink({ send: async () => undefined }, released);
    await sink.close();
    expect(released).toHaveBeenCalledTimes(1);
  });

  it('refuses options that cannot work', () => {
    expect(() => createBatchingSink({ send: async () => undefined, maxBatchSize: 0 })).toThrow(/maxBatchSize must be a positive integer/);
    expect(() => createBatchingSink({ send: async () => undefined, flushIntervalMs: -1 })).toThrow(/flushIntervalMs/);
  });
});
