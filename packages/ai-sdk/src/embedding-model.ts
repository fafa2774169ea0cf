// The gateway as an EmbeddingModelV4: doEmbed over `embeddings.create`.
import type { EmbeddingModelV4, EmbeddingModelV4CallOptions, EmbeddingModelV4Result, SharedV4Warning } from '@ai-sdk/provider';
import type { EmbeddingCreateParams } from '@switchyard/core';
import { callMetadata } from './call-metadata.js';
import { EMBEDDINGS_URL, toAiSdkError } from './map-error.js';
import { gatewayCallOptions, parseProviderOptions, PROVIDER_OPTIONS_KEY, type SwitchyardSettings } from './switchyard-options.js';
import type { SwitchyardClient } from './switchyard-client.js';

/** OpenAI's limit of inputs per embeddings request; the AI SDK splits `embedMany` into requests of at most this many. */
export const DEFAULT_MAX_EMBEDDINGS_PER_CALL = 2048;

export class SwitchyardEmbeddingModel implements EmbeddingModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'switchyard.embedding';
  readonly modelId: string;
  readonly maxEmbeddingsPerCall: number;
  /** Calls are independent: the gateway's limits, not the AI SDK, decide how many run at once. */
  readonly supportsParallelCalls = true;
  readonly #client: SwitchyardClient;
  readonly #settings: SwitchyardSettings;

  constructor(modelId: string, client: SwitchyardClient, settings: SwitchyardSettings) {
    this.modelId = modelId;
    this.#client = client;
    this.#settings = settings;
    this.maxEmbeddingsPerCall = settings.maxEmbeddingsPerCall ?? DEFAULT_MAX_EMBEDDINGS_PER_CALL;
  }

  async doEmbed(options: EmbeddingModelV4CallOptions): Promise<EmbeddingModelV4Result> {
    const call = parseProviderOptions(options.providerOptions);
    const warnings: SharedV4Warning[] = [];
    const params: EmbeddingCreateParams = { model: this.modelId, input: options.values };
    if (options.dimensions !== undefined) params.dimensions = options.dimensions;
    if (call.user !== undefined) params.user = call.user;
    for (const key of ['parallelToolCalls', 'reasoningEffort', 'strictJsonSchema'] as const) {
      if (call[key] !== undefined) warnings.push({ type: 'unsupported', feature: `providerOptions.${PROVIDER_OPTIONS_KEY}.${key}`, details: 'It applies to chat models only.' });
    }
    let result;
    try {
      result = await this.#client.embeddings.create(params, gatewayCallOptions(this.#settings, call, options.abortSignal)).withMeta();
    } catch (error) {
      throw toAiSdkError(error, { url: EMBEDDINGS_URL, requestBody: params, aiSdkRetries: this.#settings.aiSdkRetries ?? false });
    }
    const { data: response, meta } = result;
    const finished = await meta.finished;
    // The gateway keeps OpenAI's `index`; order by it, as the spec wants the inputs' order.
    const embeddings = [...response.data].sort((a, b) => a.index - b.index).map((item) => item.embedding);
    return {
      embeddings,
      usage: { tokens: response.usage.prompt_tokens },
      providerMetadata: { [PROVIDER_OPTIONS_KEY]: callMetadata(finished) },
      response: { ...(finished.response ? { headers: { ...finished.response.headers } } : {}), body: response },
      warnings,
    };
  }
}
