// What the provider calls: a gateway or a scoped client, both with OpenAI's `chat.completions` and `embeddings`.
import type { ChatCompletions, Embeddings } from '@switchyard/core';

/** `createGateway(...)` or `gateway.scope(...)`: anything with the gateway's two front doors. */
export interface SwitchyardClient {
  readonly chat: { readonly completions: ChatCompletions };
  readonly embeddings: Embeddings;
}
