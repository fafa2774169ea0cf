import { z } from 'zod';

/** Who is making a call; carried into events now, enforced by governance rules later. */
export interface Principal {
  id: string;
  teams?: string[] | undefined;
  roles?: string[] | undefined;
}

export type MetadataValue = string | number | boolean;
export type RequestMetadata = Record<string, MetadataValue>;

/** Per-call gateway controls: the second argument of every `create` call. */
export interface CallOptions {
  /** Aborts the call; reaches the SDK request and ends a stream promptly. */
  signal?: AbortSignal | undefined;
  /** Total time allowed for the call in milliseconds, including the whole stream. */
  timeout?: number | undefined;
  principal?: Principal | undefined;
  metadata?: RequestMetadata | undefined;
  tags?: string[] | undefined;
}

export const principalSchema = z.object({
  id: z.string().min(1),
  teams: z.array(z.string()).optional(),
  roles: z.array(z.string()).optional(),
});

export const callOptionsSchema = z
  .object({
    signal: z.custom<AbortSignal>((value) => value instanceof AbortSignal, 'must be an AbortSignal').optional(),
    timeout: z.number().positive().finite().optional(),
    principal: principalSchema.optional(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    tags: z.array(z.string()).optional(),
  })
  .strict();
