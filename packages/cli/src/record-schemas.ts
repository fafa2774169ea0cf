// Zod schemas of the two input formats the report reads: usage event records (docs/events.md) and audit log lines (docs/audit.md).
import { z } from 'zod';

/** The event schema version this report was written for (`EVENT_SCHEMA_VERSION` of @switchyard/core). */
export const SUPPORTED_EVENT_VERSION = 1;

const count = z.number().finite().nonnegative();

/** `Usage` as records carry it; only the fields the report reads are required. */
const usageSchema = z
  .object({
    inputTokens: count,
    outputTokens: count,
    totalTokens: count.optional(),
  })
  .loose();

/** `CallCost`: `usd` is `null` when a model has no price. */
const costSchema = z.object({ usd: z.number().finite().nullable() }).loose();

const principalSchema = z
  .object({
    id: z.string(),
    teams: z.array(z.string()).optional(),
  })
  .loose();

/** What every versioned event record has. The rest depends on its `type`. */
export const eventEnvelopeSchema = z
  .object({
    v: z.number(),
    type: z.string(),
    requestId: z.string(),
    timestamp: z.number().finite(),
  })
  .loose();

export const requestEndSchema = z
  .object({
    type: z.literal('request.end'),
    route: z.string(),
    outcome: z.enum(['success', 'error', 'aborted', 'abandoned']),
    provider: z.string().optional(),
    model: z.string().optional(),
    served: z.enum(['provider', 'middleware']).optional(),
    totalUsage: usageSchema.optional(),
    cost: costSchema.optional(),
    latencyMs: z.number().finite(),
    principal: principalSchema.optional(),
    tags: z.array(z.string()),
  })
  .loose();

export const cacheHitSchema = z
  .object({
    type: z.literal('cache.hit'),
    savedUsd: z.number().finite().nullable().optional(),
    /** The provider key and model that made the cached answer: the request's model when its request.end has none. */
    provider: z.string().optional(),
    model: z.string().optional(),
  })
  .loose();

/** Event types of version 1 that the report does not count, but knows: they are neither malformed nor unknown. */
export const KNOWN_UNCOUNTED_TYPES: ReadonlySet<string> = new Set([
  'request.start',
  'attempt.end',
  'attempt.retry',
  'deployment.cooldown',
  'deployment.probing',
  'deployment.recovered',
  'cache.miss',
  'cache.store',
  'access.denied',
  'limit.exceeded',
  'budget.exceeded',
  'budget.threshold',
  'residency.denied',
  'guardrail.verdict',
]);

/** One audit log line (docs/audit.md#a-line). The MAC is not checked here: that is `verifyAuditLog`'s job. */
export const auditLineSchema = z
  .object({
    seq: z.number().int().positive(),
    time: z.iso.datetime({ offset: true }),
    prev: z.string(),
    mac: z.string(),
    requestId: z.string(),
    route: z.string(),
    principal: principalSchema.nullable(),
    tags: z.array(z.string()),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    outcome: z.enum(['success', 'error', 'aborted', 'abandoned', 'unfinished']),
    usage: usageSchema.nullable(),
    cost: costSchema.nullable(),
    latencyMs: z.number().finite(),
    decisions: z.array(z.object({ kind: z.string(), hit: z.boolean().optional() }).loose()),
  })
  .loose();
