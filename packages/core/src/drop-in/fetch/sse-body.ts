// A gateway stream as the body of an OpenAI SSE answer: pull-based `data: <chunk>` events, `data: [DONE]`, an error event on failure.
import type { ChatCompletionChunk } from '../../contract/chat-chunk.js';
import { errorAnswer } from './error-response.js';
import { abortReason } from './abort-reason.js';

const encoder = new TextEncoder();
const DONE_EVENT = encoder.encode('data: [DONE]\n\n');

/**
 * The body of a streamed answer. It reads the next gateway chunk only when the consumer pulls
 * (high-water mark 0: nothing is read ahead), so back-pressure reaches the provider.
 * Cancelling the body returns the gateway stream (it ends as `abandoned`); the caller's signal
 * aborting errors the body with the signal's reason, as a real fetch's body does.
 */
export function sseBody(stream: AsyncIterator<ChatCompletionChunk>, signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  let finished = false;
  let onAbort: (() => void) | undefined;
  const finish = () => {
    finished = true;
    if (onAbort) signal?.removeEventListener('abort', onAbort);
  };
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (!signal) return;
        // The gateway ends its own request on the same signal (as `aborted`); the body only has to fail at once.
        onAbort = () => {
          if (finished) return;
          finish();
          controller.error(abortReason(signal));
        };
        signal.addEventListener('abort', onAbort, { once: true });
      },
      async pull(controller) {
        let result: IteratorResult<ChatCompletionChunk>;
        try {
          result = await stream.next();
        } catch (error) {
          if (finished) return;
          finish();
          if (signal?.aborted) return controller.error(abortReason(signal));
          // As OpenAI does mid-stream: one event carrying the error object, then the end of the body.
          controller.enqueue(encoder.encode(`data: ${JSON.stringify(errorAnswer(error).body)}\n\n`));
          return controller.close();
        }
        if (finished) return;
        if (result.done) {
          finish();
          controller.enqueue(DONE_EVENT);
          return controller.close();
        }
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(result.value)}\n\n`));
      },
      async cancel() {
        if (finished) return;
        finish();
        await stream.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
