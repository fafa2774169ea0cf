import { readWithinTurn } from './ends-promptly.js';
import { ServerSentEventDecoder, type ServerSentEvent, type ServerSentEventDecoderOptions } from './server-sent-events.js';

/** Turns one provider's server-sent events into chunks, keeping whatever state it needs. */
export interface EventTranslator<T> {
  /** The chunks one event produces (often none). Throw a `GatewayError` for an error event. */
  push(event: ServerSentEvent): readonly T[];
  /** The provider has said all it will say (e.g. a finish reason): ending here is not a cut. */
  readonly complete: boolean;
  /** The provider's end marker arrived (OpenAI `[DONE]`, Anthropic `message_stop`): the stream ends here. */
  readonly ended: boolean;
}

/** `maxEventBytes` and `source` go to the decoder: an event past the limit throws a `ResponseTooLargeError`. */
export interface EventStreamOptions extends ServerSentEventDecoderOptions {
  /** The error to throw when reading the body fails (connection reset, abort, timeout). */
  readError(error: unknown): Error;
  /** The error to throw when the body ends before the translator is complete. */
  truncated(): Error;
}

/**
 * Reads a server-sent-events body through a translator: one loop shared by every adapter
 * that parses a raw response itself. The stream ends at the translator's end marker,
 * whatever follows it: a server that holds the connection open after its last event
 * neither hangs the call nor turns a complete answer into a timeout. When the consumer
 * stops early, an error is thrown or the end marker was not the end of the body, the
 * transfer is cancelled.
 */
export async function* readEventStream<T>(
  body: ReadableStream<Uint8Array>,
  translator: EventTranslator<T>,
  options: EventStreamOptions,
): AsyncGenerator<T, void, undefined> {
  const decoder = new ServerSentEventDecoder(options);
  const reader = body.getReader();
  let finished = false;
  try {
    while (!translator.ended) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        throw options.readError(error);
      }
      if (read.done) {
        finished = true;
        break;
      }
      for (const event of decoder.decode(read.value)) {
        for (const chunk of translator.push(event)) yield chunk;
        if (translator.ended) break;
      }
    }
    // After the end marker the body gets one turn to end (its last bytes usually come with it).
    if (translator.ended) finished = (await readWithinTurn(reader.read()))?.done === true;
    else if (!translator.complete) throw options.truncated();
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
