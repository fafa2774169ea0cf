import { DEFAULT_MAX_EVENT_BYTES, ResponseTooLargeError, isPastEngineLimit, type ResponseSource } from './body-limits.js';

/** One dispatched server-sent event. `event` is `undefined` when the server named none. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

export interface ServerSentEventDecoderOptions {
  /**
   * Largest event, from its first line to its blank line (default 16 MiB, `DEFAULT_MAX_EVENT_BYTES`),
   * counted in characters of the decoded text: the bytes for ASCII, fewer for other text.
   */
  maxEventBytes?: number | undefined;
  /** Who sent the stream, named in the error an oversized event raises. */
  source?: ResponseSource | undefined;
}

/** Longest unfinished line put in front of the next read's text; longer ones wait in a list. */
const PREFIX_LIMIT = 1024;

/**
 * An incremental decoder for `text/event-stream` (the WHATWG server-sent events format):
 * lines end in LF, CRLF or CR, `data:` lines accumulate, a blank line dispatches, `:`
 * lines are comments. An event left without its blank line when the body ends is
 * dropped, as the format requires, so a cut stream never yields half an event.
 *
 * Linear in what it is fed, however that is split: each read is decoded once and scanned
 * once, from where the last line ended, and a line that spans reads is kept as its pieces
 * and joined once, when its end arrives (a short one is simply put in front of the next
 * read, and the scan starts after it). An event past `maxEventBytes` throws a
 * `ResponseTooLargeError` as soon as the read that crosses the limit is fed, so a line
 * that never ends holds at most that much. The size is counted in characters of the
 * decoded text: one per byte for ASCII, as JSON events mostly are, and fewer than the
 * bytes for other text.
 */
export class ServerSentEventDecoder {
  readonly #text = new TextDecoder();
  readonly #maxEventBytes: number;
  readonly #source: ResponseSource | undefined;
  /** The unfinished line: its first piece, then any more, in the order they arrived. */
  #pending = '';
  #pieces: string[] = [];
  /** Characters of the current event that arrived in earlier reads. */
  #eventLength = 0;
  #skipLeadingLF = false;
  #event: string | undefined = undefined;
  #data: string[] = [];

  constructor(options: ServerSentEventDecoderOptions = {}) {
    this.#maxEventBytes = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
    this.#source = options.source;
  }

  /** Feeds bytes; returns the events they completed. Throws `ResponseTooLargeError` for an event past the limit. */
  decode(bytes: Uint8Array): ServerSentEvent[] {
    try {
      return this.#decode(bytes);
    } catch (error) {
      // A limit set near the engine's own (its longest string) must still fail typed.
      throw isPastEngineLimit(error) ? this.#tooLarge() : error;
    }
  }

  #decode(bytes: Uint8Array): ServerSentEvent[] {
    const out: ServerSentEvent[] = [];
    let text = this.#text.decode(bytes, { stream: true });
    /** Where the current line starts. */
    let start = 0;
    /** Where to look for the next line end: nothing before it holds one. */
    let scan = 0;
    /** Where the current event began, as an offset into `text` (negative: in an earlier read). */
    let eventStart = -this.#eventLength;
    if (this.#pending !== '' && this.#pieces.length === 0 && this.#pending.length <= PREFIX_LIMIT) {
      // A short unfinished line (an event split across reads, the usual case) is put in
      // front of the new text, which is cheaper than a list; the scan starts after it.
      scan = this.#pending.length;
      eventStart += scan;
      text = this.#pending + text;
      this.#pending = '';
    } else if (this.#skipLeadingLF && text.length > 0) {
      if (text.charCodeAt(0) === 10) start = scan = 1;
      this.#skipLeadingLF = false;
    }
    const length = text.length;
    let lf = text.indexOf('\n', scan);
    let cr = text.indexOf('\r', scan);
    for (;;) {
      if (lf !== -1 && lf < start) lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 === length) {
          // A CR at the end of this read may be the first half of a CRLF.
          next = length;
          this.#skipLeadingLF = true;
        } else next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      if (next - eventStart > this.#maxEventBytes) throw this.#tooLarge();
      if (this.#pending === '') {
        if (end === start) {
          this.#dispatch(out);
          eventStart = next;
        } else this.#line(text.slice(start, end));
      } else this.#line(this.#joined(text.slice(start, end)));
      start = next;
    }
    if (start < length) {
      const rest = start === 0 ? text : text.slice(start);
      if (this.#pending === '') this.#pending = rest;
      else this.#pieces.push(rest);
    }
    this.#eventLength = length - eventStart;
    if (this.#eventLength > this.#maxEventBytes) throw this.#tooLarge();
    return out;
  }

  /** The unfinished line with its last piece, built once (a line over two reads, the usual case, with no list). */
  #joined(last: string): string {
    let line: string;
    if (this.#pieces.length === 0) line = this.#pending + last;
    else {
      this.#pieces.push(last);
      line = this.#pending + this.#pieces.join('');
      this.#pieces = [];
    }
    this.#pending = '';
    return line;
  }

  /** One non-empty line. */
  #line(line: string): void {
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    // `id` and `retry` matter to reconnecting browsers only.
  }

  #dispatch(out: ServerSentEvent[]): void {
    if (this.#data.length > 0) {
      out.push({ event: this.#event, data: this.#data.length === 1 ? (this.#data[0] as string) : this.#data.join('\n') });
      this.#data = [];
    }
    this.#event = undefined;
  }

  /** Drops what was held, so that nothing of the oversized event outlives the error. */
  #tooLarge(): ResponseTooLargeError {
    this.#pending = '';
    this.#pieces = [];
    this.#data = [];
    this.#eventLength = 0;
    return new ResponseTooLargeError('maxEventBytes', this.#maxEventBytes, this.#source);
  }
}

/**
 * Reads a response body as server-sent events. Cancelling the iteration cancels the body,
 * as does an event past `maxEventBytes` (a `ResponseTooLargeError`).
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  options: ServerSentEventDecoderOptions = {},
): AsyncGenerator<ServerSentEvent> {
  const decoder = new ServerSentEventDecoder(options);
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield* decoder.decode(value);
    }
  } finally {
    reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
