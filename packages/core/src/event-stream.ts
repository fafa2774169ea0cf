import { ServerSentEventDecoder, type ServerSentEvent } from './server-sent-events.js';

/** Turns one provider's server-sent events into chunks, keeping whatever state it needs. */
export interface EventTranslator<T> {
  /** The chunks one event produces (often none). Throw a `GatewayError` for an error event. */
  push(event: ServerSentEvent): readonly T[];
  /** The provider has said all it will say (e.g. a finish reason): ending here is not a cut. */
  readonly complete: boolean;
  /** The provider's end marker arrived (OpenAI `[DONE]`, Anthropic `message_stop`): ignore the rest. */
  readonly ended: boolean;
}

export interface EventStreamOptions {
  /** The error to throw when reading the body fails (connection reset, abort, timeout). */
  readError(error: unknown): Error;
  /** The error to throw when the body ends before the translator is complete. */
  truncated(): Error;
}

/**
 * Reads a server-sent-events body through a translator: one loop shared by every adapter
 * that parses a raw response itself. After the end marker the rest of the body is
 * drained so that the connection can be reused; when the consumer stops early or an
 * error is thrown, the transfer is cancelled.
 */
export async function* readEventStream<T>(
  body: ReadableStream<Uint8Array>,
  translator: EventTranslator<T>,
  options: EventStreamOptions,
): AsyncGenerator<T, void, undefined> {
  const decoder = new ServerSentEventDecoder();
  const reader = body.getReader();
  let drained = false;
  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        throw options.readError(error);
      }
      if (read.done) break;
      if (translator.ended) continue;
      for (const event of decoder.decode(read.value)) {
        for (const chunk of translator.push(event)) yield chunk;
        if (translator.ended) break;
      }
    }
    drained = true;
    if (!translator.complete && !translator.ended) throw options.truncated();
  } finally {
    if (!drained) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
