import { ProviderError, type ChatCompletionChunk } from '@switchyard/core';
import {
  describeProviderError,
  providerName,
  malformedResponse,
  readEventStream,
  truncatedStream,
  type ErrorScope,
  type EventTranslator,
  type ResponseLimits,
  type ServerSentEvent,
  type Usage,
  usageFromCompletionUsage,
} from '@switchyard/core/adapter';
import { EmptyToolArguments } from './empty-tool-arguments.js';
import { normaliseOpenAIError } from './normalise-openai-error.js';
import { describeIssues, wireChunkSchema } from './openai-wire-schemas.js';

/** OpenAI's stream: JSON chunks until `[DONE]`; errors may arrive as events inside a 200. */
class OpenAIChunkTranslator implements EventTranslator<ChatCompletionChunk> {
  complete = false;
  ended = false;
  readonly #scope: ErrorScope;
  readonly #toolArguments = new EmptyToolArguments();
  readonly #onUsage: ((usage: Usage) => void) | undefined;

  constructor(scope: ErrorScope, onUsage?: (usage: Usage) => void) {
    this.#scope = scope;
    this.#onUsage = onUsage;
  }

  push(event: ServerSentEvent): readonly ChatCompletionChunk[] {
    if (event.data === '[DONE]') {
      this.ended = true;
      return [];
    }
    // Empty data (`data:` then a blank line) is a keep-alive some proxies send: nothing to parse.
    if (event.data.trim() === '') {
      if (event.event === 'error') throw streamedError(undefined, this.#scope);
      return [];
    }
    let data: unknown;
    try {
      data = JSON.parse(event.data);
    } catch {
      throw malformedResponse(this.#scope, 'a stream event is not valid JSON');
    }
    const payload = data as { error?: unknown } | null;
    if (event.event === 'error' || (typeof payload === 'object' && payload !== null && payload.error)) {
      throw streamedError(payload, this.#scope);
    }
    const checked = wireChunkSchema.safeParse(data);
    if (!checked.success) throw malformedResponse(this.#scope, `unexpected chunk shape (${describeIssues(checked.error)})`);
    const chunk = data as ChatCompletionChunk;
    // Compatible servers that never send [DONE] are complete once a choice has finished.
    for (const choice of chunk.choices) if (choice.finish_reason) this.complete = true;
    // The provider's own figures, reported before any middleware sees (or rewrites) the chunk.
    if (chunk.usage && this.#onUsage) this.#onUsage(usageFromCompletionUsage(chunk.usage));
    const fix = this.#toolArguments.before(chunk);
    return fix ? [fix, chunk] : [chunk];
  }
}

/**
 * Reads an OpenAI-format SSE body into chunks. Parsing the raw body here, rather than
 * through the SDK's `Stream`, costs about half the CPU per chunk and lets the gateway tell
 * a finished stream (`[DONE]`, or a finish reason) from one cut off mid-way. `onUsage`
 * hears the usage chunk's figures as they arrive.
 */
export function readOpenAIStream(
  body: ReadableStream<Uint8Array>,
  scope: ErrorScope,
  limits: Pick<ResponseLimits, 'maxEventBytes'> = {},
  onUsage?: (usage: Usage) => void,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  return readEventStream(body, new OpenAIChunkTranslator(scope, onUsage), {
    readError: (error) => normaliseOpenAIError(error, scope),
    truncated: () => truncatedStream(scope),
    maxEventBytes: limits.maxEventBytes,
    source: scope,
  });
}

/** An error the server reported inside a 200 stream: `data: {"error": {...}}`. */
function streamedError(payload: unknown, scope: ErrorScope): ProviderError {
  const body = (payload as { error?: unknown } | null)?.error ?? payload;
  const info = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const type = providerName(info.type, scope.secrets);
  const code = providerName(info.code, scope.secrets) ?? type;
  const text = typeof info.message === 'string' ? info.message : undefined;
  // The provider's text may quote the prompt: only its type and code, unless the adapter opted in.
  return new ProviderError(describeProviderError(scope, 'reported an error event in stream', { type, code, text }), {
    provider: scope.provider,
    model: scope.model,
    retryable: code !== undefined && /rate_limit|overloaded|server_error|timeout/i.test(code),
    providerCode: code,
  });
}
