// A streamed chat answer as OpenAI's HTTP API sends it: server-sent events, one `data:` line of JSON per chunk, then `data: [DONE]`.
import { GatewayError } from '../../errors/errors.js';
import { wireErrorOf } from './openai-sdk-errors.js';

/**
 * The SSE body of a stream. A failure mid-way is sent as OpenAI does, a `data:` event holding
 * `{ error }` (which the SDK's `Stream.fromSSEResponse` throws as an `APIError`), and the body
 * ends there, without `[DONE]`. Cancelling the body ends the gateway call.
 */
export function sseBodyOf(chunks: AsyncIterable<unknown>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<unknown> | undefined;
  return new ReadableStream<Uint8Array>({
    start: () => {
      iterator = chunks[Symbol.asyncIterator]();
    },
    pull: async (controller) => {
      if (!iterator) return;
      try {
        const { value, done } = await iterator.next();
        if (done) {
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(`data: ${JSON.stringify(value)}\n\n`));
      } catch (error) {
        controller.enqueue(encoder.encode(`data: ${JSON.stringify({ error: streamErrorOf(error) })}\n\n`));
        controller.close();
      }
    },
    cancel: async () => {
      await iterator?.return?.();
    },
  });
}

function streamErrorOf(error: unknown): object {
  if (error instanceof GatewayError) return wireErrorOf(error);
  // The SDK's own error (the stream's reader converts): keep its message and code.
  const message = error instanceof Error ? error.message : 'The stream failed.';
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  if (cause instanceof GatewayError) return wireErrorOf(cause);
  return { message, type: 'server_error', code: null, param: null };
}
