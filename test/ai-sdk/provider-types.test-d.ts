// Type-level: the provider and its models are what `ai` expects, with no cast (checked by `tsc -p tsconfig.json`).
import type { EmbeddingModelV4, LanguageModelV4, ProviderV4 } from '@ai-sdk/provider';
import { createGateway } from '@switchyard/core';
import { switchyard } from '@switchyard/ai-sdk';
import { scriptedAdapter } from '@switchyard/testing';
import { createProviderRegistry, customProvider, type EmbeddingModel, type LanguageModel } from 'ai';

const gateway = createGateway({ providers: { test: scriptedAdapter({}) } });
const provider = switchyard(gateway);
const scoped = switchyard(gateway.scope({ principal: { id: 'tenant' } }));

export const asLanguageModel: LanguageModel = provider('fast');
export const fromMethod: LanguageModelV4 = provider.languageModel('openai/gpt-4.1');
export const asEmbeddingModel: EmbeddingModel = provider.embeddingModel('vectors');
export const asEmbeddingV4: EmbeddingModelV4 = scoped.embeddingModel('vectors');
export const asProvider: ProviderV4 = provider;
export const registry = createProviderRegistry({ switchyard: provider });
export const custom = customProvider({ languageModels: { fast: provider('fast') }, fallbackProvider: provider });
