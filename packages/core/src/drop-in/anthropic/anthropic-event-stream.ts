// A `Stream<RawMessageStreamEvent>` look-alike over the gateway's answer: async iterable once, `.controller` (abort ends the gateway call), `.tee()`, `.toReadableStream()`, and the SSE bytes of Anthropic's wire format.
import type { AnthropicErrorClasses } from './to-anthropic-error.js';
import { errorBodyOf, toAnthropicStreamError } from './to-anthropic-error.js';
import type { AnthropicStreamEvent } from './anthropic-wire-types.js';

const encoder = new TextEncoder();

/** Anthropic's SSE framing of one event: `event: <type>` and its JSON as `data:`. */
export function sseFrame(type: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
}

function isAbort(error: unknown, controller: AbortController): boolean {
  return controller.signal.aborted || (error instanceof Error && error.name === 'AbortError');
}

export class AnthropicEventStream<Item = AnthropicStreamEvent> implements AsyncIterable<Item> {
  /** Aborting it ends the gateway call; the iteration then ends without an error, as the SDK's stream does. */
  readonly controller: AbortController;
  readonly #iterator: () => AsyncIterator<Item>;

  constructor(iterator: () => AsyncIterator<Item>, controller: AbortController) {
    this.#iterator = iterator;
    this.controller = controller;
  }

  /**
   * The stream of one answer (`events` hands the answer's events out once, and throws when
   * they were taken already); a gateway error mid-way is thrown as the SDK's status-less `APIError`.
   */
  static ofEvents(events: () => AsyncIterator<AnthropicStreamEvent>, controller: AbortController, classes: AnthropicErrorClasses): AnthropicEventStream {
    async function* iterate(): AsyncGenerator<AnthropicStreamEvent, void, undefined> {
      const source = events();
      let done = false;
      try {
        for (;;) {
          let next: IteratorResult<AnthropicStreamEvent>;
          try {
            next = await source.next();
          } catch (error) {
            // Aborted through the controller (or the caller's signal): the iteration just ends.
            if (isAbort(error, controller)) return;
            throw toAnthropicStreamError(classes, error);
          }
          if (next.done) break;
          yield next.value;
        }
        done = true;
      } finally {
        if (!done) {
          // A `break` (or an abort) ends the gateway call, as the SDK aborts its request.
          controller.abort();
          await source.return?.();
        }
      }
    }
    return new AnthropicEventStream(iterate, controller);
  }

  [Symbol.asyncIterator](): AsyncIterator<Item> {
    return this.#iterator();
  }

  /** Two streams that read the same events, each at its own pace. */
  tee(): [AnthropicEventStream<Item>, AnthropicEventStream<Item>] {
    const left: Array<Promise<IteratorResult<Item>>> = [];
    const right: Array<Promise<IteratorResult<Item>>> = [];
    const iterator = this[Symbol.asyncIterator]();
    const side = (queue: Array<Promise<IteratorResult<Item>>>): AsyncIterator<Item> => ({
      next: () => {
        if (queue.length === 0) {
          const result = iterator.next();
          left.push(result);
          right.push(result);
        }
        return queue.shift() as Promise<IteratorResult<Item>>;
      },
    });
    return [new AnthropicEventStream(() => side(left), this.controller), new AnthropicEventStream(() => side(right), this.controller)];
  }

  /** Newline-separated JSON events, as the SDK's `toReadableStream()` (for `MessageStream.fromReadableStream` on a frontend). */
  toReadableStream(): ReadableStream<Uint8Array> {
    let iterator: AsyncIterator<Item> | undefined;
    return new ReadableStream<Uint8Array>({
      start: () => {
        iterator = this[Symbol.asyncIterator]();
      },
      pull: async (controller) => {
        try {
          const next = await (iterator as AsyncIterator<Item>).next();
          if (next.done) controller.close();
          else controller.enqueue(encoder.encode(`${JSON.stringify(next.value)}\n`));
        } catch (error) {
          controller.error(error);
        }
      },
      cancel: async () => {
        await iterator?.return?.();
      },
    });
  }
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
