// Tests of the writer: acks after the sync, group commit, reopening, rotation by size and day, crashes mid-rotation, failures.
import { mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLogClosedError, AuditLogCorruptError, AuditLogLockedError, AuditLogWriteError, AuditRecordError } from './audit-errors.js';
import { auditLogFiles } from './audit-files.js';
import { nodeAuditIo, type AuditIo } from './audit-io.js';
import { GENESIS_MAC } from './audit-line.js';
import { createAuditLog, createAuditLogWithIo, type AuditLog } from './audit-log.js';
import type { AuditLogOptions, AuditWarning } from './audit-options.js';
import { verifyAuditLog } from './verify-audit-log.js';

const key = 'test-key-'.repeat(4);
const dirs: string[] = [];
const logs: AuditLog[] = [];
afterEach(async () => {
  for (const log of logs.splice(0)) await log.close().catch(() => undefined);
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function logPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-audit-'));
  dirs.push(dir);
  return join(dir, 'audit.jsonl');
}

const opened = (log: AuditLog) => (logs.push(log), log);
const auditLog = (options: Omit<AuditLogOptions, 'key'> & { key?: string }) => opened(createAuditLog({ key, ...options }));

/** An fs layer that counts calls and can be told to fail or hold them. */
function instrumentedIo() {
  const counts = { write: 0, datasync: 0, syncDirectory: 0 };
  const control: { failWrite?: Error | undefined; holdSync?: Promise<void> | undefined; onSync?: (() => void) | undefined } = {};
  const io: AuditIo = {
    write: async (handle, data) => {
      counts.write += 1;
      if (control.failWrite) throw control.failWrite;
      await nodeAuditIo.write(handle, data);
    },
    datasync: async (handle) => {
      counts.datasync += 1;
      control.onSync?.();
      await control.holdSync;
      await nodeAuditIo.datasync(handle);
    },
    syncDirectory: async (directory) => {
      counts.syncDirectory += 1;
      await nodeAuditIo.syncDirectory(directory);
    },
  };
  return { io, counts, control };
}

const lineSeqs = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { seq: number }).seq);
const verifyAll = async (path: string) => verifyAuditLog(await auditLogFiles(path), { key });

describe('createAuditLog', () => {
  it('appends one chained line per record and acknowledges each with its seq, mac and file', async () => {
    const path = await logPath();
    const log = auditLog({ path });
    const first = await log.append({ event: 'request.end', model: 'gpt' });
    const second = await log.append({ event: 'request.end', model: 'claude' });
    expect(first).toMatchObject({ seq: 1, file: path });
    expect(second.seq).toBe(2);
    expect(log.head).toEqual(second);
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ seq: 1, prev: GENESIS_MAC, event: 'request.end', model: 'gpt', mac: first.mac });
    expect(JSON.parse(lines[1] as string)).toMatchObject({ seq: 2, prev: first.mac, mac: second.mac });
    expect(await verifyAuditLog(path, { key })).toMatchObject({ ok: true, lines: 2, fromGenesis: true });
  });

  it('acknowledges a line only after its fdatasync (sync: always)', async () => {
    const path = await logPath();
    const { io, control } = instrumentedIo();
    let release!: () => void;
    control.holdSync = new Promise<void>((resolve) => (release = resolve));
    const syncing = new Promise<void>((resolve) => (control.onSync = resolve));
    const log = opened(createAuditLogWithIo({ path, key }, io));
    let acknowledged = false;
    const append = log.append({ a: 1 }).then((ack) => ((acknowledged = true), ack));
    await syncing;
    // The line is written, its sync has not returned: no ack yet.
    expect(await lineSeqs(path)).toEqual([1]);
    expect(acknowledged).toBe(false);
    release();
    expect((await append).seq).toBe(1);
  });

  it('group-commits: concurrent appends share writes and syncs, and keep their order', async () => {
    const path = await logPath();
    const { io, counts } = instrumentedIo();
    const log = opened(createAuditLogWithIo({ path, key }, io));
    const acks = await Promise.all(Array.from({ length: 64 }, (_, i) => log.append({ i })));
    expect(acks.map((ack) => ack.seq)).toEqual(Array.from({ length: 64 }, (_, i) => i + 1));
    // The first append goes alone; the other 63 arrive while it syncs and go in one batch.
    expect(counts.datasync).toBeLessThanOrEqual(3);
    expect(counts.write).toBe(counts.datasync);
    const records = (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { seq: number; i: number });
    expect(records.every((record) => record.i === record.seq - 1)).toBe(true);
    expect(await verifyAuditLog(path, { key })).toMatchObject({ ok: true, lines: 64 });
  });

  it("syncs the directory before acknowledging a new file's first line", async () => {
    const path = await logPath();
    const { io, counts } = instrumentedIo();
    const log = opened(createAuditLogWithIo({ path, key }, io));
    await log.append({ a: 1 });
    expect(counts.syncDirectory).toBe(1);
    await log.append({ a: 2 });
    expect(counts.syncDirectory).toBe(1);
  });

  it("with sync: 'none', acknowledges after write() without syncing, and syncs once on close", async () => {
    const path = await logPath();
    const { io, counts } = instrumentedIo();
    const log = opened(createAuditLogWithIo({ path, key, sync: 'none' }, io));
    await Promise.all(Array.from({ length: 10 }, (_, i) => log.append({ i })));
    expect(counts).toMatchObject({ datasync: 0, syncDirectory: 0 });
    await log.close();
    expect(counts.datasync).toBe(1);
    expect(await verifyAuditLog(path, { key })).toMatchObject({ ok: true, lines: 10 });
  });

  it('continues the chain after close and reopen', async () => {
    const path = await logPath();
    const first = auditLog({ path });
    await first.append({ run: 1 });
    const last = await first.append({ run: 1 });
    await first.close();
    const second = auditLog({ path });
    expect(await second.open()).toEqual({ seq: 2, mac: last.mac, file: path });
    expect((await second.append({ run: 2 })).seq).toBe(3);
    await second.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(JSON.parse(lines[2] as string)).toMatchObject({ seq: 3, prev: last.mac });
    expect(await verifyAuditLog(path, { key })).toMatchObject({ ok: true, lines: 3 });
  });

  it('refuses to continue a log whose last line does not verify with its key', async () => {
    const path = await logPath();
    const log = auditLog({ path });
    await log.append({ a: 1 });
    await log.close();
    const other = auditLog({ path, key: 'another-key-'.repeat(3) });
    await expect(other.append({ a: 2 })).rejects.toBeInstanceOf(AuditLogCorruptError);
    await expect(other.open()).rejects.toThrow('does not verify with this key');
    expect(await lineSeqs(path)).toEqual([1]);
  });

  it('cuts away a torn last line on open, reports it, and chains to the last complete line', async () => {
    const path = await logPath();
    const log = auditLog({ path });
    const ack = await log.append({ a: 1 });
    await log.close();
    await writeFile(path, '{"seq":2,"time":"2026-', { flag: 'a' });
    const warnings: AuditWarning[] = [];
    const reopened = auditLog({ path, onWarning: (warning) => warnings.push(warning) });
    expect((await reopened.append({ a: 2 })).seq).toBe(2);
    expect(warnings).toEqual([{ code: 'torn_tail_truncated', file: path, bytes: 22, message: expect.stringContaining('never acknowledged') }]);
    await reopened.close();
    expect(JSON.parse((await readFile(path, 'utf8')).split('\n')[1] as string)).toMatchObject({ seq: 2, prev: ack.mac });
    expect(await verifyAuditLog(path, { key })).toMatchObject({ ok: true, lines: 2 });
  });

  it('holds the lock while open: a second writer fails until the first closes', async () => {
    const path = await logPath();
    const first = auditLog({ path });
    await first.append({ a: 1 });
    const second = auditLog({ path });
    await expect(second.append({ a: 2 })).rejects.toBeInstanceOf(AuditLogLockedError);
    await first.close();
    expect((await second.append({ a: 2 })).seq).toBe(2);
  });

  it('rejects appends after close, and records with reserved fields, without breaking the log', async () => {
    const path = await logPath();
    const log = auditLog({ path });
    await expect(log.append({ seq: 99 })).rejects.toBeInstanceOf(AuditRecordError);
    expect((await log.append({ ok: true })).seq).toBe(1);
    await log.close();
    await log.close();
    await expect(log.append({ a: 1 })).rejects.toBeInstanceOf(AuditLogClosedError);
    await expect(log.open()).rejects.toBeInstanceOf(AuditLogClosedError);
  });

  it('rejects the pending appends when a write fails, and every later one; a new log continues the chain', async () => {
    const path = await logPath();
    const { io, control } = instrumentedIo();
    const log = opened(createAuditLogWithIo({ path, key }, io));
    const kept = await log.append({ a: 1 });
    control.failWrite = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const failed = await Promise.allSettled([log.append({ a: 2 }), log.append({ a: 3 })]);
    for (const outcome of failed) {
      expect(outcome.status).toBe('rejected');
      expect(outcome.status === 'rejected' && outcome.reason).toBeInstanceOf(AuditLogWriteError);
    }
    expect(failed[0]?.status === 'rejected' && (failed[0].reason as Error).message).toContain('ENOSPC');
    control.failWrite = undefined;
    await expect(log.append({ a: 4 })).rejects.toMatchObject({ reason: 'write_failed' });
    await expect(log.flush()).rejects.toBeInstanceOf(AuditLogWriteError);
    expect(log.head).toEqual(kept);
    await log.close();
    const next = auditLog({ path });
    expect((await next.append({ a: 5 })).seq).toBe(2);
    await next.close();
    expect(await verifyAuditLog(path, { key })).toMatchObject({ ok: true, lines: 2 });
  });

  it('flush resolves once every append so far has been answered', async () => {
    const path = await logPath();
    const log = auditLog({ path, sync: 'none' });
    const appends = Array.from({ length: 20 }, (_, i) => log.append({ i }));
    await log.flush();
    expect(await lineSeqs(path)).toHaveLength(20);
    expect((await Promise.all(appends)).at(-1)?.seq).toBe(20);
  });
});

describe('rotation', () => {
  it('rotates by size into files that sort in order, and the chain runs through them', async () => {
    const path = await logPath();
    const log = auditLog({ path, rotate: { maxBytes: 1000 } });
    for (let i = 0; i < 30; i++) await log.append({ i, padding: 'p'.repeat(100) });
    await Promise.all(Array.from({ length: 30 }, (_, i) => log.append({ i: 30 + i, padding: 'p'.repeat(100) })));
    await log.close();
    const files = await auditLogFiles(path);
    expect(files.length).toBeGreaterThan(10);
    expect(files.at(-1)).toBe(path);
    for (const file of files) expect((await readFile(file)).byteLength).toBeLessThanOrEqual(1000);
    expect(files[0]).toMatch(/audit\.\d{16}\.jsonl$/);
    const result = await verifyAuditLog(files, { key });
    expect(result).toMatchObject({ ok: true, lines: 60, head: { seq: 60 } });
    // Each rotated file is named by its last seq.
    for (const file of files.slice(0, -1)) expect(Number(/\.(\d{16})\.jsonl$/.exec(file)?.[1])).toBe((await lineSeqs(file)).at(-1));
  });

  it('rotates when the UTC day of the record changes (fake clock), also after reopening', async () => {
    const path = await logPath();
    let now = Date.parse('2026-12-01T23:59:58.000Z');
    const log = auditLog({ path, rotate: { daily: true }, now: () => now });
    await log.append({ a: 1 });
    await log.append({ a: 2 });
    now = Date.parse('2026-12-02T00:00:01.000Z');
    await log.append({ a: 3 });
    await log.close();
    const dir = join(path, '..');
    expect((await readdir(dir)).sort()).toEqual(['audit.0000000000000002.jsonl', 'audit.jsonl']);
    // Same day after reopening: no rotation; the next day: rotation, from the last line's day.
    const again = auditLog({ path, rotate: { daily: true }, now: () => now });
    await again.append({ a: 4 });
    now = Date.parse('2026-12-03T08:00:00.000Z');
    await again.append({ a: 5 });
    await again.close();
    expect((await readdir(dir)).sort()).toEqual(['audit.0000000000000002.jsonl', 'audit.0000000000000004.jsonl', 'audit.jsonl']);
    expect(await lineSeqs(path)).toEqual([5]);
    expect(await verifyAll(path)).toMatchObject({ ok: true, lines: 5 });
  });

  it('splits one group-committed batch across a day boundary', async () => {
    const path = await logPath();
    let now = Date.parse('2026-12-01T23:59:59.000Z');
    const log = auditLog({ path, rotate: { daily: true }, now: () => now });
    const early = [log.append({ a: 1 }), log.append({ a: 2 })];
    now += 2000;
    const late = [log.append({ a: 3 })];
    await Promise.all([...early, ...late]);
    await log.close();
    expect(await lineSeqs(path)).toEqual([3]);
    expect(await verifyAll(path)).toMatchObject({ ok: true, lines: 3 });
  });

  /** A log of three lines rotated after the second, closed: `audit.0000000000000002.jsonl` and `audit.jsonl`. */
  async function rotatedLog(path: string) {
    const log = auditLog({ path, rotate: { maxBytes: 400 } });
    for (let i = 0; i < 3; i++) await log.append({ i, padding: 'p'.repeat(60) });
    await log.close();
    expect(await lineSeqs(path)).toEqual([3]);
  }

  it.each([
    ['after the rename, before the new file exists', undefined, []],
    ['after the new file was created, before its first line', '', []],
    ['while the first line of the new file was being written', '{"seq":4,"ti', [12]],
  ])('continues the chain after a crash mid-rotation: %s', async (_, activeContent, tornBytes) => {
    const path = await logPath();
    await rotatedLog(path);
    // Rotate the active file as the writer does, and stop there.
    await rename(path, join(path, '..', 'audit.0000000000000003.jsonl'));
    if (activeContent !== undefined) await writeFile(path, activeContent);
    const warnings: AuditWarning[] = [];
    const log = auditLog({ path, rotate: { maxBytes: 400 }, onWarning: (warning) => warnings.push(warning) });
    expect((await log.append({ after: 'crash' })).seq).toBe(4);
    await log.close();
    expect(await verifyAll(path)).toMatchObject({ ok: true, lines: 4, fromGenesis: true });
    expect(warnings.map((warning) => warning.bytes)).toEqual(tornBytes);
  });

  it('refuses to rotate over an existing rotated file', async () => {
    const path = await logPath();
    const first = auditLog({ path });
    await first.append({ padding: 'p'.repeat(60) });
    await first.close();
    const obstacle = join(path, '..', 'audit.0000000000000001.jsonl');
    await writeFile(obstacle, 'in the way\n');
    const log = auditLog({ path, rotate: { maxBytes: 200 } });
    await expect(log.append({ padding: 'p'.repeat(60) })).rejects.toBeInstanceOf(AuditLogCorruptError);
    expect(await readFile(obstacle, 'utf8')).toBe('in the way\n');
    expect(await lineSeqs(path)).toEqual([1]);
  });
});
