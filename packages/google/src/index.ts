export { google, type GoogleAdapterOptions } from './google-adapter.js';
export type { GenAIClient } from './genai-transport.js';
export type { GenerativeAIClient, GenerativeAIRequestOptions } from './generative-ai-transport.js';
export { DEFAULT_GEMINI_THINKING_BUDGETS, toGeminiRequest, type GeminiThinkingBudgets, type ImageFetchOptions } from './to-gemini-request.js';
export { fromGeminiResponse } from './from-gemini-response.js';
export { GeminiStreamTranslator } from './gemini-stream-translator.js';
export { normaliseGeminiError, retryDelayMs } from './normalise-gemini-error.js';
export { toGeminiSchema } from './to-gemini-schema.js';
