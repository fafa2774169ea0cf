import { type ChatCompletion, type ChatCompletionChunk, type CreateEmbeddingResponse, type GatewayError } from '@switchyard/core';
import {
  endpointOf,
  type AdapterEndpoint,
  SdkClientPool,
  invalidClientError,
  malformedResponse,
  providerResponseFromHeaders,
  readBodyText,
  resolveResponseLimits,
  type CallContext,
  type Capabilities,
  type ChatRequest,
  type EmbeddingsRequest,
  type ErrorScope,
  type PooledKey,
  type ProviderAdapter,
  type ResponseLimits,
} from '@switchyard/core/adapter';
import type OpenAI from 'openai';
import { normaliseOpenAIError, openAIErrorHeaders } from './normalise-openai-error.js';
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
  /**
   * Put the provider's own error text in error messages and events (scrubbed of keys, at
   * most 500 characters). Off by default: providers echo the prompt back in their errors,
   * so messages carry only the status, the error type and the code.
   */
  exposeProviderMessages?: boolean;
  /**
   * How much of a response the adapter reads before it gives up with a non-retryable
   * `ResponseTooLargeError`: `maxEventBytes` for one stream event (default 16 MiB),
   * `maxBodyBytes` for a non-stream chat or embeddings body after decompression (default
   * 64 MiB). E.g. `limits: { maxBodyBytes: 256 * 1024 * 1024 }` for large float embeddings.
   */
  limits?: ResponseLimits;
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

/** Where OpenAI (and the SDK's `requestID`) puts its id for an HTTP request. */
const REQUEST_ID_HEADER = 'x-request-id';

class OpenAIAdapter implements ProviderAdapter {
  readonly provider: string;
  readonly capabilities: Capabilities;
  readonly endpoint: AdapterEndpoint | undefined;
  /** The app's client; a key pool's per-key copies are made inside the pool from it, and no app code holds them. */
  readonly clients: readonly object[];
  readonly #clients: SdkClientPool<OpenAI>;
  readonly #exposeProviderMessages: boolean;
  readonly #limits: Required<ResponseLimits>;

  constructor(options: OpenAIAdapterOptions) {
    if (!isOpenAIClient(options.client)) {
      throw invalidClientError('openai', 'an `openai` SDK client (OpenAI or AzureOpenAI)', '`openai({ client: new OpenAI() })`', options.client);
    }
    this.#clients = new SdkClientPool(options.client, options.keys, options.keyCooldownMs);
    this.clients = [options.client];
    this.#exposeProviderMessages = options.exposeProviderMessages === true;
    this.#limits = resolveResponseLimits(options.limits);
    this.provider = options.provider ?? 'openai';
    this.endpoint = endpointOf(options.client.baseURL);
    this.capabilities = { ...OPENAI_CAPABILITIES, ...options.capabilities };
  }

  #scope(model: string, call: CallContext): ErrorScope {
    return { provider: this.provider, model, secrets: this.#clients.secrets, signal: call.signal, exposeProviderMessages: this.#exposeProviderMessages };
  }

  /** The gateway error for a failed call, after reporting the failed response's headers (a 429's rate limits and Retry-After). */
  #normalise(error: unknown, scope: ErrorScope, call: CallContext): GatewayError {
    const headers = openAIErrorHeaders(error);
    if (headers) call.response(providerResponseFromHeaders(headers, REQUEST_ID_HEADER));
    return normaliseOpenAIError(error, scope);
  }

  async chat(request: ChatRequest, call: CallContext): Promise<ChatCompletion> {
    const params = request.params;
    const text = await this.#clients.run(
      async (client) => {
        const startedAt = Date.now();
        // The raw response, read here: the SDK's own parse would add a second deadline race
        // and a copy of the work below. Its client timeout still bounds the body.
        const response = await client.chat.completions
          .create(params as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming, { signal: call.signal, maxRetries: NO_SDK_RETRIES })
          .asResponse();
        // Before the body, so that a body that stalls or is malformed still has its request id.
        call.response(providerResponseFromHeaders(response.headers, REQUEST_ID_HEADER));
        return this.#readBody(response, startedAt, client, params.model);
      },
      (error) => this.#normalise(error, this.#scope(params.model, call), call),
      call,
    );
    let completion: unknown;
    try {
      completion = JSON.parse(text);
    } catch {
      throw malformedResponse(this.#scope(params.model, call), 'the body is not JSON');
    }
    const checked = wireCompletionSchema.safeParse(completion);
    if (!checked.success) throw malformedResponse(this.#scope(params.model, call), describeIssues(checked.error));
    return completion as ChatCompletion;
  }

  async *stream(request: ChatRequest, call: CallContext): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const params = request.params;
    const scope = this.#scope(params.model, call);
    const response = await this.#clients.run(
      (client) =>
        client.chat.completions
          .create(
            {
              ...params,
              stream: true,
              // Always ask for usage: the gateway needs it; it drops the chunk if the caller did not ask.
              stream_options: { ...params.stream_options, include_usage: true },
            } as OpenAI.Chat.ChatCompletionCreateParamsStreaming,
            { signal: call.signal, maxRetries: NO_SDK_RETRIES },
          )
          .asResponse(),
      (error) => this.#normalise(error, scope, call),
      call,
    );
    // Once the headers are in, before any chunk: a stream cut later still has its request id.
    call.response(providerResponseFromHeaders(response.headers, REQUEST_ID_HEADER));
    if (!response.body) throw malformedResponse(scope, 'the stream response has no body');
    yield* readOpenAIStream(response.body, scope, this.#limits, (usage) => call.usage(usage));
  }

  async embed(request: EmbeddingsRequest, call: CallContext): Promise<CreateEmbeddingResponse> {
    const params = request.params;
    // The raw response, read here as chat's is, so that `limits.maxBodyBytes` applies to it.
    const text = await this.#clients.run(
      async (client) => {
        const startedAt = Date.now();
        const response = await client.embeddings
          .create(params as OpenAI.EmbeddingCreateParams, { signal: call.signal, maxRetries: NO_SDK_RETRIES })
          .asResponse();
        call.response(providerResponseFromHeaders(response.headers, REQUEST_ID_HEADER));
        return this.#readBody(response, startedAt, client, params.model);
      },
      (error) => this.#normalise(error, this.#scope(params.model, call), call),
      call,
    );
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw malformedResponse(this.#scope(params.model, call), 'the body is not JSON');
    }
    const checked = wireEmbeddingsSchema.safeParse(body);
    if (!checked.success) throw malformedResponse(this.#scope(params.model, call), describeIssues(checked.error));
    // As the SDK does: asked for no encoding, it asks the server for base64 (a quarter of the
    // bytes) and hands back numbers.
    if (!params.encoding_format) {
      for (const item of (body as { data: Array<{ embedding: number[] | string }> }).data) {
        if (typeof item.embedding !== 'string') continue;
        const floats = float32FromBase64(item.embedding);
        if (!floats) throw malformedResponse(this.#scope(params.model, call), 'a base64 embedding is not whole float32 values');
        item.embedding = floats;
      }
    }
    return body as CreateEmbeddingResponse;
  }

  /** A raw body, within the client's timeout and the adapter's size limit. */
  #readBody(response: Response, startedAt: number, client: OpenAI, model: string): Promise<string> {
    return readBodyText(response, Math.max(0, startedAt + client.timeout - Date.now()), {
      maxBytes: this.#limits.maxBodyBytes,
      source: { provider: this.provider, model },
    });
  }
}

/** Little-endian float32 values from base64, as the `openai` SDK decodes them; `undefined` if not whole values. */
function float32FromBase64(text: string): number[] | undefined {
  const bytes = Buffer.from(text, 'base64');
  if (bytes.byteLength % Float32Array.BYTES_PER_ELEMENT !== 0) return undefined;
  // A Float32Array view needs an aligned offset; a pooled Buffer may not have one.
  const aligned = bytes.byteOffset % Float32Array.BYTES_PER_ELEMENT === 0 ? bytes : new Uint8Array(bytes);
  return Array.from(new Float32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / Float32Array.BYTES_PER_ELEMENT));
}

/** What the adapter calls on the client; another provider's client (or none) has none of it. */
function isOpenAIClient(client: unknown): client is OpenAI {
  const candidate = client as Partial<OpenAI> | null | undefined;
  return (
    typeof candidate?.chat?.completions?.create === 'function' &&
    typeof candidate.embeddings?.create === 'function' &&
    typeof candidate.withOptions === 'function'
  );
}

/**
 * An adapter over an `openai` client: `openai({ client: new OpenAI() })`. Also serves any
 * OpenAI-compatible server through the client's `baseURL`.
 */
export function openai(options: OpenAIAdapterOptions): ProviderAdapter {
  return new OpenAIAdapter(options);
}
