import { z } from 'zod';
import { cacheNamespaceSchema, cacheTtlMsSchema } from '../contract/call-options.js';
import { mustBe, objectErrors } from '../errors/option-messages.js';
import type { ExactCacheKeyFields } from './exact-cache-options.js';

/** Which calls may use the semantic cache; every field given must match. */
export interface SemanticCacheWhen {
  /** Routes (the `model` the caller asked for) that may use it; `*` is a wildcard. Default: every route. */
  routes?: string[] | undefined;
  /** Principal ids (`options.principal.id`) that may use it; `*` is a wildcard. Default: every caller, with or without a principal. */
  principals?: string[] | undefined;
  /**
   * The highest `temperature` a request may ask for (default 0: only deterministic requests).
   * A request without `temperature` counts as 1, the OpenAI default: it asked for sampling.
   */
  maxTemperature?: number | undefined;
}

/** The semantic response cache (docs/caching.md, "Semantic cache"). `embeddings.model` is required. */
export interface SemanticCacheOptions {
  /** The embeddings model, called through this gateway: a route name or `<provider>/<model>`. */
  embeddings: { model: string };
  /** The least cosine similarity of a hit, above 0 and at most 1 (default 0.95). */
  threshold?: number | undefined;
  /** Which calls may use it (default: temperature-0 requests of every route and caller). */
  when?: SemanticCacheWhen | undefined;
  /** The most entries kept, all scopes and namespaces together; the least recently used go first (default 1,000). */
  maxEntries?: number | undefined;
  /** How long an entry lives, in ms (default 1 hour); a call may pass its own `options.cache.ttlMs`. */
  ttlMs?: number | undefined;
  /** The namespace calls use unless they name one (default `'default'`). */
  namespace?: string | undefined;
  /** The embeddings' length; one of another length skips the cache for that call. Default: learned from the first embedding. */
  dimensions?: number | undefined;
  /** Opt-in parts of the scope, as for the exact cache (default: none, so callers share entries). */
  keyFields?: ExactCacheKeyFields | undefined;
  /** Wall-clock time in epoch ms for ages and expiry (default `Date.now`). */
  now?: (() => number) | undefined;
}

export const SEMANTIC_CACHE_DEFAULTS = {
  threshold: 0.95,
  maxTemperature: 0,
  maxEntries: 1000,
  ttlMs: 60 * 60 * 1000,
  namespace: 'default',
} as const;

/** A request without `temperature` samples at the provider's default, OpenAI's 1. */
export const UNSET_TEMPERATURE = 1;

const whole = (what: string) => z.number(mustBe(what)).int(mustBe(what)).positive(mustBe(what)).max(Number.MAX_SAFE_INTEGER, mustBe(what));
const globs = z.array(z.string().min(1, 'must be a non-empty pattern'), mustBe('a list of patterns (`*` is a wildcard)'));

const embeddingsShape = {
  model: z.string(mustBe('a route name or <provider>/<model>')).min(1, 'must be a route name or <provider>/<model>'),
};

const whenShape = {
  routes: globs.optional(),
  principals: globs.optional(),
  maxTemperature: z.number(mustBe('a temperature from 0 to 2')).min(0, 'must be a temperature from 0 to 2').max(2, 'must be a temperature from 0 to 2').optional(),
} satisfies { [K in keyof Required<SemanticCacheWhen>]: z.ZodType<SemanticCacheWhen[K]> };

const keyFieldsShape = {
  user: z.boolean(mustBe('true or false')).optional(),
  principal: z.boolean(mustBe('true or false')).optional(),
  metadata: z.array(z.string().min(1), mustBe('a list of metadata keys')).optional(),
} satisfies { [K in keyof Required<ExactCacheKeyFields>]: z.ZodType<ExactCacheKeyFields[K]> };

const semanticCacheShape = {
  embeddings: z.object(embeddingsShape, objectErrors(embeddingsShape, '{ model }')).strict(),
  threshold: z.number(mustBe('a cosine similarity above 0, at most 1')).gt(0, 'must be a cosine similarity above 0, at most 1').max(1, 'must be a cosine similarity above 0, at most 1').optional(),
  when: z.object(whenShape, objectErrors(whenShape, '{ routes?, principals?, maxTemperature? }')).strict().optional(),
  maxEntries: whole('a whole number of entries ≥ 1').optional(),
  ttlMs: cacheTtlMsSchema.optional(),
  namespace: cacheNamespaceSchema.optional(),
  dimensions: z.number(mustBe('a whole number from 1 to 65536')).int(mustBe('a whole number from 1 to 65536')).min(1, mustBe('a whole number from 1 to 65536')).max(65_536, mustBe('a whole number from 1 to 65536')).optional(),
  keyFields: z.object(keyFieldsShape, objectErrors(keyFieldsShape, '{ user?, principal?, metadata? }')).strict().optional(),
  now: z.custom<() => number>((value) => typeof value === 'function', 'cache.semantic.now must be a function').optional(),
} satisfies { [K in keyof Required<SemanticCacheOptions>]: z.ZodType<SemanticCacheOptions[K]> };

/** What `cache.semantic` accepts. */
export const semanticCacheOptionsSchema = z
  .object(semanticCacheShape, objectErrors(semanticCacheShape, '{ embeddings, threshold?, when?, maxEntries?, ttlMs?, namespace?, dimensions?, keyFields?, now? }'))
  .strict();
