export type { InputModality, ModelFacts, ModelModalities, ModelPrices, OutputModality, PriceTier, TokenPrices } from './model-facts.js';
export { mergeFacts } from './model-facts.js';
export { BUILT_IN_MODELS, type BuiltInModel } from './built-in-models.js';
export { ModelCatalog, builtInEntry, modelFacts } from './lookup.js';
