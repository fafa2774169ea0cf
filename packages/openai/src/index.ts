export { openai, type OpenAIAdapterOptions } from './openai-adapter.js';
export { normaliseOpenAIError } from './normalise-openai-error.js';
