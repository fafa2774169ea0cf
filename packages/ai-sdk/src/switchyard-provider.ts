// `switchyard(gateway, settings)`: the gateway as an AI SDK provider (ProviderV4), callable with a model id.
import { NoSuchModelError, type ProviderV4 } from '@ai-sdk/provider';
import { SwitchyardEmbeddingModel } from './embedding-model.js';
import { SwitchyardLanguageModel } from './language-model.js';
import { parseSettings, type SwitchyardSettings } from './switchyard-options.js';
import type { SwitchyardClient } from './switchyard-client.js';

/** The provider `switchyard()` returns: call it with a route name or `'<provider>/<model>'` for a language model. */
export interface SwitchyardProvider extends ProviderV4 {
  (modelId: string): SwitchyardLanguageModel;
  languageModel(modelId: string): SwitchyardLanguageModel;
  embeddingModel(modelId: string): SwitchyardEmbeddingModel;
  /** The gateway serves chat and embeddings only: always throws `NoSuchModelError`. */
  imageModel(modelId: string): never;
}

/**
 * Makes a gateway (or a scoped client) an AI SDK provider. `settings` are checked now: the
 * gateway call options every call gets (per-call `providerOptions.switchyard` override them),
 * plus `aiSdkRetries`, `supportedUrls` and `maxEmbeddingsPerCall`.
 */
export function switchyard(client: SwitchyardClient, settings?: SwitchyardSettings): SwitchyardProvider {
  const parsed = parseSettings(settings);
  const languageModel = (modelId: string) => new SwitchyardLanguageModel(modelId, client, parsed);
  const provider = Object.assign((modelId: string) => languageModel(modelId), {
    specificationVersion: 'v4' as const,
    languageModel,
    embeddingModel: (modelId: string) => new SwitchyardEmbeddingModel(modelId, client, parsed),
    imageModel: (modelId: string): never => {
      throw new NoSuchModelError({ modelId, modelType: 'imageModel', message: `The Switchyard gateway serves chat and embeddings models only; '${modelId}' cannot be an image model.` });
    },
  });
  return provider;
}
