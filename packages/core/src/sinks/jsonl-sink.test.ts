import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../events/events.js';
import { createJsonlSink } from './jsonl-sink.js';

const event = (n: number): GatewayEvent => ({ type: 'request.start', requestId: `r${n}`, timestamp: n, operation: 'chat', route: 'm', stream: false, principal: { id: 'u"1' }, metadata: { note: 'a\nb' }, tags: [] });

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('the JSONL sink', () => {
  it('appends one line per event, made with its folder, and keeps what was there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sy-jsonl-'));
    dirs.push(dir);
    const path = join(dir, 'deep', 'usage.jsonl');
    const first = createJsonlSink({ path, maxBatchSize: 3 });
    for (let i = 0; i < 7; i++) first.write(event(i));
    expect(await first.close()).toMatchObject({ delivered: 7, dropped: 0 });
    const second = createJsonlSink({ path });
    second.write(event(7));
    await second.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    const records = lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => record.requestId)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
    expect(records[0]).toEqual({ v: 1, ...event(0) });
  });

  it('writes whole lines in order, however the events are batched', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sy-jsonl-'));
    dirs.push(dir);
    const path = join(dir, 'usage.jsonl');
    const sink = createJsonlSink({ path, maxBatchSize: 7, flushIntervalMs: 1 });
    for (let i = 0; i < 500; i++) sink.write(event(i));
    expect(await sink.close()).toEqual({ accepted: 500, delivered: 500, dropped: 0, queued: 0, failures: 0 });
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as { requestId: string }).requestId)).toEqual(Array.from({ length: 500 }, (_, i) => `r${i}`));
  });

  it('names itself by its path, and counts a folder it cannot make as dropped', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sy-jsonl-'));
    dirs.push(dir);
    const blocker = join(dir, 'file');
    const writer = createJsonlSink({ path: blocker });
    writer.write(event(0));
    await writer.close();
    // A path under a regular file cannot be made.
    const sink = createJsonlSink({ path: join(blocker, 'usage.jsonl'), retry: false, onDrop: () => undefined });
    expect(sink.name).toBe(`jsonl:${join(blocker, 'usage.jsonl')}`);
    expect(createJsonlSink({ path: blocker, name: 'usage' }).name).toBe('usage');
    sink.write(event(1));
    expect(await sink.close()).toMatchObject({ accepted: 1, delivered: 0, dropped: 1, failures: 1 });
  });
});
