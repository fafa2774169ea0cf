import { z } from 'zod';
import { cacheNamespaceSchema, cacheTtlMsSchema } from '../contract/call-options.js';
import { mustBe, objectErrors } from '../errors/option-messages.js';
import type { Store } from '../store/store.js';

/** Per-call values that become part of the key, when asked for: by default no caller's identity is. */
export interface ExactCacheKeyFields {
  /** The request's `user` field (OpenAI's end-user id). Default `false`. */
  user?: boolean | undefined;
  /** The call's principal id (`options.principal.id`). Default `false`. */
  principal?: boolean | undefined;
  /** These keys of the call's `options.metadata` (a tenant, a locale). Default none. */
  metadata?: string[] | undefined;
}

/** What the exact cache was doing when its Store failed (an invalidation's failure rejects instead). */
export type CacheStoreOperation = 'get' | 'set';

/** The exact response cache (docs/caching.md). Every field is optional; `{}` turns it on with the defaults. */
export interface ExactCacheOptions {
  /** The most entries kept in memory (default 1,000). */
  maxEntries?: number | undefined;
  /** The most bytes kept in memory, each entry counted by its serialised size (default 64 MiB). */
  maxBytes?: number | undefined;
  /** How long an entry lives, in ms (default 1 hour); a call may pass its own `options.cache.ttlMs`. */
  ttlMs?: number | undefined;
  /** The namespace calls use unless they name one (default `'default'`). */
  namespace?: string | undefined;
  /** A second tier shared with other processes: read after the in-memory one misses, written through. */
  store?: Store | undefined;
  /** Opt-in parts of the key (default: none, so identical requests share an entry whoever makes them). */
  keyFields?: ExactCacheKeyFields | undefined;
  /** Identical misses in flight at once make one provider call (default `true`). */
  coalesce?: boolean | undefined;
  /** Wall-clock time in epoch ms for ages and expiry (default `Date.now`); entries in a shared Store compare it across processes. */
  now?: (() => number) | undefined;
  /** Told when the Store fails (default: a process warning); the call goes on without the Store. */
  onStoreError?: ((error: unknown, operation: CacheStoreOperation) => void) | undefined;
}

export const EXACT_CACHE_DEFAULTS = {
  maxEntries: 1000,
  maxBytes: 64 * 1024 * 1024,
  ttlMs: 60 * 60 * 1000,
  namespace: 'default',
  coalesce: true,
} as const;

const fn = <F extends (...args: never[]) => unknown>(what: string) => z.custom<F>((value) => typeof value === 'function', `${what} must be a function`);

const STORE_METHODS = ['get', 'set', 'delete', 'deletePrefix'] as const;
const storeSchema = z.custom<Store>((value) => {
  if (typeof value !== 'object' || value === null) return false;
  const store = value as Record<string, unknown>;
  return STORE_METHODS.every((method) => typeof store[method] === 'function');
}, 'must be a Store (get, set, delete, deletePrefix), e.g. createMemoryStore()');

const whole = (what: string) => z.number(mustBe(what)).int(mustBe(what)).positive(mustBe(what)).max(Number.MAX_SAFE_INTEGER, mustBe(what));

const keyFieldsShape = {
  user: z.boolean(mustBe('true or false')).optional(),
  principal: z.boolean(mustBe('true or false')).optional(),
  metadata: z.array(z.string().min(1), mustBe('a list of metadata keys')).optional(),
} satisfies { [K in keyof Required<ExactCacheKeyFields>]: z.ZodType<ExactCacheKeyFields[K]> };

const exactCacheShape = {
  maxEntries: whole('a whole number of entries ≥ 1').optional(),
  maxBytes: whole('a whole number of bytes ≥ 1').optional(),
  ttlMs: cacheTtlMsSchema.optional(),
  namespace: cacheNamespaceSchema.optional(),
  store: storeSchema.optional(),
  keyFields: z.object(keyFieldsShape, objectErrors(keyFieldsShape, '{ user?, principal?, metadata? }')).strict().optional(),
  coalesce: z.boolean(mustBe('true or false')).optional(),
  now: fn<() => number>('cache.exact.now').optional(),
  onStoreError: fn<(error: unknown, operation: CacheStoreOperation) => void>('cache.exact.onStoreError').optional(),
} satisfies { [K in keyof Required<ExactCacheOptions>]: z.ZodType<ExactCacheOptions[K]> };

/** What `cache.exact` accepts. */
export const exactCacheOptionsSchema = z
  .object(exactCacheShape, objectErrors(exactCacheShape, '{ maxEntries?, maxBytes?, ttlMs?, namespace?, store?, keyFields?, coalesce?, now?, onStoreError? }'))
  .strict();
