// A sink that appends one JSON line per event to a file: batches of lines, one append each, from one writer, so lines never interleave or tear within a process.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BatchingSink, type BatchingSinkOptions } from './batching-sink.js';
import type { EventSink } from './event-sink.js';

export interface JsonlSinkOptions extends Omit<BatchingSinkOptions, 'send' | 'name'> {
  /** The file to append to; it and its folder are made when the first batch is written. */
  path: string;
}

/** Appends each event as one line of JSON (`{ "v": 1, "type": ..., ... }`) to `path` (docs/events.md#sinks). */
export function createJsonlSink(options: JsonlSinkOptions): EventSink {
  const { path, ...batching } = options;
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('createJsonlSink: path must be a file path.');
  let handle: Promise<FileHandle> | undefined;
  const file = () =>
    (handle ??= mkdir(dirname(path), { recursive: true })
      .then(() => open(path, 'a'))
      .catch((error: unknown) => {
        // Opening failed (a permission, a missing disk): the next batch tries again.
        handle = undefined;
        throw error;
      }));
  return new BatchingSink(
    {
      ...batching,
      name: `jsonl:${path}`,
      send: async (batch) => {
        const lines = batch.map((record) => JSON.stringify(record)).join('\n') + '\n';
        await (await file()).appendFile(lines, 'utf8');
      },
    },
    async () => {
      const opened = handle;
      handle = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  );
}
