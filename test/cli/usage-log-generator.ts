// A deterministic generator of usage event records as the JSONL sink writes them (docs/events.md), for the report's tests.
import { seededRandom } from '../../packages/core/src/cache/vector-random.js';

/** A small seeded PRNG (core's mulberry32): the same seed gives the same log. */
export { seededRandom };

export const PRINCIPALS = ['ana', 'bo', 'chen', 'dara', 'eli', 'fay'];
export const TEAMS = ['support', 'search', 'billing', 'growth'];
export const TAGS = ['chat', 'batch', 'eval'];
export const MODELS = [
  ['openai', 'gpt-4.1-mini'],
  ['openai', 'gpt-4.1'],
  ['anthropic', 'claude-sonnet-4-6'],
  ['local', 'llama-3.1-8b'],
] as const;
export const ROUTES = ['fast', 'smart', 'cheap'];
export const DAY_MS = 86_400_000;

export type JsonRecord = Record<string, unknown>;

export interface GeneratorOptions {
  /** `request.end` records to generate. */
  requests: number;
  seed?: number;
  /** Epoch ms of the first request; requests spread over `days` days from there. */
  start?: number;
  days?: number;
}

/**
 * Yields the records of `requests` calls in order: for each, sometimes `request.start`, a
 * `request.fallback` (8%), a `cache.hit` with its saving (10%), sometimes an `attempt.end`, then the
 * `request.end`; now and then an event type of a later version (`future.event`).
 */
export function* usageRecords(options: GeneratorOptions): Generator<JsonRecord> {
  const random = seededRandom(options.seed ?? 42);
  const start = options.start ?? Date.UTC(2026, 0, 1);
  const span = (options.days ?? 7) * DAY_MS;
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  for (let index = 0; index < options.requests; index += 1) {
    const requestId = `req-${index.toString(36)}`;
    const timestamp = start + Math.floor((index / options.requests) * span);
    const principalId = random() < 0.05 ? undefined : pick(PRINCIPALS);
    const teams = random() < 0.3 ? [pick(TEAMS), pick(TEAMS)] : random() < 0.8 ? [pick(TEAMS)] : [];
    const tags = random() < 0.5 ? [pick(TAGS)] : random() < 0.5 ? [pick(TAGS), pick(TAGS)] : [];
    const [provider, model] = pick(MODELS);
    const route = pick(ROUTES);
    const principal = principalId === undefined ? undefined : teams.length > 0 ? { id: principalId, teams } : { id: principalId };
    if (random() < 0.2) yield { v: 1, type: 'request.start', requestId, timestamp, operation: 'chat', route, stream: false, ...(principal ? { principal } : {}), metadata: {}, tags };
    if (random() < 0.08) yield { v: 1, type: 'request.fallback', requestId, timestamp, from: 'primary/x', to: `${provider}/${model}`, error: { name: 'ProviderError', code: 'provider_error', message: 'upstream failed', retryable: true } };
    const cacheHit = random() < 0.1;
    const savedUsd = cacheHit ? Math.round(random() * 1e6) / 1e8 : 0;
    if (cacheHit) yield { v: 1, type: 'cache.hit', requestId, timestamp, cache: 'exact', namespace: 'default', key: 'k', savedUsd, provider, model };
    if (random() < 0.001) yield { v: 1, type: 'future.event', requestId, timestamp };
    const failed = random() < 0.05;
    const noModel = failed && random() < 0.3;
    const inputTokens = Math.floor(random() * 4000);
    const outputTokens = Math.floor(random() * 800);
    const unpriced = provider === 'local';
    const usd = Math.round((inputTokens * 2 + outputTokens * 8) * 1e-2) / 1e6;
    // Latency: log-normal-ish, 5 ms to a few seconds.
    const latencyMs = Math.round(Math.exp(3 + random() * 5) * 1000) / 1000;
    const usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 };
    if (!cacheHit && !noModel && random() < 0.2) yield { v: 1, type: 'attempt.end', requestId, timestamp, attempt: 1, provider, model, outcome: failed ? 'error' : 'success', latencyMs, durationMs: latencyMs, usage };
    yield {
      v: 1,
      type: 'request.end',
      requestId,
      timestamp,
      operation: 'chat',
      route,
      stream: false,
      outcome: failed ? 'error' : 'success',
      ...(noModel ? {} : { provider, model }),
      attempts: noModel ? 0 : 1,
      ...(failed ? {} : { served: cacheHit ? 'middleware' : 'provider' }),
      ...(noModel ? {} : { usage, totalUsage: usage, cost: unpriced ? { usd: null, estimated: false, reason: 'no price for local/llama-3.1-8b' } : { usd, estimated: false } }),
      latencyMs,
      ...(failed ? { error: { name: 'ProviderError', code: 'provider_error', message: 'upstream failed', retryable: true } } : {}),
      ...(principal ? { principal } : {}),
      metadata: {},
      tags,
    };
  }
}
