// `switchyard report … | head`: the CLI as a child process whose stdout reader goes away early exits 0, quietly.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageRecords } from './usage-log-generator.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const bin = join(root, 'packages/cli/src/bin.ts');

let dir: string;
let log: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-epipe-'));
  log = join(dir, 'usage.jsonl');
  // 20 000 distinct principals kept with --top 20000: several MB of JSON, far more than a pipe buffers (64 KB).
  const lines = [...usageRecords({ requests: 20_000, days: 2, seed: 3 })].map((record) => {
    if (record.type === 'request.end') record.principal = { id: `user-${String(record.requestId)}` };
    return JSON.stringify(record);
  });
  await writeFile(log, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('switchyard report with stdout closed early', () => {
  it('exits 0 without a stack trace when the reader of stdout closes after the first chunk (EPIPE)', async () => {
    const child = spawn(tsx, [bin, 'report', log, '--json', '--top', '20000', '--no-progress'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let firstChunk = '';
    // Like `head -c`: read one chunk, then close the pipe's read end while the CLI is still writing.
    child.stdout.once('data', (chunk: Buffer) => {
      firstChunk = chunk.toString('utf8');
      child.stdout.destroy();
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.once('close', (exitCode, exitSignal) => done([exitCode, exitSignal])));
    expect(firstChunk.startsWith('{\n  "version": 1')).toBe(true);
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
  }, 60_000);
});
