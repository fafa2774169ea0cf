import type { ProviderAdapter } from '../adapter/adapter.js';
import type { CallOptions, Principal, RequestMetadata } from '../contract/call-options.js';
import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from '../contract/embeddings.js';
import type { AttemptInfo, CallEnd, EndHook } from './call-meta.js';
import type { CallState } from './state-key.js';

export type Operation = 'chat' | 'embeddings';

/** What a call produces. A middleware that needs to see chunks wraps `stream`. */
export type Result =
  | { kind: 'completion'; completion: ChatCompletion }
  | { kind: 'stream'; stream: AsyncIterable<ChatCompletionChunk> }
  | { kind: 'embeddings'; response: CreateEmbeddingResponse };

export interface RequestContextBase {
  readonly requestId: string;
  /** The `model` the caller asked for (a route name or `<provider>/<model>`), as first given. */
  readonly route: string;
  readonly stream: boolean;
  readonly options: CallOptions;
  readonly principal: Principal | undefined;
  readonly metadata: RequestMetadata;
  readonly tags: readonly string[];
  /** Aborts when the caller aborts or the call times out. */
  readonly signal: AbortSignal | undefined;
  /** Per-call state shared by the middleware of one call, through typed keys (`createStateKey`). */
  readonly state: CallState;
  /**
   * Runs `hook` once when the call has ended (its stream included): with the outcome, usage,
   * attempts, cost slot and timing. This is where accounting belongs; docs/architecture.md
   * ("How a call ends") gives the order in which end work runs.
   */
  onEnd(hook: EndHook<CallEnd>): void;
}

/**
 * One call, as the request chain sees it (once per call). `params` may be replaced or
 * changed before `next()`; the router reads `params.model` after the chain.
 */
export type RequestContext =
  | (RequestContextBase & { readonly operation: 'chat'; params: ChatCompletionCreateParams })
  | (RequestContextBase & { readonly operation: 'embeddings'; params: EmbeddingCreateParams });

export interface AttemptContextBase {
  readonly request: RequestContext;
  /** 1 for the first try. */
  readonly attempt: number;
  /** Key of the provider in the gateway's `providers`. */
  readonly provider: string;
  /** The provider's model name. */
  readonly model: string;
  readonly adapter: ProviderAdapter;
  readonly signal: AbortSignal | undefined;
  /** Runs `hook` once when this attempt has ended (a stream's attempt: when its stream ends). */
  onEnd(hook: EndHook<AttemptInfo>): void;
}

/** One try against one target, as the attempt chain sees it. `params.model` is the provider's model. */
export type AttemptContext =
  | (AttemptContextBase & { readonly operation: 'chat'; params: ChatCompletionCreateParams })
  | (AttemptContextBase & { readonly operation: 'embeddings'; params: EmbeddingCreateParams });

export type Next = () => Promise<Result>;

/**
 * A middleware is a named pair of optional onion hooks. `request` runs once per call,
 * around routing; `attempt` runs once per try, around the provider call.
 */
export interface Middleware {
  readonly name: string;
  request?(ctx: RequestContext, next: Next): Promise<Result>;
  attempt?(ctx: AttemptContext, next: Next): Promise<Result>;
}
