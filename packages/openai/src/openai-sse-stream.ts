import { ProviderError, ServerSentEventDecoder, redactSecrets, type ChatCompletionChunk } from '@switchyard/core';
import { normaliseOpenAIError, type ErrorScope } from './normalise-openai-error.js';
import { describeIssues, wireChunkSchema } from './openai-wire-schemas.js';

/**
 * Reads an OpenAI-format SSE body into chunks. Parsing the raw body here, rather than
 * through the SDK's `Stream`, costs about half the CPU per chunk and lets the gateway tell
 * a finished stream (`[DONE]`, or a finish reason) from one cut off mid-way.
 */
export async function* readOpenAIStream(
  body: ReadableStream<Uint8Array>,
  scope: ErrorScope,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const decoder = new ServerSentEventDecoder();
  const reader = body.getReader();
  let done = false;
  let finished = false;
  try {
    for (;;) {
      let read: ReadableStreamReadResult<Uint8Array>;
      try {
        read = await reader.read();
      } catch (error) {
        throw normaliseOpenAIError(error, scope);
      }
      if (read.done) break;
      if (done) continue; // drain to the end so that the connection can be reused
      for (const event of decoder.decode(read.value)) {
        if (event.data === '[DONE]') {
          done = true;
          break;
        }
        let data: unknown;
        try {
          data = JSON.parse(event.data);
        } catch {
          throw malformed(scope, 'a stream event is not valid JSON');
        }
        const payload = data as { error?: unknown } | null;
        if (event.event === 'error' || (typeof payload === 'object' && payload !== null && payload.error)) {
          throw streamedError(payload, scope);
        }
        const checked = wireChunkSchema.safeParse(data);
        if (!checked.success) throw malformed(scope, `unexpected chunk shape (${describeIssues(checked.error)})`);
        const chunk = data as ChatCompletionChunk;
        for (const choice of chunk.choices) if (choice.finish_reason) finished = true;
        yield chunk;
      }
    }
    if (!done && !finished) {
      throw new ProviderError(`${scope.provider}/${scope.model}: the stream ended before it was complete.`, {
        provider: scope.provider,
        model: scope.model,
        retryable: true,
        providerCode: 'stream_truncated',
      });
    }
  } finally {
    // Abandoned or failed: stop the transfer. Finished: the body is already drained.
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function malformed(scope: ErrorScope, what: string): ProviderError {
  return new ProviderError(`${scope.provider}/${scope.model} sent a malformed stream: ${what}.`, {
    provider: scope.provider,
    model: scope.model,
    retryable: true,
    providerCode: 'malformed_response',
  });
}

/** An error the server reported inside a 200 stream: `data: {"error": {...}}`. */
function streamedError(payload: unknown, scope: ErrorScope): ProviderError {
  const body = (payload as { error?: unknown } | null)?.error ?? payload;
  const info = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const message = typeof info.message === 'string' ? redactSecrets(info.message, scope.secrets) : 'error event in stream';
  const code = typeof info.code === 'string' ? info.code : typeof info.type === 'string' ? info.type : undefined;
  return new ProviderError(`${scope.provider}/${scope.model} reported an error mid-stream: ${message}`, {
    provider: scope.provider,
    model: scope.model,
    retryable: code !== undefined && /rate_limit|overloaded|server_error|timeout/i.test(code),
    providerCode: code,
  });
}
