import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBatchingSink, createGateway, createJsonlSink, type EventRecord, type GatewayEvent } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';

const messages = [{ role: 'user' as const, content: 'hi' }];
const provider = () => scriptedAdapter({ chat: () => completionOf('ok') });

/** A promise the test settles. */
function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('sinks on a gateway', () => {
  it('a destination that never answers delays no call, and close() counts what it could not deliver', async () => {
    const sent = deferred();
    const sink = createBatchingSink({ name: 'stuck', send: () => (sent.resolve(), new Promise<void>(() => undefined)), maxBatchSize: 1, sendTimeoutMs: 60_000, onDrop: () => undefined });
    const gateway = createGateway({ providers: { main: provider() }, sinks: [sink] });
    await gateway.chat.completions.create({ model: 'main/m', messages });
    await sent.promise;
    // The destination holds the first batch; calls go on as if there were no sink.
    for (let i = 0; i < 5; i++) await gateway.chat.completions.create({ model: 'main/m', messages });
    const report = await gateway.close({ timeoutMs: 20 });
    // The batch out when close() gave up was aborted: one failed delivery, its event dropped with the 17 still queued.
    expect(report.sinks).toEqual([{ name: 'stuck', accepted: 18, delivered: 0, dropped: 18, queued: 0, failures: 1 }]);
  });

  it('a destination that always fails delays no call; its losses are counted after the retries', async () => {
    const sink = createBatchingSink({ name: 'down', send: () => Promise.reject(new Error('503')), retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 }, onDrop: () => undefined });
    const gateway = createGateway({ providers: { main: provider() }, sinks: [sink] });
    for (let i = 0; i < 4; i++) await gateway.chat.completions.create({ model: 'main/m', messages });
    const report = await gateway.close();
    expect(report.sinks[0]).toMatchObject({ accepted: 12, delivered: 0, dropped: 12, queued: 0 });
    expect(report.sinks[0]?.failures).toBeGreaterThanOrEqual(2);
  });

  it('close() delivers every queued event of a slow destination, in order', async () => {
    const delivered: EventRecord[] = [];
    const sink = createBatchingSink({
      send: async (batch) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        delivered.push(...batch);
      },
      maxBatchSize: 4,
      flushIntervalMs: 60_000,
    });
    const gateway = createGateway({ providers: { main: provider() }, sinks: [sink] });
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { meta } = await gateway.chat.completions.create({ model: 'main/m', messages }).withMeta();
      ids.push(meta.requestId);
    }
    const report = await gateway.close();
    expect(report.sinks[0]).toMatchObject({ accepted: 30, delivered: 30, dropped: 0 });
    expect(delivered.filter((record) => record.type === 'request.end').map((record) => record.requestId)).toEqual(ids);
    expect(delivered.every((record) => record.v === 1)).toBe(true);
  });

  it('an overflowing queue is counted and reported, never silent', async () => {
    const gate = deferred();
    const drops: number[] = [];
    const sink = createBatchingSink({ name: 'small', send: () => gate.promise, maxQueue: 4, flushIntervalMs: 60_000, onDrop: (count) => void drops.push(count) });
    const gateway = createGateway({ providers: { main: provider() }, sinks: [sink] });
    for (let i = 0; i < 3; i++) await gateway.chat.completions.create({ model: 'main/m', messages });
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.stats()).toMatchObject({ accepted: 4, dropped: 5, queued: 4 });
    expect(drops).toEqual([1, 1, 1, 1, 1]);
    gate.resolve();
    const report = await gateway.close();
    expect(report.sinks[0]).toMatchObject({ name: 'small', accepted: 4, delivered: 4, dropped: 5 });
  });

  it('a JSONL sink of request.end only writes one parsable line per call', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sy-sinks-'));
    try {
      const path = join(dir, 'usage.jsonl');
      const gateway = createGateway({ providers: { main: provider() }, sinks: [createJsonlSink({ path, types: ['request.end'] })] });
      for (let i = 0; i < 3; i++) await gateway.chat.completions.create({ model: 'main/m', messages }, { tags: [`t${i}`] });
      await gateway.close();
      const lines = (await readFile(path, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as GatewayEvent & { v: number });
      expect(lines.map((line) => [line.v, line.type, line.type === 'request.end' ? line.tags : undefined])).toEqual([
        [1, 'request.end', ['t0']],
        [1, 'request.end', ['t1']],
        [1, 'request.end', ['t2']],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
