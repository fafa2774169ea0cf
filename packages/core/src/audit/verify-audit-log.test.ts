// Tests of verification: any altered byte, a removed, reordered or forged line, another key, a cut tail, rotated files.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/errors.js';
import { AuditLogReadError } from './audit-errors.js';
import { auditLogFiles } from './audit-files.js';
import { checkLine, formatLine, serializeRecord } from './audit-line.js';
import { createAuditLog, type AuditHead } from './audit-log.js';
import { secretKeyOf } from './audit-options.js';
import { verifyAuditLog } from './verify-audit-log.js';

const key = 'verification-key-'.repeat(2);
let dir: string;
/** The bytes of a small log of four lines, and its head. */
let original: Buffer;
let head: AuditHead;
let originalLines: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-verify-'));
  const log = createAuditLog({ path: join(dir, 'source.jsonl'), key, now: () => Date.parse('2026-12-02T18:51:00.000Z') });
  for (const record of [{ event: 'request.end', model: 'gpt-4o' }, { n: 2 }, { text: 'é' }, {}]) await log.append(record);
  head = log.head as AuditHead;
  await log.close();
  original = await readFile(join(dir, 'source.jsonl'));
  originalLines = original.toString('latin1').split('\n').slice(0, -1);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let fileNumber = 0;
async function fileOf(content: Buffer | string): Promise<string> {
  const file = join(dir, `case-${fileNumber++}.jsonl`);
  await writeFile(file, content);
  return file;
}
const linesFile = (lines: string[]) => fileOf(lines.map((line) => `${line}\n`).join(''));

describe('verifyAuditLog', () => {
  it('accepts the untouched log', async () => {
    expect(await verifyAuditLog(await fileOf(original), { key, expectedHead: head })).toMatchObject({ ok: true, lines: 4, fromGenesis: true, head: { seq: 4, mac: head.mac } });
  });

  it('names exactly the altered line for a change of any bit pattern at every byte, and never says ok', async () => {
    // The 1-based line each byte belongs to (a newline belongs to the line it ends).
    const lineAt: number[] = [];
    for (let i = 0, line = 1; i < original.length; i++) {
      lineAt.push(line);
      if (original[i] === 0x0a) line += 1;
    }
    const file = join(dir, 'flipped.jsonl');
    for (let position = 0; position < original.length; position++) {
      for (const mask of [0x01, 0x20, 0x80]) {
        const tampered = Buffer.from(original);
        tampered[position] = (tampered[position] as number) ^ mask;
        await writeFile(file, tampered);
        const result = await verifyAuditLog(file, { key });
        if (result.ok || result.firstBroken?.line !== lineAt[position]) {
          throw new Error(`byte ${position} ^ ${mask}: expected line ${lineAt[position]} broken, got ${JSON.stringify(result)}`);
        }
      }
    }
  }, 60_000);

  it('detects a removed line, two lines swapped, and a forged line inserted, at the right line', async () => {
    const [l1, l2, l3, l4] = originalLines as [string, string, string, string];
    expect((await verifyAuditLog(await linesFile([l1, l3, l4]), { key })).firstBroken).toEqual({ file: expect.any(String), line: 2, seq: 3, reason: 'sequence' });
    expect((await verifyAuditLog(await linesFile([l1, l3, l2, l4]), { key })).firstBroken).toMatchObject({ line: 2, seq: 3, reason: 'sequence' });
    // A forger without the key: right seq and prev, a MAC made with another key.
    const previous = checkLine(secretKeyOf(key), l2);
    if (!previous.ok) throw new Error('line 2 should verify');
    const forged = formatLine(secretKeyOf('forger-'.repeat(5)), previous, '2026-12-02T18:52:00.000Z', serializeRecord({ event: 'forged' })).text.slice(0, -1);
    expect((await verifyAuditLog(await linesFile([l1, l2, forged, l3, l4]), { key })).firstBroken).toMatchObject({ line: 3, seq: 3, reason: 'mac' });
    // The same line with the seqs after it renumbered cannot help: their MACs break.
    const replaced = await linesFile([l1, l2, forged, l4]);
    expect((await verifyAuditLog(replaced, { key })).firstBroken).toMatchObject({ line: 3, reason: 'mac' });
  });

  it('fails a log rewritten and re-chained with another key at its first line', async () => {
    const otherKey = secretKeyOf('someone-elses-key-'.repeat(2));
    let previous = { seq: 0, mac: '0'.repeat(64) };
    const rewritten = originalLines.map((text) => {
      const line = formatLine(otherKey, previous, '2026-12-02T18:51:00.000Z', serializeRecord({ rewritten: text.length }));
      previous = { seq: previous.seq + 1, mac: line.mac };
      return line.text;
    });
    expect((await verifyAuditLog(await fileOf(rewritten.join('')), { key })).firstBroken).toMatchObject({ line: 1, seq: 1, reason: 'mac' });
  });

  it('detects a cut tail only against an expected head, and a torn last line always', async () => {
    const cut = await linesFile(originalLines.slice(0, 3));
    expect(await verifyAuditLog(cut, { key })).toMatchObject({ ok: true, lines: 3 });
    expect((await verifyAuditLog(cut, { key, expectedHead: head })).firstBroken).toEqual({ file: cut, line: 4, seq: 4, reason: 'truncated' });
    const torn = await fileOf(original.subarray(0, original.length - 30));
    expect((await verifyAuditLog(torn, { key })).firstBroken).toMatchObject({ line: 4, reason: 'truncated' });
    const noNewline = await fileOf(original.subarray(0, original.length - 1));
    expect((await verifyAuditLog(noNewline, { key })).firstBroken).toMatchObject({ line: 4, seq: undefined, reason: 'truncated' });
  });

  it('detects a log rewritten up to the expected head', async () => {
    const [l1, l2, l3] = originalLines as [string, string, string];
    const result = await verifyAuditLog(await linesFile([l1, l2, l3]), { key, expectedHead: { seq: 3, mac: head.mac } });
    expect(result.firstBroken).toMatchObject({ line: 3, seq: 3, reason: 'chain' });
  });

  it('takes the first line of a file that does not start the log as the anchor, and checks the rest against it', async () => {
    const [, l2, l3, l4] = originalLines as [string, string, string, string];
    expect(await verifyAuditLog(await linesFile([l2, l3, l4]), { key })).toMatchObject({ ok: true, lines: 3, fromGenesis: false });
    // A line claiming to be the first, chained to something, is not the anchor it claims.
    expect((await verifyAuditLog(await linesFile([l3, l2]), { key })).firstBroken).toMatchObject({ line: 2, reason: 'sequence' });
  });

  it('chains across files in the order given, and names the file and line of a break', async () => {
    const [l1, l2, l3, l4] = originalLines as [string, string, string, string];
    const first = await linesFile([l1, l2]);
    const second = await linesFile([l3, l4]);
    expect(await verifyAuditLog([first, second], { key })).toMatchObject({ ok: true, lines: 4, files: [first, second] });
    expect((await verifyAuditLog([second, first], { key })).firstBroken).toEqual({ file: first, line: 1, seq: 1, reason: 'sequence' });
    const missingMiddle = [await linesFile([l1]), await linesFile([l3, l4])];
    expect((await verifyAuditLog(missingMiddle, { key })).firstBroken).toMatchObject({ file: missingMiddle[1], line: 1, reason: 'sequence' });
  });

  it('finds the rotated files of a log in order with auditLogFiles', async () => {
    const path = join(dir, 'rotating', 'audit.jsonl');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(join(dir, 'rotating'));
    const log = createAuditLog({ path, key, rotate: { maxBytes: 300 } });
    for (let i = 0; i < 12; i++) await log.append({ i, padding: 'x'.repeat(50) });
    await log.close();
    await writeFile(join(dir, 'rotating', 'other.0000000000000001.jsonl'), 'not this log\n');
    const files = await auditLogFiles(path);
    expect(files.at(-1)).toBe(path);
    expect(files.every((file) => /audit\.(\d{16}\.)?jsonl$/.test(file))).toBe(true);
    expect(await verifyAuditLog(files, { key, expectedHead: log.head })).toMatchObject({ ok: true, lines: 12 });
    // A single rotated file alone verifies, as its own anchor.
    expect(await verifyAuditLog(files[1] as string, { key })).toMatchObject({ ok: true, fromGenesis: false });
  });

  it('throws a ConfigError for bad options, without printing the key, and a read error for a missing file', async () => {
    const error = await verifyAuditLog([], { key: 'too-short-secret' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['paths', 'options.key']);
    expect((error as ConfigError).message).not.toContain('too-short-secret');
    await expect(verifyAuditLog(join(dir, 'missing.jsonl'), { key })).rejects.toBeInstanceOf(AuditLogReadError);
  });
});
