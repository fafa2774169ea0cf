// The last complete line of a log file, found by reading back from its end, and a torn last line cut away.
/** What of a file handle (`fs/promises` `FileHandle`) the tail reader uses. */
export interface TailHandle {
  stat(): Promise<{ size: number }>;
  read(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  truncate(length: number): Promise<void>;
}

/** How much is read at a time, walking back from the end. */
const CHUNK_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface LogTail {
  /** The last complete line, without its newline; undefined when the file has none. */
  lastLine: string | undefined;
  /** The file's size after the repair. */
  size: number;
  /** Bytes of an unfinished last line (no newline) cut away: never acknowledged, left by a crash mid-write. */
  tornBytes: number;
}

async function readFully(handle: TailHandle, into: Buffer, position: number): Promise<void> {
  for (let done = 0; done < into.byteLength; ) {
    const { bytesRead } = await handle.read(into, done, into.byteLength - done, position + done);
    if (bytesRead === 0) throw new Error(`the file ended at byte ${position + done} while its tail was read`);
    done += bytesRead;
  }
}

/** The offset of the last newline before `end`, or -1; reads at most back to it, in chunks. */
async function lastNewlineBefore(handle: TailHandle, end: number): Promise<number> {
  const chunk = Buffer.alloc(Math.min(CHUNK_BYTES, Math.max(end, 1)));
  for (let chunkEnd = end; chunkEnd > 0; ) {
    const start = Math.max(0, chunkEnd - chunk.byteLength);
    const view = chunk.subarray(0, chunkEnd - start);
    await readFully(handle, view, start);
    const found = view.lastIndexOf(NEWLINE);
    if (found >= 0) return start + found;
    chunkEnd = start;
  }
  return -1;
}

/** Reads the file's last complete line from the end (never the whole file), truncating a torn one first. */
export async function repairAndReadTail(handle: TailHandle): Promise<LogTail> {
  const { size } = await handle.stat();
  if (size === 0) return { lastLine: undefined, size: 0, tornBytes: 0 };
  const completeSize = (await lastNewlineBefore(handle, size)) + 1;
  const tornBytes = size - completeSize;
  if (tornBytes > 0) await handle.truncate(completeSize);
  if (completeSize === 0) return { lastLine: undefined, size: 0, tornBytes };
  const lineStart = (await lastNewlineBefore(handle, completeSize - 1)) + 1;
  const line = Buffer.alloc(completeSize - 1 - lineStart);
  await readFully(handle, line, lineStart);
  // latin1: one character per byte, so a byte that is not printable ASCII fails the line check instead of being decoded away.
  return { lastLine: line.toString('latin1'), size: completeSize, tornBytes };
}
