/** Doc-example prelude `adapter-types`: the types an adapter's shape is written in. */
export type {
  CallContext,
  Capabilities,
  ChatCompletion,
  ChatCompletionChunk,
  ChatRequest,
  CreateEmbeddingResponse,
  EmbeddingsRequest,
} from '@switchyard/core';
