// `@switchyard/ai-sdk`: the Switchyard gateway as a Vercel AI SDK provider (language and embedding models, spec v4).
export { switchyard, type SwitchyardProvider } from './switchyard-provider.js';
export { SwitchyardLanguageModel } from './language-model.js';
export { SwitchyardEmbeddingModel } from './embedding-model.js';
export type { SwitchyardClient } from './switchyard-client.js';
export { switchyardProviderOptionsSchema, type SwitchyardCallDefaults, type SwitchyardProviderOptions, type SwitchyardSettings } from './switchyard-options.js';
