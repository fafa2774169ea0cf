import { UnsupportedFeatureError, type ChatCompletion, type ChatCompletionChunk, type CreateEmbeddingResponse } from '@switchyard/core';
import {
  endpointOf,
  type AdapterEndpoint,
  invalidClientError,
  malformedResponse,
  truncatedStream,
  usageFromCompletionUsage,
  type CallContext,
  type Capabilities,
  type ChatRequest,
  type EmbeddingsRequest,
  type ErrorScope,
  type ProviderAdapter,
} from '@switchyard/core/adapter';
import { droppedEmbeddingParams } from './dropped-params.js';
import { expectedCandidates } from './end-at-finish.js';
import { fromGeminiResponse, toCompletionUsage } from './from-gemini-response.js';
import { GeminiStreamTranslator } from './gemini-stream-translator.js';
import type { EmbedResult, GeminiTransport } from './gemini-transport.js';
import { wireEmbeddingSchema, wireResponseSchema, type GeminiRequest } from './gemini-wire.js';
import { genAITransport, isGenAIClient, type GenAIClient } from './genai-transport.js';
import { generativeAITransport, isGenerativeAIClient, type GenerativeAIClient, type GenerativeAIRequestOptions } from './generative-ai-transport.js';
import { imageFetchOptions } from './image-fetch-options.js';
import { normaliseGeminiError } from './normalise-gemini-error.js';
import { ProviderResponseReporter } from './provider-response-reporter.js';
import {
  DEFAULT_GEMINI_THINKING_BUDGETS,
  translateGeminiRequest,
  type GeminiThinkingBudgets,
  type ImageFetchOptions,
} from './to-gemini-request.js';

export interface GoogleAdapterOptions {
  /** A `GoogleGenerativeAI` (`@google/generative-ai`) or `GoogleGenAI` (`@google/genai`) client. */
  client: GenerativeAIClient | GenAIClient;
  /** `@google/generative-ai` only: its client holds no base URL or API version; give them here. */
  requestOptions?: GenerativeAIRequestOptions;
  /** A key to scrub from errors besides the client's own, which the adapter reads off either client itself. */
  apiKey?: string;
  /** Provider family reported by the adapter (default `google`). */
  provider?: string;
  /** Thinking budget (tokens) per `reasoning_effort`. */
  thinkingBudgets?: Partial<GeminiThinkingBudgets>;
  /**
   * Gemini takes images inline only: http(s) image URLs are fetched within these limits, from
   * public addresses only unless `allowPrivateNetworks` says otherwise (docs/limits.md).
   */
  images?: Partial<ImageFetchOptions>;
  /** Embeddings task type, e.g. `RETRIEVAL_DOCUMENT`, `RETRIEVAL_QUERY`, `SEMANTIC_SIMILARITY`. */
  embeddingTaskType?: string;
  capabilities?: Partial<Capabilities>;
  /**
   * Put the provider's own error text in error messages and events (scrubbed of keys, at
   * most 500 characters). Off by default: providers echo the prompt back in their errors,
   * so messages carry only the status and Google's status name.
   */
  exposeProviderMessages?: boolean;
}

const GEMINI_CAPABILITIES: Capabilities = { stream: true, tools: true, images: true, jsonSchema: true, embeddings: true, reasoning: true };
const nowSeconds = () => Math.floor(Date.now() / 1000);

class GoogleAdapter implements ProviderAdapter {
  readonly provider: string;
  readonly capabilities: Capabilities;
  readonly endpoint: AdapterEndpoint | undefined;
  /** The app's client, which every call goes through. */
  readonly clients: readonly object[];
  readonly #transport: GeminiTransport;
  readonly #budgets: GeminiThinkingBudgets;
  readonly #images: ImageFetchOptions;
  readonly #taskType: string | undefined;
  readonly #secrets: string[];
  readonly #exposeProviderMessages: boolean;

  constructor(options: GoogleAdapterOptions) {
    if (isGenerativeAIClient(options.client)) this.#transport = generativeAITransport(options.client, options.requestOptions);
    else if (isGenAIClient(options.client)) this.#transport = genAITransport(options.client, options.apiKey);
    else {
      throw invalidClientError(
        'google',
        'a `GoogleGenAI` (@google/genai) or `GoogleGenerativeAI` (@google/generative-ai) client',
        '`google({ client: new GoogleGenAI({ apiKey }) })`',
        options.client,
      );
    }
    this.provider = options.provider ?? 'google';
    this.clients = [options.client];
    this.endpoint = endpointOf(this.#transport.baseURL);
    this.capabilities = { ...GEMINI_CAPABILITIES, ...options.capabilities };
    this.#budgets = { ...DEFAULT_GEMINI_THINKING_BUDGETS, ...options.thinkingBudgets };
    this.#images = imageFetchOptions(options.images);
    this.#taskType = options.embeddingTaskType;
    // @google/genai types its key private, but it is a plain property at run time: scrub it too.
    const ownKey: unknown = (options.client as { apiKey?: unknown }).apiKey;
    this.#secrets = [...new Set([this.#transport.apiKey, options.apiKey, ownKey].filter((key): key is string => typeof key === 'string'))];
    this.#exposeProviderMessages = options.exposeProviderMessages === true;
  }

  #scope(model: string, call: CallContext): ErrorScope {
    return { provider: this.provider, model, secrets: this.#secrets, signal: call.signal, exposeProviderMessages: this.#exposeProviderMessages };
  }

  /** The Gemini request, having told the call what the translation dropped or changed. */
  async #translate(request: ChatRequest, call: CallContext): Promise<GeminiRequest> {
    const translation = await translateGeminiRequest(request.params, { images: this.#images, thinkingBudgets: this.#budgets, signal: call.signal });
    for (const warning of translation.warnings) call.warn(warning);
    return translation.request;
  }

  async chat(request: ChatRequest, call: CallContext): Promise<ChatCompletion> {
    const model = request.params.model;
    const scope = this.#scope(model, call);
    const body = await this.#translate(request, call);
    let response: unknown;
    try {
      response = await this.#transport.generate(model, body, call.signal);
    } catch (error) {
      throw normaliseGeminiError(error, scope);
    }
    new ProviderResponseReporter(call).see(this.#transport.headersOf(response));
    const checked = wireResponseSchema.safeParse(response);
    if (!checked.success) throw malformedResponse(scope, 'the response has an unexpected shape');
    return fromGeminiResponse(checked.data, scope, nowSeconds());
  }

  async *stream(request: ChatRequest, call: CallContext): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const model = request.params.model;
    const scope = this.#scope(model, call);
    const body = await this.#translate(request, call);
    const translator = new GeminiStreamTranslator(scope, nowSeconds(), expectedCandidates(body));
    const reporter = new ProviderResponseReporter(call);
    try {
      for await (const response of await this.#transport.stream(model, body, call.signal)) {
        reporter.see(this.#transport.headersOf(response));
        const checked = wireResponseSchema.safeParse(response);
        if (!checked.success) throw malformedResponse(scope, 'a stream event has an unexpected shape');
        // Cumulative in every event: reported as it comes, so a stream cut later still counts what it used.
        const usage = checked.data.usageMetadata;
        if (usage) call.usage(usageFromCompletionUsage(toCompletionUsage(usage)));
        yield* translator.push(checked.data);
      }
    } catch (error) {
      throw normaliseGeminiError(error, scope);
    }
    yield* translator.end();
    if (!translator.complete) throw truncatedStream(scope);
  }

  async embed(request: EmbeddingsRequest, call: CallContext): Promise<CreateEmbeddingResponse> {
    const { model, input, dimensions, encoding_format } = request.params;
    const scope = this.#scope(model, call);
    if (typeof input !== 'string' && input.some((item) => typeof item !== 'string')) {
      throw new UnsupportedFeatureError('token_input', 'Gemini embeds text only; token arrays cannot be sent.', scope);
    }
    const texts = typeof input === 'string' ? [input] : (input as string[]);
    for (const warning of droppedEmbeddingParams(request.params)) call.warn(warning);
    let result: EmbedResult;
    try {
      result = await this.#transport.embed(model, texts, { dimensions, taskType: this.#taskType }, call.signal);
    } catch (error) {
      throw normaliseGeminiError(error, scope);
    }
    new ProviderResponseReporter(call).see(result.headers);
    const vectors = result.embeddings.map((embedding) => {
      const checked = wireEmbeddingSchema.safeParse(embedding);
      if (!checked.success) throw malformedResponse(scope, 'an embedding has an unexpected shape');
      return checked.data.values;
    });
    if (vectors.length !== texts.length) throw malformedResponse(scope, `${vectors.length} embeddings came back for ${texts.length} inputs`);
    return {
      object: 'list',
      model,
      data: vectors.map((vector, index) => ({
        object: 'embedding',
        index,
        // OpenAI's base64 encoding is little-endian float32; the type says number[] as the SDK's does.
        embedding: (encoding_format === 'base64' ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector) as number[],
      })),
      // Gemini reports no token counts for embeddings.
      usage: { prompt_tokens: 0, total_tokens: 0 },
    };
  }
}

/**
 * An adapter over a Gemini client: `google({ client: new GoogleGenAI({ apiKey }) })` or
 * `google({ client: new GoogleGenerativeAI(apiKey) })`.
 */
export function google(options: GoogleAdapterOptions): ProviderAdapter {
  return new GoogleAdapter(options);
}
