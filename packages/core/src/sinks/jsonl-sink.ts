// A sink that appends one JSON line per event to a file: a batch is one append, one at a time, so lines never interleave or tear within a process.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BatchingSink, type BatchingSinkOptions } from './batching-sink.js';
import type { EventSink } from './event-sink.js';

/** The batching sink's options but `send` (the file is the destination) and `concurrency` (one append at a time keeps lines whole). */
export interface JsonlSinkOptions extends Omit<BatchingSinkOptions, 'send' | 'name' | 'concurrency'> {
  /** The file to append to; it and its folder are made when the first batch is written. */
  path: string;
  /** For warnings and `close()`'s report (default `'jsonl:<path>'`). */
  name?: string | undefined;
}

/** Appends each event as one line of JSON (`{"v":1,"type":...}`) to `path` (docs/events.md#sinks). */
export function createJsonlSink(options: JsonlSinkOptions): EventSink {
  const { path, name, ...batching } = options;
  if (typeof path !== 'string' || path.length === 0) throw new TypeError('createJsonlSink: path must be a file path.');
  let handle: Promise<FileHandle> | undefined;
  const file = () =>
    (handle ??= mkdir(dirname(path), { recursive: true })
      .then(() => open(path, 'a'))
      .catch((error: unknown) => {
        // Opening failed (a permission, a full disk): the next try opens again.
        handle = undefined;
        throw error;
      }));
  // An append that failed may have written part of its text: the next one starts on a new line, so a cut line stands alone.
  let mayBeCut = false;
  // The appends, one after another: a try the batching sink gave up on (its timeout) may still be writing, and the retry must not write beside it.
  let appending: Promise<void> = Promise.resolve();
  const append = async (text: string, signal: AbortSignal) => {
    signal.throwIfAborted();
    const opened = await file();
    try {
      await opened.appendFile((mayBeCut ? '\n' : '') + text, { encoding: 'utf8', signal });
      mayBeCut = false;
    } catch (error) {
      mayBeCut = true;
      throw error;
    }
  };
  return new BatchingSink(
    {
      ...batching,
      name: name ?? `jsonl:${path}`,
      concurrency: 1,
      send: (batch, { signal }) => {
        const text = batch.map((record) => JSON.stringify(record)).join('\n') + '\n';
        const done = appending.then(() => append(text, signal));
        appending = done.catch(() => undefined);
        return done;
      },
    },
    async () => {
      await appending;
      const opened = handle;
      handle = undefined;
      if (opened) await (await opened.catch(() => undefined))?.close();
    },
  );
}
