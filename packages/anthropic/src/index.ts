export { anthropic, type AnthropicAdapterOptions } from './anthropic-adapter.js';
export { DEFAULT_THINKING_BUDGETS, FALLBACK_MAX_TOKENS, defaultMaxTokens, type ThinkingBudgets } from './model-catalog.js';
export { normaliseAnthropicError } from './normalise-anthropic-error.js';
export { toAnthropicRequest, type AnthropicRequest, type AnthropicRequestBody, type ResponsePlan } from './to-anthropic-request.js';
export { fromAnthropicMessage } from './from-anthropic-message.js';
export { AnthropicStreamTranslator } from './anthropic-stream-translator.js';
