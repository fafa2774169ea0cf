// One writer per log: the `<path>.lock` file holding the writer's pid, taken over when that process is gone.
import { link, readFile, unlink, writeFile } from 'node:fs/promises';
import { z } from 'zod';
import { AuditLogLockedError, AuditLogWriteError } from './audit-errors.js';

/** Lock files this process holds: a lock with our own pid that is not among them was left by an earlier process that had our pid. */
const heldHere = new Set<string>();

/** A lock file's content is untrusted: a pid and a newline, or garbage (treated as no holder). */
const lockContentSchema = z.string().regex(/^\d{1,10}\n$/).transform((text) => Number(text.trim()));

export interface AuditLock {
  release(): Promise<void>;
}

const errorCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException | undefined)?.code;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return errorCode(error) === 'EPERM';
  }
}

/** The pid the lock names, or undefined when the file is gone or holds no pid. */
async function holderOf(lockPath: string): Promise<number | undefined> {
  try {
    const parsed = lockContentSchema.safeParse(await readFile(lockPath, 'utf8'));
    return parsed.success ? parsed.data : undefined;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Takes the lock of `file`. The pid is written to a temporary file first and linked into
 * place (fails if the lock exists), so a lock file is never seen empty. A lock whose pid is
 * not running (or is ours, left by an earlier process with our pid) is stale: removed and
 * taken, once.
 */
export async function acquireAuditLock(file: string, lockPath: string): Promise<AuditLock> {
  const temporary = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    await writeFile(temporary, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    throw new AuditLogWriteError(file, `creating the lock file ${lockPath}`, error);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(temporary, lockPath);
        heldHere.add(lockPath);
        return { release: () => releaseLock(lockPath) };
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw new AuditLogWriteError(file, `creating the lock file ${lockPath}`, error);
      }
      const holder = await holderOf(lockPath);
      const stale = holder === undefined || !isRunning(holder) || (holder === process.pid && !heldHere.has(lockPath));
      if (!stale || attempt > 0) throw new AuditLogLockedError(file, lockPath, holder);
      await unlink(lockPath).catch((error: unknown) => {
        if (errorCode(error) !== 'ENOENT') throw new AuditLogWriteError(file, `removing the stale lock file ${lockPath}`, error);
      });
    }
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function releaseLock(lockPath: string): Promise<void> {
  heldHere.delete(lockPath);
  await unlink(lockPath).catch((error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  });
}
