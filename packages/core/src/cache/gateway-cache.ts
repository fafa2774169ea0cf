import type { CallOptions } from '../contract/call-options.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../contract/embeddings.js';
import { exactCacheKey, type KeyRequest } from './exact-cache-key.js';
import type { ExactCacheKeyFields } from './exact-cache-options.js';

/** What `invalidateNamespace` removed, per tier. */
export interface InvalidatedCount {
  /** Entries dropped from this process's memory. */
  readonly memory: number;
  /** Entries the Store removed (0 without a Store). */
  readonly store: number;
}

/** `gateway.cache`: keys and invalidation of the response cache (docs/caching.md). */
export interface GatewayCache {
  /** Whether the gateway's config has an exact cache; without one every method is a no-op. */
  readonly enabled: boolean;
  /** The key a request's entry has (as in the `cache.*` events' `key`), for `invalidate`. */
  keyOf(params: ChatCompletionCreateParams | EmbeddingCreateParams, options?: CallOptions): string;
  /** Removes one entry from every tier; resolves to whether one was there. */
  invalidate(key: string, options?: { namespace?: string | undefined }): Promise<boolean>;
  /** Removes every entry of a namespace from every tier (the Store's by key prefix). */
  invalidateNamespace(namespace: string): Promise<InvalidatedCount>;
}

/** The request a `keyOf` caller means: embeddings when the params have `input` and no `messages`. */
export function keyRequestOf(params: ChatCompletionCreateParams | EmbeddingCreateParams, options: CallOptions | undefined): KeyRequest {
  if (typeof params !== 'object' || params === null || typeof params.model !== 'string') throw new TypeError('cache.keyOf(params): params must be request params with a `model`.');
  const operation = 'messages' in params || !('input' in params) ? 'chat' : 'embeddings';
  return { operation, params, principal: options?.principal, metadata: options?.metadata };
}

/** `keyOf` for a cache with these key fields. */
export function keyOf(params: ChatCompletionCreateParams | EmbeddingCreateParams, options: CallOptions | undefined, keyFields: ExactCacheKeyFields | undefined): string {
  return exactCacheKey(keyRequestOf(params, options), keyFields);
}

const NOTHING: InvalidatedCount = Object.freeze({ memory: 0, store: 0 });

/** `gateway.cache` of a gateway without a cache: keys still compute (with no key fields), nothing is there to remove. */
export const DISABLED_CACHE: GatewayCache = Object.freeze({
  enabled: false,
  keyOf: (params: ChatCompletionCreateParams | EmbeddingCreateParams, options?: CallOptions) => keyOf(params, options, undefined),
  invalidate: async () => false,
  invalidateNamespace: async () => NOTHING,
});
