// One input line classified: a request to count, a fallback or cache hit to join to its request, an event skipped, or a malformed line with why.
import type { z } from 'zod';
import { auditLineSchema, cacheHitSchema, eventEnvelopeSchema, KNOWN_UNCOUNTED_TYPES, requestEndSchema, SUPPORTED_EVENT_VERSION } from './record-schemas.js';

/** A request as the report counts it, from a `request.end` event or an audit line. */
export interface RequestRecord {
  readonly requestId: string;
  /** Epoch ms: the event's `timestamp`, or the audit line's `time`. */
  readonly time: number;
  readonly principal: string | undefined;
  readonly teams: readonly string[];
  readonly tags: readonly string[];
  /** `<provider>/<model>` that served the request (or failed last); `undefined` when no attempt was made. */
  readonly model: string | undefined;
  readonly route: string;
  /** Outcome `error` (and an audit line's `unfinished`). */
  readonly error: boolean;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** `null`: a model without a price; `undefined`: no cost reported (no usage). */
  readonly costUsd: number | null | undefined;
  readonly latencyMs: number;
  /** Audit lines carry their decisions; for events these come from `request.fallback` and `cache.hit` joined by request id. */
  readonly fallbacks: number;
  readonly cacheHit: boolean;
  readonly cacheSavedUsd: number;
}

export type ParsedLine =
  | { readonly kind: 'blank' }
  | { readonly kind: 'malformed'; readonly reason: string }
  | { readonly kind: 'request'; readonly record: RequestRecord; readonly source: 'events' | 'audit' }
  | { readonly kind: 'fallback'; readonly requestId: string; readonly time: number }
  | { readonly kind: 'cache-hit'; readonly requestId: string; readonly time: number; readonly savedUsd: number; readonly model: string | undefined }
  | { readonly kind: 'uncounted'; readonly type: string }
  | { readonly kind: 'unknown'; readonly type: string };

/** Classifies one line (without its newline). Never throws: a line that is not a known record is `malformed`, with a short reason. */
export function parseLine(line: string): ParsedLine {
  if (line.trim() === '') return { kind: 'blank' };
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: 'malformed', reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { kind: 'malformed', reason: 'not a JSON object' };
  if ('seq' in value && 'mac' in value) return auditLine(value);
  if ('v' in value && 'type' in value) return eventLine(value);
  return { kind: 'malformed', reason: 'neither a usage event record ({"v":1,"type":...}) nor an audit log line ({"seq":...,"mac":...})' };
}

function eventLine(value: object): ParsedLine {
  const envelope = eventEnvelopeSchema.safeParse(value);
  if (!envelope.success) return { kind: 'malformed', reason: `event record: ${issue(envelope.error)}` };
  const { v, type, requestId, timestamp } = envelope.data;
  if (v !== SUPPORTED_EVENT_VERSION) return { kind: 'malformed', reason: `event schema version ${v}; this report reads version ${SUPPORTED_EVENT_VERSION}` };
  switch (type) {
    case 'request.end': {
      const end = requestEndSchema.safeParse(value);
      if (!end.success) return { kind: 'malformed', reason: `request.end: ${issue(end.error)}` };
      const event = end.data;
      return {
        kind: 'request',
        source: 'events',
        record: {
          requestId,
          time: timestamp,
          principal: event.principal?.id,
          teams: event.principal?.teams ?? [],
          tags: event.tags,
          model: deployment(event.provider, event.model),
          route: event.route,
          error: event.outcome === 'error',
          inputTokens: event.totalUsage?.inputTokens ?? 0,
          outputTokens: event.totalUsage?.outputTokens ?? 0,
          costUsd: event.cost?.usd,
          latencyMs: event.latencyMs,
          fallbacks: 0,
          cacheHit: false,
          cacheSavedUsd: 0,
        },
      };
    }
    case 'request.fallback':
      return { kind: 'fallback', requestId, time: timestamp };
    case 'cache.hit': {
      const hit = cacheHitSchema.safeParse(value);
      if (!hit.success) return { kind: 'malformed', reason: `cache.hit: ${issue(hit.error)}` };
      return { kind: 'cache-hit', requestId, time: timestamp, savedUsd: hit.data.savedUsd ?? 0, model: deployment(hit.data.provider, hit.data.model) };
    }
    default:
      return KNOWN_UNCOUNTED_TYPES.has(type) ? { kind: 'uncounted', type } : { kind: 'unknown', type };
  }
}

function auditLine(value: object): ParsedLine {
  const parsed = auditLineSchema.safeParse(value);
  if (!parsed.success) return { kind: 'malformed', reason: `audit line: ${issue(parsed.error)}` };
  const line = parsed.data;
  return {
    kind: 'request',
    source: 'audit',
    record: {
      requestId: line.requestId,
      time: Date.parse(line.time),
      principal: line.principal?.id,
      teams: line.principal?.teams ?? [],
      tags: line.tags,
      model: deployment(line.provider ?? undefined, line.model ?? undefined),
      route: line.route,
      error: line.outcome === 'error' || line.outcome === 'unfinished',
      inputTokens: line.usage?.inputTokens ?? 0,
      outputTokens: line.usage?.outputTokens ?? 0,
      costUsd: line.cost === null ? undefined : line.cost.usd,
      latencyMs: line.latencyMs,
      fallbacks: line.decisions.filter((decision) => decision.kind === 'fallback').length,
      // The audit line records that the cache answered, not what it saved.
      cacheHit: line.decisions.some((decision) => decision.kind === 'cache' && decision.hit === true),
      cacheSavedUsd: 0,
    },
  };
}

function deployment(provider: string | undefined, model: string | undefined): string | undefined {
  if (model === undefined) return provider;
  return provider === undefined ? model : `${provider}/${model}`;
}

/** The first problem zod found, as `path: message` (never the value: a line may hold what a report should not print). */
function issue(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const path = first.path.length > 0 ? first.path.map(String).join('.') : '(record)';
  return `${path}: ${first.message}`;
}
