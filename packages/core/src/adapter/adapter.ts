import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from '../contract/embeddings.js';

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
export interface ProviderAdapter {
  /** Provider family, e.g. `openai`, `anthropic`, `gcp.gemini`. */
  readonly provider: string;
  readonly capabilities: Capabilities;
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
