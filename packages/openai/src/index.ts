export { openai, type OpenAIAdapterOptions } from './openai-adapter.js';
export { normaliseOpenAIError, type ErrorScope } from './normalise-openai-error.js';
