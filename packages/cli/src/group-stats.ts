// The running totals of one group (a principal, a team, a day, ...): sums, counts and a latency sketch, constant memory per group.
import type { RequestRecord } from './parse-line.js';
import { QuantileSketch } from './quantile-sketch.js';

/** A group's figures as the report gives them (the JSON `totals` and each row of `groups`). */
export interface GroupSummary {
  requests: number;
  errors: number;
  /** `errors / requests` (0 when there are no requests). */
  errorRate: number;
  /** Requests that fell back to another target at least once. */
  fallbacks: number;
  fallbackRate: number;
  inputTokens: number;
  outputTokens: number;
  /** The sum of the priced requests' cost. */
  costUsd: number;
  /** Requests that consumed tokens on a model without a price (`cost.usd: null`): not in `costUsd`. */
  unpricedRequests: number;
  cacheHits: number;
  /** What the cache hits would have cost (from `cache.hit` events; audit lines do not record it). */
  cacheSavedUsd: number;
  /** Approximate (relative error ≤ 1%, see docs/report.md#percentiles); `null` with no requests. */
  latencyMs: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
}

export class GroupStats {
  requests = 0;
  errors = 0;
  fallbacks = 0;
  inputTokens = 0;
  outputTokens = 0;
  costUsd = 0;
  unpricedRequests = 0;
  cacheHits = 0;
  cacheSavedUsd = 0;
  readonly latency = new QuantileSketch();

  add(record: RequestRecord): void {
    this.requests += 1;
    if (record.error) this.errors += 1;
    if (record.fallbacks > 0) this.fallbacks += 1;
    this.inputTokens += record.inputTokens;
    this.outputTokens += record.outputTokens;
    if (typeof record.costUsd === 'number') this.costUsd += record.costUsd;
    else if (record.costUsd === null) this.unpricedRequests += 1;
    if (record.cacheHit) this.cacheHits += 1;
    this.cacheSavedUsd += record.cacheSavedUsd;
    this.latency.add(record.latencyMs);
  }

  /** Adds another group's figures to this one (sums and sketch buckets: exact). */
  merge(other: GroupStats): void {
    this.requests += other.requests;
    this.errors += other.errors;
    this.fallbacks += other.fallbacks;
    this.inputTokens += other.inputTokens;
    this.outputTokens += other.outputTokens;
    this.costUsd += other.costUsd;
    this.unpricedRequests += other.unpricedRequests;
    this.cacheHits += other.cacheHits;
    this.cacheSavedUsd += other.cacheSavedUsd;
    this.latency.merge(other.latency);
  }

  summary(): GroupSummary {
    const rate = (part: number) => (this.requests === 0 ? 0 : part / this.requests);
    return {
      requests: this.requests,
      errors: this.errors,
      errorRate: rate(this.errors),
      fallbacks: this.fallbacks,
      fallbackRate: rate(this.fallbacks),
      inputTokens: this.inputTokens,
      outputTokens: this.outputTokens,
      costUsd: this.costUsd,
      unpricedRequests: this.unpricedRequests,
      cacheHits: this.cacheHits,
      cacheSavedUsd: this.cacheSavedUsd,
      latencyMs: {
        p50: this.latency.quantile(0.5) ?? null,
        p90: this.latency.quantile(0.9) ?? null,
        p99: this.latency.quantile(0.99) ?? null,
        max: this.latency.max ?? null,
      },
    };
  }
}
