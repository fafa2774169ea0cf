// A wrapped Anthropic client's stream of events over the gateway's answer: the SDKs' `Stream` contract, a gateway error mid-way as the SDK's status-less `APIError`, an abort ending it quietly.
import { SdkStream } from '../sdk-stream.js';
import type { AnthropicStreamEvent } from './anthropic-wire-types.js';
import { isAbort } from './anthropic-sse-body.js';
import { toAnthropicStreamError, type AnthropicErrorClasses } from './to-anthropic-error.js';

/** The stream of one answer's events; leaving the loop early (or an abort) ends the gateway call, as the SDK aborts its request. */
export function anthropicEventStream(events: () => AsyncIterator<AnthropicStreamEvent>, controller: AbortController, classes: AnthropicErrorClasses): SdkStream<AnthropicStreamEvent> {
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
  return new SdkStream(iterate, controller, (message) => new classes.AnthropicError(message));
}
