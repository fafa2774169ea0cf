import { createBatchingSink, createGateway, type EventRecord, type EventSink } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EVENTS_PER_CALL, deferred, gatewayWith, hang, keepingDestination } from './helpers.js';

const quickRetry = { retries: 1, minDelayMs: 1, maxDelayMs: 1 };
/** Lets the event bus hand the events of finished calls to the sinks. */
const eventsDelivered = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => vi.restoreAllMocks());

describe('a batching sink on a gateway', () => {
  it('a slow destination delays no call; close() then delivers every event, in order, and reports it', async () => {
    const gate = deferred();
    const sent = deferred();
    const delivered: EventRecord[] = [];
    const sink = createBatchingSink({
      name: 'warehouse',
      send: async (batch) => {
        sent.resolve();
        await gate.promise;
        delivered.push(...batch);
      },
      maxBatchSize: 4,
      flushIntervalMs: 60_000,
    });
    const { gateway, emitted, call } = gatewayWith([sink]);
    const ids: string[] = [];
    ids.push(await call(), await call());
    await sent.promise;
    // The destination holds a batch and will not answer until released: calls go on regardless.
    for (let i = 0; i < 8; i++) ids.push(await call());
    await eventsDelivered();
    expect(sink.stats()).toEqual({ accepted: 30, delivered: 0, dropped: 0, queued: 30, failures: 0 });
    const closing = gateway.close();
    gate.resolve();
    const report = await closing;
    expect(report).toEqual({ sinks: [{ name: 'warehouse', accepted: 30, delivered: 30, dropped: 0, queued: 0, failures: 0 }] });
    expect(delivered.map((record) => [record.requestId, record.type])).toEqual(ids.flatMap((id) => EVENTS_PER_CALL.map((type) => [id, type])));
    expect(delivered).toEqual(emitted.map((event) => ({ v: 1, ...event })));
  });

  it('a destination that always fails delays no call; its losses are counted after the retries', async () => {
    const sink = createBatchingSink({ name: 'down', send: () => Promise.reject(new Error('503')), retry: quickRetry, flushIntervalMs: 60_000, onDrop: () => undefined });
    const { gateway, call } = gatewayWith([sink]);
    for (let i = 0; i < 4; i++) await call();
    // The 12 events make one batch at close: tried twice, then dropped.
    expect(await gateway.close()).toEqual({ sinks: [{ name: 'down', accepted: 12, delivered: 0, dropped: 12, queued: 0, failures: 2 }] });
  });

  it('close() with a destination that hangs resolves at its timeout, counting what it could not deliver', async () => {
    const sent = deferred();
    const sink = createBatchingSink({ name: 'stuck', send: () => (sent.resolve(), hang()), maxBatchSize: 1, sendTimeoutMs: 60_000, onDrop: () => undefined });
    const { gateway, call } = gatewayWith([sink]);
    await call();
    await sent.promise;
    for (let i = 0; i < 5; i++) await call();
    // The batch out when close() gave up was aborted: one failed try, its event dropped with the 17 still queued.
    expect(await gateway.close({ timeoutMs: 10 })).toEqual({ sinks: [{ name: 'stuck', accepted: 18, delivered: 0, dropped: 18, queued: 0, failures: 1 }] });
  });

  it('an overflowing queue is counted exactly and told to onDrop, one call per event refused', async () => {
    const gate = deferred();
    const drops: number[] = [];
    const sink = createBatchingSink({ name: 'small', send: () => gate.promise, maxQueue: 4, flushIntervalMs: 60_000, onDrop: (count) => void drops.push(count) });
    const { gateway, call } = gatewayWith([sink]);
    for (let i = 0; i < 3; i++) await call();
    await eventsDelivered();
    expect(sink.stats()).toEqual({ accepted: 4, delivered: 0, dropped: 5, queued: 4, failures: 0 });
    expect(drops).toEqual([1, 1, 1, 1, 1]);
    gate.resolve();
    expect(await gateway.close()).toEqual({ sinks: [{ name: 'small', accepted: 4, delivered: 4, dropped: 5, queued: 0, failures: 0 }] });
  });

  it('without onDrop, an overflow is a process warning naming the sink, not one per event', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const sink = createBatchingSink({ name: 'tiny', send: hang, maxQueue: 2, flushIntervalMs: 60_000, sendTimeoutMs: 60_000 });
    const { gateway, call } = gatewayWith([sink]);
    for (let i = 0; i < 5; i++) await call();
    await eventsDelivered();
    expect(sink.stats().dropped).toBe(13);
    const drops = () => warn.mock.calls.filter(([, options]) => (options as { code?: string } | undefined)?.code === 'SWITCHYARD_EVENTS_DROPPED').map(([message]) => String(message));
    expect(drops()).toEqual([expect.stringMatching(/^The Switchyard event sink 'tiny' dropped 1 event \(1 in all\)/)]);
    const report = await gateway.close({ timeoutMs: 1 });
    expect(report.sinks).toEqual([{ name: 'tiny', accepted: 2, delivered: 0, dropped: 15, queued: 0, failures: 1 }]);
    // close() tells the rest at once: the 12 refused since, and the 2 given up at close.
    expect(drops()).toEqual([expect.stringContaining("'tiny' dropped 1 event (1 in all)"), expect.stringContaining("'tiny' dropped 14 events (15 in all)")]);
  });

  it('a failed batch that succeeds on its retry is delivered once', async () => {
    const destination = keepingDestination();
    let tries = 0;
    const sink = createBatchingSink({ send: async (batch) => (++tries === 1 ? Promise.reject(new Error('503')) : destination.send(batch)), retry: quickRetry, flushIntervalMs: 60_000 });
    const { gateway, emitted, call } = gatewayWith([sink]);
    for (let i = 0; i < 3; i++) await call();
    const report = await gateway.close();
    expect(report.sinks[0]).toEqual({ name: 'batch', accepted: 9, delivered: 9, dropped: 0, queued: 0, failures: 1 });
    expect(destination.delivered).toEqual(emitted.map((event) => ({ v: 1, ...event })));
  });

  it('a send that hangs past sendTimeoutMs is aborted and retried', async () => {
    const destination = keepingDestination();
    const signals: AbortSignal[] = [];
    const sink = createBatchingSink({
      send: (batch, { signal }) => {
        signals.push(signal);
        return signals.length === 1 ? hang() : destination.send(batch);
      },
      sendTimeoutMs: 10,
      retry: quickRetry,
      flushIntervalMs: 60_000,
    });
    const { gateway, call } = gatewayWith([sink]);
    await call();
    const report = await gateway.close();
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
    expect(report.sinks[0]).toMatchObject({ accepted: 3, delivered: 3, dropped: 0, failures: 1 });
    expect(destination.delivered.map((record) => record.type)).toEqual(EVENTS_PER_CALL);
  });

  it('takes only its types: a request.end sink gets one event per call', async () => {
    const destination = keepingDestination();
    const sink = createBatchingSink({ send: destination.send, types: ['request.end'] });
    const { gateway, call } = gatewayWith([sink], { listen: false });
    const ids = [await call(), await call()];
    const report = await gateway.close();
    expect(report.sinks[0]).toMatchObject({ accepted: 2, delivered: 2, dropped: 0 });
    expect(destination.delivered.map((record) => [record.type, record.requestId])).toEqual(ids.map((id) => ['request.end', id]));
  });

  it('after close(), nothing more is delivered: the events of a later call are counted as dropped, never silently lost', async () => {
    const destination = keepingDestination();
    const sink = createBatchingSink({ send: destination.send, onDrop: () => undefined });
    const { gateway, call } = gatewayWith([sink]);
    await call();
    const report = await gateway.close();
    expect(report.sinks[0]).toMatchObject({ accepted: 3, delivered: 3, dropped: 0 });
    await call();
    await eventsDelivered();
    expect(destination.delivered).toHaveLength(3);
    expect(sink.stats()).toMatchObject({ accepted: 3, delivered: 3, dropped: 3 });
    // A second close() reports the sinks again, from their own stats, and nothing twice.
    expect((await gateway.close()).sinks).toEqual([]);
  });

  it('a sink whose close() fails is reported to onEventError as a sink, with its last stats kept', async () => {
    const failures: Array<{ error: unknown; source: unknown }> = [];
    const sink: EventSink = {
      name: 'broken',
      write: () => undefined,
      flush: async () => undefined,
      close: async () => Promise.reject(new Error('disk gone')),
      stats: () => ({ accepted: 1, delivered: 0, dropped: 0, queued: 1, failures: 0 }),
    };
    const gateway = createGateway({ providers: { main: scriptedAdapter({ chat: () => completionOf('ok') }) }, sinks: [sink], onEventError: (error, source) => void failures.push({ error, source }) });
    const report = await gateway.close();
    expect(report.sinks).toEqual([{ name: 'broken', accepted: 1, delivered: 0, dropped: 0, queued: 1, failures: 0 }]);
    expect(failures).toMatchObject([{ source: { type: 'sink', requestId: '', sink: 'broken' } }]);
  });
});
