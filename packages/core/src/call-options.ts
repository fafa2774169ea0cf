import { z } from 'zod';

/** Who is making a call; carried into events now, enforced by governance rules later. */
export interface Principal {
  id: string;
  teams?: string[] | undefined;
  roles?: string[] | undefined;
}

export type MetadataValue = string | number | boolean;
export type RequestMetadata = Record<string, MetadataValue>;

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
  /** Total time allowed for the call in milliseconds, including the whole stream. */
  timeout?: number | undefined;
  /** Time allowed for each attempt until its answer (for a stream: its first chunk), in ms. */
  attemptTimeout?: number | undefined;
  /** Streams: time allowed until the first chunk of an attempt, in ms. */
  firstChunkTimeout?: number | undefined;
  /** Streams: longest silence allowed between two chunks, in ms. */
  idleTimeout?: number | undefined;
  /** Overrides the gateway's retry policy for this call; `false` makes one try per target. */
  retry?: RetryOptions | false | undefined;
  principal?: Principal | undefined;
  metadata?: RequestMetadata | undefined;
  tags?: string[] | undefined;
}

export const retryOptionsSchema = z
  .object({
    retries: z.number().int().nonnegative().optional(),
    minDelayMs: z.number().nonnegative().finite().optional(),
    maxDelayMs: z.number().nonnegative().finite().optional(),
    factor: z.number().min(1).finite().optional(),
    maxRetryAfterMs: z.number().nonnegative().finite().optional(),
  })
  .strict();

export const principalSchema = z.object({
  id: z.string().min(1),
  teams: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
});

export const callOptionsSchema = z
  .object({
    signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
    timeout: z.number().positive().finite().optional(),
    attemptTimeout: z.number().positive().finite().optional(),
    firstChunkTimeout: z.number().positive().finite().optional(),
    idleTimeout: z.number().positive().finite().optional(),
    retry: z.union([z.literal(false), retryOptionsSchema]).optional(),
    principal: principalSchema.optional(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    tags: z.array(z.string()).optional(),
  })
  .strict();
