// The kill test: a writer SIGKILLed at different points loses no acknowledged line, and the log still verifies.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLogFiles, verifyAuditLog } from '../../packages/core/src/audit/index.js';

const root = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const script = fileURLToPath(new URL('./append-until-killed.ts', import.meta.url));
const key = 'kill-test-key-'.repeat(3);
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Runs the appending child until it has printed `acks` acknowledged seqs, SIGKILLs it, and returns every seq it printed. */
async function appendUntilKilled(path: string, acks: number): Promise<number[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, path, key], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((done) => child.on('close', (_code, signal) => done(signal)));
  const seqs: number[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    seqs.push(Number(line));
    if (seqs.length === acks) child.kill('SIGKILL');
  }
  const signal = await exited;
  if (signal !== 'SIGKILL') throw new Error(`the child ended by itself (${String(signal)}): ${stderr}`);
  return seqs;
}

const seqsIn = async (files: string[]) => {
  const seqs: number[] = [];
  for (const file of files) {
    for (const line of (await readFile(file, 'utf8')).split('\n')) if (line) seqs.push((JSON.parse(line) as { seq: number }).seq);
  }
  return seqs;
};

describe('audit log under SIGKILL', () => {
  it('keeps every acknowledged line through kills at different points, with rotation, and the chain verifies', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-kill-'));
    dirs.push(dir);
    const path = join(dir, 'audit.jsonl');
    const acknowledged: number[] = [];
    for (const acks of [200, 37, 311, 150]) {
      // Each run takes over the dead writer's lock and continues its chain.
      const seqs = await appendUntilKilled(path, acks);
      expect(seqs.length).toBeGreaterThanOrEqual(acks);
      if (acknowledged.length > 0) expect(Math.min(...seqs)).toBeGreaterThan(Math.max(...acknowledged));
      acknowledged.push(...seqs);
      const files = await auditLogFiles(path);
      const result = await verifyAuditLog(files, { key });
      expect(result).toMatchObject({ ok: true, fromGenesis: true });
      const written = new Set(await seqsIn(files));
      expect(acknowledged.filter((seq) => !written.has(seq))).toEqual([]);
      expect(written.size).toBe(result.lines);
    }
    expect((await auditLogFiles(path)).length).toBeGreaterThan(3);
  }, 120_000);
});
