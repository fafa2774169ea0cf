// Anthropic's SSE wire format of a stream: each event framed as `event:`/`data:`, a gateway error mid-way as an `error` event.
import type { AnthropicStreamEvent } from './anthropic-wire-types.js';
import { errorBodyOf } from './to-anthropic-error.js';

const encoder = new TextEncoder();

/** Anthropic's SSE framing of one event: `event: <type>` and its JSON as `data:`. */
export function sseFrame(type: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function isAbort(error: unknown, controller: AbortController): boolean {
  return controller.signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

/** The SSE body Anthropic sends for a stream: each event framed, a gateway error mid-way as an `error` event, then the end. */
export function sseBody(events: () => AsyncIterator<AnthropicStreamEvent>, controller: AbortController): ReadableStream<Uint8Array> {
  let source: AsyncIterator<AnthropicStreamEvent> | undefined;
  return new ReadableStream<Uint8Array>({
    start: () => {
      source = events();
    },
    pull: async (stream) => {
      try {
        const next = await (source as AsyncIterator<AnthropicStreamEvent>).next();
        if (next.done) stream.close();
        else stream.enqueue(sseFrame(next.value.type, next.value));
      } catch (error) {
        if (isAbort(error, controller)) {
          stream.error(error);
          return;
        }
        stream.enqueue(sseFrame('error', errorBodyOf(error)));
        stream.close();
      }
    },
    cancel: async () => {
      controller.abort();
      await source?.return?.();
    },
  });
}
