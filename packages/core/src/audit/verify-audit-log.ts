// Checking an audit log: every line's MAC, the chain of `prev`s and seqs across its files, and an expected head.
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../errors/errors.js';
import { AuditLogReadError } from './audit-errors.js';
import { checkLine, GENESIS_MAC } from './audit-line.js';
import { auditKeySchema, configIssues, secretKeyOf } from './audit-options.js';

export interface VerifyAuditLogOptions {
  /** The key the log was written with. */
  key: string | Uint8Array;
  /** A head stored earlier (an ack, or `log.head`): the log must reach its seq with its MAC, or it was cut short or rewritten. */
  expectedHead?: { seq: number; mac: string } | undefined;
}

export type AuditBreak = 'mac' | 'chain' | 'sequence' | 'malformed' | 'truncated';

export interface AuditBrokenLine {
  file: string;
  /** 1-based, in that file. */
  line: number;
  /** The seq the line claims (for `truncated` by `expectedHead`: the first seq missing), when known. */
  seq?: number | undefined;
  /**
   * `mac`: the line's MAC does not match its bytes (altered, forged, or another key).
   * `chain`: its `prev` is not the previous line's MAC (lines removed, reordered or replaced), or it is not the line `expectedHead` names.
   * `sequence`: its seq is not the previous one's plus one.
   * `malformed`: not a line of this format (cut, joined, not JSON, not ASCII).
   * `truncated`: the file ends inside a line, or the log ends before `expectedHead`.
   */
  reason: AuditBreak;
}

export interface AuditVerification {
  ok: boolean;
  /** Lines verified before the first broken one (all of them when `ok`). */
  lines: number;
  /** The files checked, in the order given. */
  files: string[];
  /** The last verified line. */
  head?: { seq: number; mac: string; file: string } | undefined;
  /** Whether the first line is the log's very first (seq 1, `prev` of zeros); otherwise it was taken as the anchor. */
  fromGenesis: boolean;
  firstBroken?: AuditBrokenLine | undefined;
}

const verifyShape = {
  key: auditKeySchema,
  expectedHead: z
    .object({ seq: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), mac: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits') }, { error: 'must be { seq, mac }' })
    .optional(),
};
const verifyOptionsSchema = z.object(verifyShape).strict();
const PATHS_MESSAGE = "must be a file path or a non-empty list of them (auditLogFiles(path) lists a log's files, oldest first)";
const pathsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** Whether the file's last byte is a newline (or the file is empty): otherwise its last line is unfinished. */
async function endsWithNewline(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

/**
 * Streams the files in order (bounded memory: one line at a time) and names the first broken
 * line. The first line of the first file is the anchor: its `prev` cannot be checked (unless
 * it is the log's first line, seq 1). Each later file's first line must chain to the file before.
 */
export async function verifyAuditLog(pathOrPaths: string | readonly string[], options: VerifyAuditLogOptions): Promise<AuditVerification> {
  const issues: ConfigIssue[] = [];
  if (!pathsSchema.safeParse(pathOrPaths).success) issues.push({ path: 'paths', message: PATHS_MESSAGE });
  const parsed = verifyOptionsSchema.safeParse(options);
  if (!parsed.success) issues.push(...configIssues(parsed.error, 'options'));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);
  const key = secretKeyOf(parsed.data.key);
  const expected = parsed.data.expectedHead;
  const files = (typeof pathOrPaths === 'string' ? [pathOrPaths] : [...pathOrPaths]).map((file) => resolve(file));

  let previous: { seq: number; mac: string; file: string } | undefined;
  let fromGenesis = false;
  let lines = 0;
  let lastFileLines = 0;
  const result = (firstBroken?: AuditBrokenLine): AuditVerification => ({
    ok: firstBroken === undefined,
    lines,
    files,
    ...(previous === undefined ? {} : { head: previous }),
    fromGenesis,
    ...(firstBroken === undefined ? {} : { firstBroken }),
  });

  for (const file of files) {
    let complete: boolean;
    try {
      complete = await endsWithNewline(file);
    } catch (error) {
      throw new AuditLogReadError(file, error);
    }
    const stream = createReadStream(file, { encoding: 'utf8' });
    const reader = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    let lineNumber = 0;
    // A bad line is reported once the next one shows it was not the file's unfinished last line.
    let pending: AuditBrokenLine | undefined;
    try {
      for await (const text of reader) {
        if (pending) return result(pending);
        lineNumber += 1;
        const line = checkLine(key, text);
        const at = (reason: AuditBreak, seq: number | undefined): AuditBrokenLine => ({ file, line: lineNumber, seq, reason });
        if (!line.ok) {
          pending = at(line.reason, line.seq);
          continue;
        }
        if (previous) {
          if (line.seq !== previous.seq + 1) return result(at('sequence', line.seq));
          if (line.prev !== previous.mac) return result(at('chain', line.seq));
        } else {
          // The anchor: only the log's very first line can be checked against the start.
          fromGenesis = line.prev === GENESIS_MAC;
          if (fromGenesis !== (line.seq === 1)) return result(at(fromGenesis ? 'sequence' : 'chain', line.seq));
        }
        if (expected && line.seq === expected.seq && line.mac !== expected.mac) return result(at('chain', line.seq));
        previous = { seq: line.seq, mac: line.mac, file };
        lines += 1;
      }
    } catch (error) {
      throw new AuditLogReadError(file, error);
    } finally {
      reader.close();
      stream.destroy();
    }
    if (pending) return result(complete ? pending : { ...pending, reason: 'truncated' });
    if (!complete) return result({ file, line: lineNumber, seq: undefined, reason: 'truncated' });
    lastFileLines = lineNumber;
  }
  if (expected && (previous?.seq ?? 0) < expected.seq) {
    return result({ file: files.at(-1) as string, line: lastFileLines + 1, seq: (previous?.seq ?? 0) + 1, reason: 'truncated' });
  }
  return result();
}
