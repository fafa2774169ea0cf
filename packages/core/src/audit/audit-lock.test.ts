// Tests of the one-writer lock: a live holder refuses, a dead or garbled one is taken over, release removes it.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLogLockedError } from './audit-errors.js';
import { acquireAuditLock } from './audit-lock.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function lockPath(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-lock-'));
  dirs.push(dir);
  return join(dir, 'audit.jsonl.lock');
}

/** The pid of a process that has exited. */
const deadPid = (): number => {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not start a child process');
  return child.pid;
};

describe('acquireAuditLock', () => {
  it('writes our pid, refuses a second holder in this process, and is free again once released', async () => {
    const path = await lockPath();
    const lock = await acquireAuditLock('audit.jsonl', path);
    expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`);
    const refused = await acquireAuditLock('audit.jsonl', path).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuditLogLockedError);
    expect(refused).toMatchObject({ reason: 'locked', holderPid: process.pid, message: expect.stringContaining('another AuditLog in this process') });
    await lock.release();
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    await (await acquireAuditLock('audit.jsonl', path)).release();
  });

  it('refuses a lock held by another running process', async () => {
    const path = await lockPath();
    await writeFile(path, `${process.ppid}\n`);
    await expect(acquireAuditLock('audit.jsonl', path)).rejects.toMatchObject({ name: 'AuditLogLockedError', holderPid: process.ppid });
    expect(await readFile(path, 'utf8')).toBe(`${process.ppid}\n`);
  });

  it('takes over a lock whose process is gone, one with garbage in it, and one left by an earlier process with our pid', async () => {
    for (const content of [`${deadPid()}\n`, 'not a pid', '', `${process.pid}\n`]) {
      const path = await lockPath();
      await writeFile(path, content);
      const lock = await acquireAuditLock('audit.jsonl', path);
      expect(await readFile(path, 'utf8')).toBe(`${process.pid}\n`);
      await lock.release();
    }
  });
});
