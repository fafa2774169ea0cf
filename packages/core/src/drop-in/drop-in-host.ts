// What the drop-in front doors (wrapped SDK clients, the in-process fetch) need of the gateway: its front door, and what a model name means to it.
import type { CallOptions } from '../contract/call-options.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from '../contract/embeddings.js';
import type { CallPromise } from '../pipeline/call-promise.js';
import type { ChatCompletionStream } from '../pipeline/chat-completion-stream.js';

/** The gateway (or one of its scopes) as a drop-in front door calls it; `reload()` applies to every call made through it. */
export interface DropInHost {
  /** A chat call through the gateway's front door, exactly as `gateway.chat.completions.create` (the bound scope's, when there is one). */
  chat(params: ChatCompletionCreateParams, options: CallOptions | undefined): CallPromise<ChatCompletion | ChatCompletionStream>;
  /** An embeddings call, as `gateway.embeddings.create`. */
  embed(params: EmbeddingCreateParams, options: CallOptions | undefined): CallPromise<CreateEmbeddingResponse>;
  /** Whether `model` is a configured route or a `'<provider>/<model>'` target of a configured provider, in the config in use now. */
  knowsModel(model: string): boolean;
  /** The key of the configured provider whose adapter calls through `client` (the very SDK client object), if any. */
  providerOf(client: object): string | undefined;
}
