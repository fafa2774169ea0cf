// Tests of reading a file's last line from its end: torn tails cut away, long lines, big files read only at the end.
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repairAndReadTail, type TailHandle } from './audit-tail.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tailOf(content: string | Buffer) {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-tail-'));
  dirs.push(dir);
  const file = join(dir, 'log');
  await writeFile(file, content);
  const handle = await open(file, 'r+');
  try {
    const tail = await repairAndReadTail(handle);
    return { tail, size: (await handle.stat()).size };
  } finally {
    await handle.close();
  }
}

describe('repairAndReadTail', () => {
  it('finds the last complete line', async () => {
    expect(await tailOf('one\ntwo\n')).toEqual({ tail: { lastLine: 'two', size: 8, tornBytes: 0 }, size: 8 });
    expect(await tailOf('only\n')).toMatchObject({ tail: { lastLine: 'only', size: 5 } });
    expect(await tailOf('')).toMatchObject({ tail: { lastLine: undefined, size: 0, tornBytes: 0 } });
  });

  it('truncates a torn last line and returns the one before it', async () => {
    expect(await tailOf('one\ntwo\nthr')).toEqual({ tail: { lastLine: 'two', size: 8, tornBytes: 3 }, size: 8 });
    expect(await tailOf('torn only')).toEqual({ tail: { lastLine: undefined, size: 0, tornBytes: 9 }, size: 0 });
  });

  it('reads lines longer than its read chunk', async () => {
    const long = 'x'.repeat(200_000);
    expect((await tailOf(`a\n${long}\n${'y'.repeat(150_000)}`)).tail).toEqual({ lastLine: long, size: 200_003, tornBytes: 150_000 });
    expect((await tailOf(`${long}\n`)).tail.lastLine).toBe(long);
  });

  it('reads only the end of a large file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'switchyard-tail-'));
    dirs.push(dir);
    const file = join(dir, 'big');
    const line = `${'z'.repeat(99)}\n`;
    await writeFile(file, line.repeat(200_000)); // 20 MB
    const handle = await open(file, 'r');
    let bytesRead = 0;
    const counting: TailHandle = {
      stat: () => handle.stat(),
      truncate: (length) => handle.truncate(length),
      read: async (buffer, offset, length, position) => {
        const result = await handle.read(buffer, offset, length, position);
        bytesRead += result.bytesRead;
        return result;
      },
    };
    try {
      expect((await repairAndReadTail(counting)).lastLine).toBe('z'.repeat(99));
    } finally {
      await handle.close();
    }
    expect(bytesRead).toBeLessThanOrEqual(3 * 64 * 1024);
  });
});
