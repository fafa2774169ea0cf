import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createConsoleSink, createJsonlSink, toEventRecord, type GatewayEvent } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { EVENTS_PER_CALL, gatewayWith } from './helpers.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});
const tempFile = async (name: string) => {
  const dir = await mkdtemp(join(tmpdir(), 'sy-sinks-'));
  dirs.push(dir);
  return join(dir, 'logs', name);
};
const readLines = async (path: string) => {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
};

describe('the JSONL and console sinks on a gateway', () => {
  it('a JSONL sink writes one line per event, each the event as a listener got it, with v: 1', async () => {
    const path = await tempFile('events.jsonl');
    const { gateway, emitted, call } = gatewayWith([createJsonlSink({ path })]);
    const ids = [await call(), await call(), await call()];
    const report = await gateway.close();
    expect(report).toEqual({ sinks: [{ name: `jsonl:${path}`, accepted: 9, delivered: 9, dropped: 0, queued: 0, failures: 0 }] });
    const lines = await readLines(path);
    expect(lines.map((line) => [line.requestId, line.type])).toEqual(ids.flatMap((id) => EVENTS_PER_CALL.map((type) => [id, type])));
    expect(lines).toStrictEqual(emitted.map((event) => toEventRecord(event)));
    expect(lines).toEqual(emitted.map((event) => ({ v: 1, ...event })));
  });

  it('a JSONL sink of request.end only writes one line per call, with its tags and usage', async () => {
    const path = await tempFile('usage.jsonl');
    const { gateway, call } = gatewayWith([createJsonlSink({ path, types: ['request.end'] })], { listen: false });
    for (let i = 0; i < 3; i++) await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: 'hi' }] }, { tags: [`t${i}`] });
    await call();
    await gateway.close();
    const lines = (await readLines(path)) as unknown as Array<GatewayEvent & { v: number }>;
    expect(lines.map((line) => [line.v, line.type, line.type === 'request.end' ? line.tags : undefined])).toEqual([
      [1, 'request.end', ['t0']],
      [1, 'request.end', ['t1']],
      [1, 'request.end', ['t2']],
      [1, 'request.end', []],
    ]);
    expect(lines[0]).toMatchObject({ outcome: 'success', provider: 'main', model: 'm', totalUsage: { inputTokens: 3, outputTokens: 2 } });
  });

  it('a console sink prints a pretty line per event, and close() prints what is left', async () => {
    const chunks: string[] = [];
    const stream = new Writable({ write: (chunk: Buffer, _encoding, done) => (chunks.push(chunk.toString()), done()) });
    const { gateway, call } = gatewayWith([createConsoleSink({ stream, types: ['request.end'] })], { listen: false });
    const id = await call();
    const report = await gateway.close();
    expect(report.sinks).toEqual([{ name: 'console', accepted: 1, delivered: 1, dropped: 0, queued: 0, failures: 0 }]);
    expect(chunks.join('')).toMatch(new RegExp(`^request\\.end +${id.slice(0, 8)}  chat main/m  main/m  success  \\d+ ms  in=3 out=2  \\$\\?\n$`));
  });
});
