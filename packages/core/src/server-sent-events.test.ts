import { describe, expect, it } from 'vitest';
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
