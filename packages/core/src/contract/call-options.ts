import { z } from 'zod';
import { objectErrors } from '../errors/option-messages.js';

/** Who is making a call: what governance rules match (docs/governance.md), carried into events. */
export interface Principal {
  id: string;
  teams?: string[] | undefined;
  roles?: string[] | undefined;
}

/** A metadata value: a string (rules match it with globs; events carry it as given). */
export type MetadataValue = string;
/** Free-form labels of a call, string to string: at most `METADATA_LIMITS.entries` entries of bounded size. */
export type RequestMetadata = Record<string, MetadataValue>;

/** Bounds on a call's metadata, so that labels taken from callers cannot grow events, logs or store keys without limit. */
export const METADATA_LIMITS = Object.freeze({ entries: 64, keyLength: 128, valueLength: 1024 });

/** Retrying one target: exponential backoff with jitter, Retry-After honoured up to a cap. */
export interface RetryOptions {
  /** Tries after the first, per target (default 2). */
  retries?: number | undefined;
  /** First backoff in ms (default 250), multiplied by `factor` (default 2) each time, up to `maxDelayMs` (default 8000). */
  minDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  factor?: number | undefined;
  /** Longest Retry-After the gateway waits for, in ms (default 20000); a longer one moves on to the next target. */
  maxRetryAfterMs?: number | undefined;
}

/** Per-call gateway controls: the second argument of every `create` call. */
export interface CallOptions {
  /** Aborts the call; reaches the SDK request and ends a stream promptly. */
  signal?: AbortSignal | undefined;
  /** Total time allowed for the call in milliseconds, including the whole stream. Like every timeout, at most 2_147_483_647 (about 24.8 days). */
  timeout?: number | undefined;
  /** Time allowed for each attempt until its answer (for a stream: its first chunk), in ms. */
  attemptTimeout?: number | undefined;
  /** Streams: time allowed until the first chunk of an attempt, in ms. */
  firstChunkTimeout?: number | undefined;
  /** Streams: longest silence allowed between two chunks, in ms. */
  idleTimeout?: number | undefined;
  /** Overrides the gateway's retry policy for this call; `false` makes one try per target. */
  retry?: RetryOptions | false | undefined;
  /** Who is calling: what access rules, limits and budgets match (docs/governance.md). */
  principal?: Principal | undefined;
  /** Free-form labels, string to string (at most 64 entries, keys up to 128 and values up to 1024 characters). */
  metadata?: RequestMetadata | undefined;
  tags?: string[] | undefined;
  /**
   * Residency: the regions (globs, e.g. `'eu-*'`) this call may be served in. Only targets
   * whose `region` matches one of them are tried; a target with no region never is
   * (docs/governance.md). It narrows whatever a scope or a residency rule allows, never widens it.
   */
  regions?: string[] | undefined;
  /** This call's use of the response cache (docs/caching.md); ignored when the gateway has no `cache`. */
  cache?: CallCacheOptions | undefined;
}

/** Per-call cache controls (docs/caching.md). */
export interface CallCacheOptions {
  /** Skip the lookup (and joining an identical call in flight) and call the provider; the answer is still stored. */
  noCache?: boolean | undefined;
  /** Do not store this call's answer (a lookup still happens). */
  noStore?: boolean | undefined;
  /** Lifetime of the entry this call stores, in ms (default: the cache's `ttlMs`). */
  ttlMs?: number | undefined;
  /** Look up and store in this namespace (default: the cache's `namespace`). */
  namespace?: string | undefined;
}

/**
 * The longest delay a Node.js timer holds: 2^31 - 1 ms, about 24.8 days. A longer one
 * fires after 1 ms instead (with a TimeoutOverflowWarning), so a 30-day timeout would
 * time out at once; every duration that reaches a timer is refused above it.
 */
export const MAX_TIMER_MS = 2_147_483_647;

/** A duration that arms a timer, in ms: at most `max` (the timer limit unless said otherwise). */
export function timerMsSchema(options: { allowZero?: boolean; max?: number } = {}) {
  const max = options.max ?? MAX_TIMER_MS;
  const base = options.allowZero ? z.number().nonnegative() : z.number().positive();
  return base
    .finite()
    .max(max, `Too big: at most ${max} ms (about 24.8 days), the longest a Node.js timer can wait`);
}

const timeoutSchema = timerMsSchema().optional();
const delaySchema = timerMsSchema({ allowZero: true }).optional();

const retryOptionsShape = {
  retries: z.number().int().nonnegative().optional(),
  minDelayMs: delaySchema,
  maxDelayMs: delaySchema,
  factor: z.number().min(1).finite().optional(),
  maxRetryAfterMs: delaySchema,
} satisfies { [K in keyof Required<RetryOptions>]: z.ZodType<RetryOptions[K]> };

/**
 * What a retry policy accepts, wherever one is given (a call's options, `routing.retry`, a
 * route's or target's `retry`); every value it accepts is one p-retry accepts too.
 */
export const retryOptionsSchema = z.object(retryOptionsShape, objectErrors(retryOptionsShape, '{ retries?, minDelayMs?, maxDelayMs?, factor?, maxRetryAfterMs? }')).strict();

/** A cache namespace: part of every entry's key, so that one can be cleared on its own. */
export const cacheNamespaceSchema = z.string().min(1, 'must be a non-empty string').max(200, 'must be at most 200 characters');

/** An entry's lifetime in ms: a whole number ≥ 1 (it never arms a timer, so no timer limit applies). */
export const cacheTtlMsSchema = z.number().int('must be a whole number of ms').positive('must be ≥ 1 ms').max(Number.MAX_SAFE_INTEGER);

const callCacheOptionsShape = {
  noCache: z.boolean().optional(),
  noStore: z.boolean().optional(),
  ttlMs: cacheTtlMsSchema.optional(),
  namespace: cacheNamespaceSchema.optional(),
} satisfies { [K in keyof Required<CallCacheOptions>]: z.ZodType<CallCacheOptions[K]> };

const labelSchema = (what: string) => z.string().min(1, `${what} must be a non-empty string`).max(200, `${what} must be at most 200 characters`);

export const principalSchema = z
  .object({
    id: labelSchema('a principal id'),
    teams: z.array(labelSchema('a team')).max(100, 'at most 100 teams').optional(),
    roles: z.array(labelSchema('a role')).max(100, 'at most 100 roles').optional(),
  })
  .strict();

export const callMetadataSchema = z
  .record(
    z.string().min(1, 'metadata keys must be non-empty').max(METADATA_LIMITS.keyLength, `metadata keys must be at most ${METADATA_LIMITS.keyLength} characters`),
    z.string('metadata values must be strings (convert numbers and booleans with String())').max(METADATA_LIMITS.valueLength, `metadata values must be at most ${METADATA_LIMITS.valueLength} characters`),
  )
  .refine((metadata) => Object.keys(metadata).length <= METADATA_LIMITS.entries, `at most ${METADATA_LIMITS.entries} metadata entries`);

/** A list of region globs: residency (docs/governance.md). */
export const regionsSchema = z.array(labelSchema('a region'), 'must be a list of regions, e.g. [\'eu-*\']').min(1, 'list at least one region');

export const callOptionsSchema = z
  .object({
    signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
    timeout: timeoutSchema,
    attemptTimeout: timeoutSchema,
    firstChunkTimeout: timeoutSchema,
    idleTimeout: timeoutSchema,
    retry: z.union([z.literal(false), retryOptionsSchema]).optional(),
    principal: principalSchema.optional(),
    metadata: callMetadataSchema.optional(),
    tags: z.array(labelSchema('a tag')).max(100, 'at most 100 tags').optional(),
    regions: regionsSchema.optional(),
    cache: z.object(callCacheOptionsShape, objectErrors(callCacheOptionsShape, '{ noCache?, noStore?, ttlMs?, namespace? }')).strict().optional(),
  })
  .strict();
