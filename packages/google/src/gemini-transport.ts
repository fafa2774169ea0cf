import type { GeminiRequest } from './gemini-wire.js';
import type { ResponseHeaders } from './provider-response-reporter.js';

export interface EmbedOptions {
  dimensions: number | undefined;
  taskType: string | undefined;
}

export interface EmbedResult {
  /** One vector per text, in order. */
  embeddings: unknown[];
  /** The HTTP response's headers, if the SDK exposes them. */
  headers: ResponseHeaders | undefined;
}

/**
 * The few calls the adapter makes, over whichever Google SDK the app uses. Both speak the
 * same REST shapes, so translation is shared and each transport stays thin.
 */
export interface GeminiTransport {
  generate(model: string, request: GeminiRequest, signal: AbortSignal | undefined): Promise<unknown>;
  /**
   * The responses of a streamed call, ending at the finish of as many candidates as the
   * request's `generationConfig.candidateCount` asks for, usage reported (see `endAtFinish`):
   * the body gets one turn of the event loop to end after it, not a wait for the server.
   */
  stream(model: string, request: GeminiRequest, signal: AbortSignal | undefined): Promise<AsyncIterable<unknown>>;
  embed(model: string, texts: string[], options: EmbedOptions, signal: AbortSignal | undefined): Promise<EmbedResult>;
  /**
   * The headers of the HTTP response that a `generate` result or a streamed response came
   * in, if the SDK exposes them. Neither SDK gives any with its errors.
   */
  headersOf(response: unknown): ResponseHeaders | undefined;
  /** The client's key, to scrub from error messages. */
  readonly apiKey: string | undefined;
  /** Where the client sends its calls, for telemetry's `server.address`; `undefined` when the SDK does not say. */
  readonly baseURL: string | undefined;
}

/** The call's signal joined with one the transport aborts to end a stream's request itself. */
export function withRelease(signal: AbortSignal | undefined, release: AbortController): AbortSignal {
  return signal ? AbortSignal.any([signal, release.signal]) : release.signal;
}
