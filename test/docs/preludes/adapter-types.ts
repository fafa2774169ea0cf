/** Doc-example prelude `adapter-types`: the types an adapter's shape is written in. */
export type { ChatCompletion, ChatCompletionChunk, CreateEmbeddingResponse } from '@switchyard/core';
export type { CallContext, Capabilities, ChatRequest, EmbeddingsRequest } from '@switchyard/core/adapter';
