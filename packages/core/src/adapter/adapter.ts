import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from '../contract/embeddings.js';
import type { CallWarning, ProviderResponse } from './provider-response.js';
import type { Usage } from './usage.js';

/** What a provider can do; the router will skip targets that lack what a request needs. */
export interface Capabilities {
  readonly stream: boolean;
  readonly tools: boolean;
  readonly images: boolean;
  readonly jsonSchema: boolean;
  readonly embeddings: boolean;
  readonly reasoning: boolean;
}

/** Per-attempt context an adapter receives alongside the request. */
export interface CallContext {
  readonly requestId: string;
  /** Aborts when the caller aborts or the call times out; pass it to the SDK. */
  readonly signal: AbortSignal | undefined;
  /**
   * Reports the provider's response (its request id and the headers from
   * `pickResponseHeaders`) as soon as its headers are in, for a failed response too. A later
   * report (another pooled key's response) replaces the earlier one.
   */
  response(response: ProviderResponse): void;
  /** Reports a parameter the adapter dropped, adjusted or filled in, or a pooled key it retried. */
  warn(warning: CallWarning): void;
  /**
   * Reports the usage the provider has told so far on a stream (Anthropic's input tokens in
   * `message_start`, Gemini's running `usageMetadata`), so that a stream cut before its usage
   * chunk still records what it consumed. The final usage chunk supersedes it.
   */
  usage(usage: Usage): void;
}

/** A chat request in the OpenAI shape, with `model` already set to the provider's model name. */
export interface ChatRequest {
  readonly params: ChatCompletionCreateParams;
}

/** An embeddings request in the OpenAI shape, with `model` set to the provider's model name. */
export interface EmbeddingsRequest {
  readonly params: EmbeddingCreateParams;
}

/**
 * Translates the OpenAI-shaped contract to one provider's SDK and back. Adapters throw
 * `GatewayError`s only (normalised from the SDK's), never retry on their own, and always
 * end a stream with a usage chunk (`choices: []`, `usage` set) when the provider reports usage.
 */
/** The host (and port, when not the scheme's default) an adapter sends its calls to. */
export interface AdapterEndpoint {
  readonly address: string;
  readonly port?: number | undefined;
}

export interface ProviderAdapter {
  /** Provider family, e.g. `openai`, `anthropic`, `gcp.gemini`. */
  readonly provider: string;
  readonly capabilities: Capabilities;
  /** Where its calls go (the SDK client's host and port), for telemetry's `server.address` and `server.port`; absent when unknown. */
  readonly endpoint?: AdapterEndpoint | undefined;
  /** The SDK client objects it calls through (one per key of a key pool), so that `gateway.wrap(client)` finds the provider built on a client; absent when none. */
  readonly clients?: readonly object[] | undefined;
  chat(request: ChatRequest, call: CallContext): Promise<ChatCompletion>;
  /** Starts the provider call on the first `next()`; throws there if the call fails. */
  stream(request: ChatRequest, call: CallContext): AsyncIterable<ChatCompletionChunk>;
  embed?(request: EmbeddingsRequest, call: CallContext): Promise<CreateEmbeddingResponse>;
}

export function isProviderAdapter(value: unknown): value is ProviderAdapter {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<ProviderAdapter>;
  return (
    typeof candidate.provider === 'string' &&
    typeof candidate.chat === 'function' &&
    typeof candidate.stream === 'function' &&
    typeof candidate.capabilities === 'object' &&
    candidate.capabilities !== null
  );
}
