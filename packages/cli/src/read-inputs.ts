// Streams the input files (or stdin) line by line through node:readline: one chunk in memory at a time, however big the file.
import { createReadStream, fstat, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** An input could not be opened or read: the report stops (exit code 1). */
export class InputReadError extends Error {
  override readonly name = 'InputReadError';
  constructor(
    readonly input: string,
    reason: string,
  ) {
    super(`could not read ${input === '-' ? 'stdin' : input}: ${reason}`);
  }
}

export interface InputSource {
  /** The path as given, or `-` for stdin. */
  readonly name: string;
  /** The size in bytes when known (a file, or stdin redirected from one); `null` for a pipe. */
  readonly bytes: number | null;
  readonly open: () => Readable;
}

export interface ReadCallbacks {
  beginInput(source: InputSource): void;
  line(text: string, lineNumber: number): void;
  /** Bytes read so far, over every input. */
  progress?(bytesRead: number): void;
}

/** Checks that each input exists and is a file, and learns its size (for the progress bar), before any is read. */
export async function resolveInputs(names: readonly string[], stdin: Readable & { fd?: number }): Promise<InputSource[]> {
  const list = names.length === 0 ? ['-'] : names;
  return Promise.all(
    list.map(async (name): Promise<InputSource> => {
      if (name === '-') return { name, bytes: await stdinSize(stdin), open: () => stdin };
      let info;
      try {
        info = await stat(name);
      } catch (error) {
        throw new InputReadError(name, reasonOf(error));
      }
      if (!info.isFile()) throw new InputReadError(name, 'not a file');
      return { name, bytes: info.size, open: () => createReadStream(name, { highWaterMark: 1 << 20 }) };
    }),
  );
}

async function stdinSize(stdin: Readable & { fd?: number }): Promise<number | null> {
  if (typeof stdin.fd !== 'number') return null;
  const fd = stdin.fd;
  try {
    const info = await new Promise<Stats>((resolve, reject) => fstat(fd, (error, stats) => (error ? reject(error) : resolve(stats))));
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

/** Reads every input in order, calling back for each line; rejects with `InputReadError` when a stream fails. */
export async function readInputs(sources: readonly InputSource[], callbacks: ReadCallbacks): Promise<void> {
  let bytesRead = 0;
  for (const source of sources) {
    callbacks.beginInput(source);
    const stream = source.open();
    stream.on('data', (chunk: Buffer | string) => {
      bytesRead += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
      callbacks.progress?.(bytesRead);
    });
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    let lineNumber = 0;
    await new Promise<void>((resolve, reject) => {
      const fail = (error: unknown) => {
        lines.close();
        reject(new InputReadError(source.name, reasonOf(error)));
      };
      // readline re-emits its input's errors on the interface: one handler for both.
      lines.once('error', fail);
      lines.on('line', (text) => {
        lineNumber += 1;
        callbacks.line(text, lineNumber);
      });
      lines.once('close', () => {
        if (stream.errored) fail(stream.errored);
        else resolve();
      });
    });
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code} (${error.message})` : error.message;
  }
  return 'unknown error';
}
