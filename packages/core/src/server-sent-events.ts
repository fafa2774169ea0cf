/** One dispatched server-sent event. `event` is `undefined` when the server named none. */
export interface ServerSentEvent {
  event: string | undefined;
  data: string;
}

/**
 * An incremental decoder for `text/event-stream` (the WHATWG server-sent events format):
 * lines end in LF, CRLF or CR, `data:` lines accumulate, a blank line dispatches, `:`
 * lines are comments. An event left without its blank line when the body ends is
 * dropped, as the format requires, so a cut stream never yields half an event.
 */
export class ServerSentEventDecoder {
  readonly #text = new TextDecoder();
  #pending = '';
  #skipLeadingLF = false;
  #event: string | undefined = undefined;
  #data: string[] = [];

  /** Feeds bytes; returns the events they completed. */
  decode(bytes: Uint8Array): ServerSentEvent[] {
    const out: ServerSentEvent[] = [];
    let text = this.#pending + this.#text.decode(bytes, { stream: true });
    if (this.#skipLeadingLF && text.length > 0) {
      if (text.charCodeAt(0) === 10) text = text.slice(1);
      this.#skipLeadingLF = false;
    }
    let start = 0;
    let cr = text.indexOf('\r');
    for (;;) {
      const lf = text.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = text.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 === text.length) {
          // A CR at the end of this piece may be the first half of a CRLF.
          next = cr + 1;
          this.#skipLeadingLF = true;
        } else next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      this.#line(text.slice(start, end), out);
      start = next;
    }
    this.#pending = start === 0 ? text : text.slice(start);
    return out;
  }

  #line(line: string, out: ServerSentEvent[]): void {
    if (line.length === 0) {
      if (this.#data.length > 0) {
        out.push({ event: this.#event, data: this.#data.length === 1 ? (this.#data[0] as string) : this.#data.join('\n') });
      }
      this.#event = undefined;
      this.#data = [];
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ':' comment
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    // `id` and `retry` matter to reconnecting browsers only.
  }
}

/** Reads a response body as server-sent events. Cancelling the iteration cancels the body. */
export async function* readServerSentEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerSentEvent> {
  const decoder = new ServerSentEventDecoder();
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
