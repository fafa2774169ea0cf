// The progress bar: shown on a terminal with a known size, never with --no-progress, a pipe, or an unknown size.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { shouldShowProgress } from './progress.js';

/** A stream that says it is a terminal, collecting what is written. */
function fakeTerminal(): PassThrough & { isTTY: boolean; columns: number; text: () => string } {
  const chunks: string[] = [];
  const stream = Object.assign(new PassThrough(), { isTTY: true, columns: 120, text: () => chunks.join('') });
  stream.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
  return stream;
}

const line = JSON.stringify({ v: 1, type: 'request.end', requestId: 'r', timestamp: 1, route: 'x', outcome: 'success', latencyMs: 3, metadata: {}, tags: [] });

describe('progress bar', () => {
  it('is shown only on a terminal, with a known size, without --no-progress', () => {
    expect(shouldShowProgress({ noProgress: false, stderrIsTTY: true, totalBytes: 10 })).toBe(true);
    expect(shouldShowProgress({ noProgress: true, stderrIsTTY: true, totalBytes: 10 })).toBe(false);
    expect(shouldShowProgress({ noProgress: false, stderrIsTTY: false, totalBytes: 10 })).toBe(false);
    expect(shouldShowProgress({ noProgress: false, stderrIsTTY: true, totalBytes: null })).toBe(false);
  });

  it('draws bytes read of the total on a terminal stderr, and nothing with --no-progress', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-progress-'));
    try {
      const path = join(dir, 'usage.jsonl');
      await writeFile(path, `${Array.from({ length: 2000 }, () => line).join('\n')}\n`);
      const io = () => ({ stdin: Readable.from([]), stdout: new PassThrough().resume(), stderr: fakeTerminal(), version: '0' });
      const shown = io();
      expect(await runCli(['report', path], shown)).toBe(0);
      expect(shown.stderr.text()).toMatch(/reading \|.*\| \d+% \| [\d.]+\/0\.\d MB/);
      const hidden = io();
      expect(await runCli(['report', path, '--no-progress'], hidden)).toBe(0);
      expect(hidden.stderr.text()).not.toContain('reading |');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
