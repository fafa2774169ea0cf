import { describe, expect, it } from 'vitest';
import { ResponseTooLargeError } from './body-limits.js';
import { readEventStream, type EventStreamOptions, type EventTranslator } from './event-stream.js';
import type { ServerSentEvent } from './server-sent-events.js';

const encoder = new TextEncoder();

/** Data events as chunks; `end` is the end marker, `fin` says the answer is complete. */
class Translator implements EventTranslator<string> {
  complete = false;
  ended = false;
  push(event: ServerSentEvent): readonly string[] {
    if (event.data === 'end') this.ended = true;
    else if (event.data === 'fin') this.complete = true;
    else return [event.data];
    return [];
  }
}

class ReadFailed extends Error {}
class Truncated extends Error {}
const options: EventStreamOptions = { readError: () => new ReadFailed(), truncated: () => new Truncated(), source: { provider: 'p', model: 'm' } };

/** A body that hands out one piece per read, then ends, errors, or stays open (`hold`). */
function bodyOf(pieces: readonly string[], after: 'close' | 'hold' | 'error' = 'close') {
  let next = 0;
  const state = { cancelled: false, reads: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.reads++;
      const piece = pieces[next++];
      if (piece !== undefined) controller.enqueue(encoder.encode(piece));
      else if (after === 'close') controller.close();
      else if (after === 'error') controller.error(new Error('socket reset'));
      // 'hold': no data, no end, as a server that keeps the connection open.
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

async function collect(body: ReadableStream<Uint8Array>, extra: Partial<EventStreamOptions> = {}): Promise<{ chunks: string[]; error: unknown }> {
  const chunks: string[] = [];
  try {
    for await (const chunk of readEventStream(body, new Translator(), { ...options, ...extra })) chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

describe('readEventStream', () => {
  it('ends at the end marker when the server holds the connection open, and cancels the body', async () => {
    const { body, state } = bodyOf(['data: a\n\n', 'data: b\n\ndata: end\n\n'], 'hold');
    expect(await collect(body)).toEqual({ chunks: ['a', 'b'], error: undefined });
    expect(state.cancelled).toBe(true);
  });

  it('does not wait for more after the end marker, even with the marker alone in its read', async () => {
    const { body, state } = bodyOf(['data: a\n\n', 'data: end\n\n'], 'hold');
    expect(await collect(body)).toEqual({ chunks: ['a'], error: undefined });
    expect(state.cancelled).toBe(true);
  });

  it('reads a body that ends right after its marker to the end, so the connection can be reused', async () => {
    const { body, state } = bodyOf(['data: a\n\ndata: end\n\n']);
    expect(await collect(body)).toEqual({ chunks: ['a'], error: undefined });
    expect(state.cancelled).toBe(false);
  });

  it('ignores and cancels whatever follows the end marker', async () => {
    const { body, state } = bodyOf(['data: a\n\ndata: end\n\ndata: late\n\n', 'data: later\n\n', 'data: {broken\n\n']);
    expect(await collect(body)).toEqual({ chunks: ['a'], error: undefined });
    expect(state.cancelled).toBe(true);
  });

  it('accepts a body that ends after the answer is complete, without an end marker', async () => {
    const { body, state } = bodyOf(['data: a\n\ndata: fin\n\n']);
    expect(await collect(body)).toEqual({ chunks: ['a'], error: undefined });
    expect(state.cancelled).toBe(false);
  });

  it('throws the truncated error when the body ends before the answer is complete', async () => {
    const { body } = bodyOf(['data: a\n\n']);
    const { chunks, error } = await collect(body);
    expect(chunks).toEqual(['a']);
    expect(error).toBeInstanceOf(Truncated);
  });

  it('maps a failed read through readError', async () => {
    const { body } = bodyOf(['data: a\n\n'], 'error');
    expect((await collect(body)).error).toBeInstanceOf(ReadFailed);
  });

  it('cancels the body when the consumer stops early', async () => {
    const { body, state } = bodyOf(['data: a\n\n', 'data: b\n\n'], 'hold');
    for await (const chunk of readEventStream(body, new Translator(), options)) {
      expect(chunk).toBe('a');
      break;
    }
    expect(state.cancelled).toBe(true);
  });

  it('fails an event past maxEventBytes with the typed error, naming the source, and cancels the body', async () => {
    const { body, state } = bodyOf(['data: a\n\n', `data: ${'x'.repeat(600)}`, 'x'.repeat(600)], 'hold');
    const { chunks, error } = await collect(body, { maxEventBytes: 1000 });
    expect(chunks).toEqual(['a']);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ provider: 'p', model: 'm', providerCode: 'event_too_large', retryable: false });
    expect(state.cancelled).toBe(true);
  });
});
