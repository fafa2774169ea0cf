import {
  SdkClientPool,
  malformedResponse,
  readBodyText,
  type CallContext,
  type Capabilities,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatRequest,
  type CreateEmbeddingResponse,
  type EmbeddingsRequest,
  type ErrorScope,
  type PooledKey,
  type ProviderAdapter,
} from '@switchyard/core';
import type OpenAI from 'openai';
import { normaliseOpenAIError } from './normalise-openai-error.js';
import { readOpenAIStream } from './openai-sse-stream.js';
import { describeIssues, wireCompletionSchema, wireEmbeddingsSchema } from './openai-wire-schemas.js';

export interface OpenAIAdapterOptions {
  /** An `openai` client the app already has; its `baseURL` may point at any OpenAI-compatible server. */
  client: OpenAI;
  /** Provider family reported by the adapter (default `openai`); e.g. `vllm`, `ollama`. */
  provider?: string;
  /** Override what the server can do (compatible servers often lack embeddings or images). */
  capabilities?: Partial<Capabilities>;
  /**
   * Several API keys for this provider: each call takes one by weight, and a key refused
   * (401/403) or rate-limited (429) rests for `keyCooldownMs` (or its Retry-After). The
   * client's own key is then unused; its other settings (base URL, headers) apply to all.
   */
  keys?: PooledKey[];
  keyCooldownMs?: number;
}

const OPENAI_CAPABILITIES: Capabilities = {
  stream: true,
  tools: true,
  images: true,
  jsonSchema: true,
  embeddings: true,
  reasoning: true,
};

/** The gateway owns retries; the SDK's own would multiply them. */
const NO_SDK_RETRIES = 0;

class OpenAIAdapter implements ProviderAdapter {
  readonly provider: string;
  readonly capabilities: Capabilities;
  readonly #clients: SdkClientPool<OpenAI>;

  constructor(options: OpenAIAdapterOptions) {
    this.#clients = new SdkClientPool(options.client, options.keys, options.keyCooldownMs);
    this.provider = options.provider ?? 'openai';
    this.capabilities = { ...OPENAI_CAPABILITIES, ...options.capabilities };
  }

  #scope(model: string, call: CallContext): ErrorScope {
    return { provider: this.provider, model, secrets: this.#clients.secrets, signal: call.signal };
  }

  async chat(request: ChatRequest, call: CallContext): Promise<ChatCompletion> {
    const params = request.params;
    const { client, key } = this.#clients.lease();
    const startedAt = Date.now();
    let text: string;
    let requestId: string | null;
    try {
      // The raw response, read here: the SDK's own parse would add a second deadline race
      // and a copy of the work below. Its client timeout still bounds the body.
      const response = await client.chat.completions
        .create(params as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, { signal: call.signal, maxRetries: NO_SDK_RETRIES })
        .asResponse();
      requestId = response.headers.get('x-request-id');
      text = await readBodyText(response, Math.max(0, startedAt + client.timeout - Date.now()));
    } catch (error) {
      throw this.#clients.blame(key, normaliseOpenAIError(error, this.#scope(params.model, call)));
    }
    let completion: unknown;
    try {
      completion = JSON.parse(text);
    } catch {
      throw malformedResponse(this.#scope(params.model, call), 'the body is not JSON');
    }
    const checked = wireCompletionSchema.safeParse(completion);
    if (!checked.success) throw malformedResponse(this.#scope(params.model, call), describeIssues(checked.error));
    // As the SDK does: the provider's request id, kept off the enumerable fields.
    Object.defineProperty(completion, '_request_id', { value: requestId, enumerable: false });
    return completion as ChatCompletion;
  }

  async *stream(request: ChatRequest, call: CallContext): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const params = request.params;
    const scope = this.#scope(params.model, call);
    const { client, key } = this.#clients.lease();
    let response: Response;
    try {
      response = await client.chat.completions
        .create(
          {
            ...params,
            stream: true,
            // Always ask for usage: the gateway needs it; it drops the chunk if the caller did not ask.
            stream_options: { ...params.stream_options, include_usage: true },
          } as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
          { signal: call.signal, maxRetries: NO_SDK_RETRIES },
        )
        .asResponse();
    } catch (error) {
      throw this.#clients.blame(key, normaliseOpenAIError(error, scope));
    }
    if (!response.body) throw malformedResponse(scope, 'the stream response has no body');
    yield* readOpenAIStream(response.body, scope);
  }

  async embed(request: EmbeddingsRequest, call: CallContext): Promise<CreateEmbeddingResponse> {
    const params = request.params;
    const { client, key } = this.#clients.lease();
    let response: unknown;
    try {
      response = await client.embeddings.create(params as OpenAI.EmbeddingCreateParams, {
        signal: call.signal,
        maxRetries: NO_SDK_RETRIES,
      });
    } catch (error) {
      throw this.#clients.blame(key, normaliseOpenAIError(error, this.#scope(params.model, call)));
    }
    const checked = wireEmbeddingsSchema.safeParse(response);
    if (!checked.success) throw malformedResponse(this.#scope(params.model, call), describeIssues(checked.error));
    return response as CreateEmbeddingResponse;
  }
}

/**
 * An adapter over an `openai` client: `openai({ client: new OpenAI() })`. Also serves any
 * OpenAI-compatible server through the client's `baseURL`.
 */
export function openai(options: OpenAIAdapterOptions): ProviderAdapter {
  return new OpenAIAdapter(options);
}
