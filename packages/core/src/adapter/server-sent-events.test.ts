import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_EVENT_BYTES, ResponseTooLargeError } from './body-limits.js';
import { ServerSentEventDecoder, readServerSentEvents, type ServerSentEvent } from './server-sent-events.js';

const bytes = (text: string) => new TextEncoder().encode(text);

function decodeAll(pieces: readonly string[]): ServerSentEvent[] {
  const decoder = new ServerSentEventDecoder();
  return pieces.flatMap((piece) => decoder.decode(bytes(piece)));
}

describe('ServerSentEventDecoder', () => {
  it('dispatches an event on a blank line, with its name', () => {
    expect(decodeAll(['event: ping\ndata: {"a":1}\n\ndata: two\n\n'])).toEqual([
      { event: 'ping', data: '{"a":1}' },
      { event: undefined, data: 'two' },
    ]);
  });

  it('joins multi-line data and ignores comments and unknown fields', () => {
    expect(decodeAll([': keep-alive\nid: 7\nretry: 10\ndata: a\ndata:b\n\n'])).toEqual([{ event: undefined, data: 'a\nb' }]);
  });

  it('accepts LF, CRLF and CR line ends, also split across reads', () => {
    const expected = [
      { event: undefined, data: 'x' },
      { event: undefined, data: 'y' },
      { event: undefined, data: 'z' },
    ];
    expect(decodeAll(['data: x\r\n\r\ndata: y\r\rdata: z\n\n'])).toEqual(expected);
    expect(decodeAll(['data: x\r', '\n\r', '\ndata: y\r', '\r', 'data: z\n', '\n'])).toEqual(expected);
  });

  it('decodes multi-byte characters split across reads', () => {
    const all = bytes('data: héllo 🚂\n\n');
    const decoder = new ServerSentEventDecoder();
    const events = [...decoder.decode(all.slice(0, 8)), ...decoder.decode(all.slice(8, 15)), ...decoder.decode(all.slice(15))];
    expect(events).toEqual([{ event: undefined, data: 'héllo 🚂' }]);
  });

  it('yields the same events wherever the body is split', () => {
    const text = 'event: a\ndata: 1\n\n: c\ndata: 2\r\ndata: 3\r\n\r\ndata: 4\r\r';
    const whole = decodeAll([text]);
    expect(whole).toHaveLength(3);
    for (let i = 0; i <= text.length; i++) {
      for (let j = i; j <= text.length; j += 3) {
        expect(decodeAll([text.slice(0, i), text.slice(i, j), text.slice(j)])).toEqual(whole);
      }
    }
  });

  it('yields the same events for long lines split anywhere, in any number of reads', () => {
    // Lines past the short-line path (1 KiB) are kept as a list of pieces: the same events must come out.
    const long = (n: number) => 'é🚂x'.repeat(n);
    fc.assert(
      fc.property(
        fc.array(fc.record({ size: fc.integer({ min: 0, max: 900 }), end: fc.constantFrom('\n', '\r', '\r\n') }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 5000 }), { minLength: 1, maxLength: 12 }),
        (events, cuts) => {
          const text = events.map(({ size, end }, i) => `event: e${i}${end}data: ${long(size)}${end}data: ${i}${end}${end}`).join('');
          const all = bytes(text);
          const expected = events.map(({ size }, i) => ({ event: `e${i}`, data: `${long(size)}\n${i}` }));
          const decoder = new ServerSentEventDecoder();
          const out: ServerSentEvent[] = [];
          let at = 0;
          for (const cut of cuts) {
            out.push(...decoder.decode(all.subarray(at, Math.min(all.length, at + cut))));
            at = Math.min(all.length, at + cut);
          }
          out.push(...decoder.decode(all.subarray(at)));
          expect(out).toEqual(expected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('drops an event left without its blank line at the end of the body', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes('data: complete\n\ndata: {"cut'));
        controller.close();
      },
    });
    const events: ServerSentEvent[] = [];
    for await (const event of readServerSentEvents(body)) events.push(event);
    expect(events).toEqual([{ event: undefined, data: 'complete' }]);
  });
});

describe('ServerSentEventDecoder limits', () => {
  const MiB = 1024 * 1024;
  const filler = bytes('a'.repeat(MiB));

  it('rejects a line that never ends once it passes the limit, without holding the rest', () => {
    const decoder = new ServerSentEventDecoder({ maxEventBytes: 16 * MiB, source: { provider: 'openai', model: 'gpt-x' } });
    decoder.decode(bytes('data: '));
    let fed = 0;
    let error: unknown;
    try {
      // A 100 MiB line, fed as it would arrive: the decoder must give up long before its end.
      for (; fed < 100; fed++) decoder.decode(filler);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ code: 'provider_error', providerCode: 'event_too_large', retryable: false, provider: 'openai', model: 'gpt-x', limitBytes: 16 * MiB });
    expect((error as Error).message).toContain('limits.maxEventBytes');
    // The 16th MiB of filler, with the six bytes of `data: `, is the read that crosses the limit.
    expect(fed).toBe(15);
    // What it held is gone: the next line starts clean.
    expect(decoder.decode(bytes('data: after\n\n'))).toEqual([{ event: undefined, data: 'after' }]);
  });

  it('rejects many data lines without a blank line once their sum passes the limit', () => {
    const decoder = new ServerSentEventDecoder({ maxEventBytes: 8 * MiB });
    const line = bytes(`data: ${'b'.repeat(MiB)}\n`);
    let fed = 0;
    const feed = () => {
      for (; fed < 600; fed++) decoder.decode(line);
    };
    expect(feed).toThrow(ResponseTooLargeError);
    // Seven lines fit in 8 MiB; the eighth crosses it.
    expect(fed).toBe(7);
  });

  it('rejects an event past the limit even when it arrives in one read', () => {
    const decoder = new ServerSentEventDecoder({ maxEventBytes: 100 });
    expect(() => decoder.decode(bytes(`data: ${'c'.repeat(200)}\n\n`))).toThrow(ResponseTooLargeError);
  });

  it('accepts an event just under the limit, and many events whose sum is far past it', () => {
    const event = `data: ${'d'.repeat(92)}\n\n`; // 100 characters, line ends included
    const decoder = new ServerSentEventDecoder({ maxEventBytes: 100 });
    const events = decoder.decode(bytes(event.repeat(50)));
    expect(events).toHaveLength(50);
    expect(events[0]?.data).toHaveLength(92);
    // Split across reads, the count carries over from one read to the next.
    const split = new ServerSentEventDecoder({ maxEventBytes: 100 });
    for (let i = 0; i < 50; i++) {
      expect(split.decode(bytes(event.slice(0, 40)))).toEqual([]);
      expect(split.decode(bytes(event.slice(40)))).toHaveLength(1);
    }
    expect(() => split.decode(bytes(`data: ${'d'.repeat(93)}\n\n`))).toThrow(ResponseTooLargeError);
  });

  it('names no provider when used on its own, and still says which option to raise', () => {
    const error = (() => {
      try {
        new ServerSentEventDecoder({ maxEventBytes: 10 }).decode(bytes('data: 0123456789'));
      } catch (caught) {
        return caught as ResponseTooLargeError;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/larger than 10 bytes.*limits\.maxEventBytes/);
  });

  it('defaults to a 16 MiB limit', () => {
    expect(DEFAULT_MAX_EVENT_BYTES).toBe(16 * MiB);
    const decoder = new ServerSentEventDecoder();
    decoder.decode(bytes('data: '));
    for (let i = 0; i < 15; i++) decoder.decode(filler);
    expect(() => decoder.decode(filler)).toThrow(ResponseTooLargeError);
  });

  it('turns the engine refusing a string that long into the typed error', () => {
    // What Node throws past its longest string (512 MiB), which a limit set that high could reach.
    const tooLong = Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), { code: 'ERR_STRING_TOO_LONG' });
    const decode = vi.spyOn(TextDecoder.prototype, 'decode').mockImplementationOnce(() => {
      throw tooLong;
    });
    try {
      expect(() => new ServerSentEventDecoder({ maxEventBytes: 2 ** 40 }).decode(bytes('data: x\n\n'))).toThrow(ResponseTooLargeError);
    } finally {
      decode.mockRestore();
    }
  });

  it('cancels the body when readServerSentEvents meets an oversized event', async () => {
    let cancelled = false;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(filler);
      },
      cancel() {
        cancelled = true;
      },
    });
    const reading = (async () => {
      for await (const _ of readServerSentEvents(body, { maxEventBytes: 4 * MiB })) void _;
    })();
    await expect(reading).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(cancelled).toBe(true);
  });
});
