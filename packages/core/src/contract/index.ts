// contract/: the OpenAI-shaped zod schemas and types callers send and receive; imports only errors/.
export * from './shared-schemas.js';
export * from './extensions.js';
export * from './chat-messages.js';
export * from './chat-params.js';
export * from './chat-completion.js';
export * from './chat-chunk.js';
export * from './embeddings.js';
export * from './validate-fields.js';
