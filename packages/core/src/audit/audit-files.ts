// Where a log's files are: its lock file, the names of its rotated files, and all its files in chain order.
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { AuditLogReadError } from './audit-errors.js';

/** Digits of the seq in a rotated file's name: every safe integer fits, so names sort as numbers do. */
const SEQ_DIGITS = 16;

/** The lock file one writer holds: `<path>.lock`. */
export function lockPathOf(path: string): string {
  return `${path}.lock`;
}

/** `audit.jsonl` -> `audit`, `.jsonl`: a rotated file's name is `<stem>.<seq>.<ext>`. */
function nameParts(path: string): { directory: string; stem: string; extension: string } {
  const file = basename(path);
  const extension = extname(file);
  return { directory: dirname(path), stem: file.slice(0, file.length - extension.length), extension };
}

/** The name a full active file is renamed to: its last line's seq, zero-padded (`audit.0000000000001234.jsonl`). */
export function rotatedPathOf(path: string, lastSeq: number): string {
  const { directory, stem, extension } = nameParts(path);
  return join(directory, `${stem}.${String(lastSeq).padStart(SEQ_DIGITS, '0')}${extension}`);
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The rotated files of the log whose active file is `path`, oldest first. */
export async function rotatedFiles(path: string): Promise<string[]> {
  const { directory, stem, extension } = nameParts(resolve(path));
  const pattern = new RegExp(`^${escaped(stem)}\\.\\d{${SEQ_DIGITS}}${escaped(extension)}$`);
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    throw new AuditLogReadError(directory, error);
  }
  // Equal-width numbers: sorting the names sorts the seqs.
  return names.filter((name) => pattern.test(name)).sort().map((name) => join(directory, name));
}

/**
 * Every file of the log whose active file is `path`, in chain order: the rotated files
 * oldest first, then the active file if it exists. Pass the list to `verifyAuditLog`.
 */
export async function auditLogFiles(path: string): Promise<string[]> {
  const active = resolve(path);
  const rotated = await rotatedFiles(active);
  try {
    await stat(active);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return rotated;
    throw new AuditLogReadError(active, error);
  }
  return [...rotated, active];
}
