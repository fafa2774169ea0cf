// Folds input lines into a report: per-group stats (the top keys of each grouping, the rest in `(other)`), fallbacks and cache hits joined to their request, malformed lines listed; bounded memory.
import { BoundedGrouping } from './bounded-grouping.js';
import { GroupStats } from './group-stats.js';
import { parseLine, type RequestRecord } from './parse-line.js';
import { SKETCH_RELATIVE_ERROR } from './quantile-sketch.js';
import { DEFAULT_TOP, GROUPINGS, MALFORMED_LISTED, NO_KEY, REPORT_VERSION, type GroupFolding, type GroupRow, type Grouping, type LatencyBin, type MalformedLine, type UsageReport } from './report-model.js';

/**
 * Requests whose `request.fallback` or `cache.hit` was read and whose `request.end` was not yet:
 * at most this many are held (the calls in flight at once when the log was written). The oldest
 * beyond it are counted as unattributed.
 */
export const PENDING_JOIN_LIMIT = 10_000;

const HISTOGRAM_BINS = 24;

export interface AggregatorOptions {
  /** Epoch ms, inclusive. */
  from?: number | undefined;
  /** Epoch ms, exclusive. */
  to?: number | undefined;
  /** Keys kept per grouping; the rest are folded into `(other)`. Default: `DEFAULT_TOP` (1 000). */
  top?: number | undefined;
}

interface PendingJoin {
  time: number;
  fallbacks: number;
  cacheHit: boolean;
  savedUsd: number;
  /** A cache hit's `<provider>/<model>` (what made the answer). */
  model: string | undefined;
}

export class UsageAggregator {
  readonly #from: number;
  readonly #to: number;
  readonly #totals = new GroupStats();
  readonly #top: number;
  readonly #groups: Map<Grouping, BoundedGrouping>;
  readonly #pending = new Map<string, PendingJoin>();
  readonly #inputs: UsageReport['inputs'] = [];
  readonly #lines: UsageReport['lines'] = { total: 0, blank: 0, requests: 0, outOfRange: 0, joined: 0, uncounted: 0, unknownTypes: {}, malformed: 0 };
  readonly #malformed: MalformedLine[] = [];
  readonly #unattributed = { fallbacks: 0, cacheHits: 0, cacheSavedUsd: 0 };

  constructor(options: AggregatorOptions = {}) {
    this.#from = options.from ?? Number.NEGATIVE_INFINITY;
    this.#to = options.to ?? Number.POSITIVE_INFINITY;
    this.#top = options.top ?? DEFAULT_TOP;
    if (!Number.isInteger(this.#top) || this.#top < 1) throw new RangeError(`top must be a positive integer (keys kept per grouping), got ${this.#top}`);
    this.#groups = new Map(GROUPINGS.map((grouping) => [grouping, new BoundedGrouping(this.#top)]));
  }

  /** Keys with stats of their own in a grouping now (for the tests: never more than `top`). */
  trackedKeys(grouping: Grouping): number {
    return this.#groups.get(grouping)?.trackedKeys ?? 0;
  }

  /** Starts an input: the lines added next belong to it. */
  beginInput(name: string, bytes: number | null): void {
    this.#inputs.push({ name, bytes, lines: 0 });
  }

  /** Counts one line of the current input; `lineNumber` is 1-based within it. */
  addLine(text: string, lineNumber: number): void {
    const input = this.#inputs.at(-1);
    if (input) input.lines += 1;
    this.#lines.total += 1;
    const parsed = parseLine(text);
    switch (parsed.kind) {
      case 'blank':
        this.#lines.blank += 1;
        return;
      case 'malformed':
        this.#lines.malformed += 1;
        if (this.#malformed.length < MALFORMED_LISTED) this.#malformed.push({ file: input?.name ?? '-', line: lineNumber, reason: parsed.reason });
        return;
      case 'uncounted':
        this.#lines.uncounted += 1;
        return;
      case 'unknown':
        this.#lines.unknownTypes[parsed.type] = (this.#lines.unknownTypes[parsed.type] ?? 0) + 1;
        return;
      case 'fallback':
      case 'cache-hit': {
        this.#lines.joined += 1;
        const join = this.#pendingFor(parsed.requestId, parsed.time);
        if (parsed.kind === 'fallback') join.fallbacks += 1;
        else {
          join.cacheHit = true;
          join.savedUsd += parsed.savedUsd;
          join.model ??= parsed.model;
        }
        return;
      }
      case 'request': {
        const join = this.#pending.get(parsed.record.requestId);
        if (join) this.#pending.delete(parsed.record.requestId);
        if (!this.#inRange(parsed.record.time)) {
          this.#lines.outOfRange += 1;
          return;
        }
        this.#lines.requests += 1;
        this.#count(join ? joined(parsed.record, join) : parsed.record);
      }
    }
  }

  #pendingFor(requestId: string, time: number): PendingJoin {
    let join = this.#pending.get(requestId);
    if (join) return join;
    join = { time, fallbacks: 0, cacheHit: false, savedUsd: 0, model: undefined };
    this.#pending.set(requestId, join);
    if (this.#pending.size > PENDING_JOIN_LIMIT) {
      // A Map iterates in insertion order: the first key is the oldest request still waiting.
      const oldest = this.#pending.keys().next();
      if (oldest.done !== true) {
        const evicted = this.#pending.get(oldest.value);
        this.#pending.delete(oldest.value);
        if (evicted) this.#unattribute(evicted);
      }
    }
    return join;
  }

  #unattribute(join: PendingJoin): void {
    if (!this.#inRange(join.time)) return;
    this.#unattributed.fallbacks += join.fallbacks;
    if (join.cacheHit) this.#unattributed.cacheHits += 1;
    this.#unattributed.cacheSavedUsd += join.savedUsd;
  }

  #inRange(time: number): boolean {
    return time >= this.#from && time < this.#to;
  }

  #count(record: RequestRecord): void {
    this.#totals.add(record);
    this.#addTo('principal', [record.principal ?? NO_KEY], record);
    this.#addTo('team', record.teams.length > 0 ? unique(record.teams) : [NO_KEY], record);
    this.#addTo('tag', record.tags.length > 0 ? unique(record.tags) : [NO_KEY], record);
    this.#addTo('model', [record.model ?? NO_KEY], record);
    this.#addTo('route', [record.route], record);
    this.#addTo('day', [dayOf(record.time)], record);
  }

  #addTo(grouping: Grouping, keys: readonly string[], record: RequestRecord): void {
    const groups = this.#groups.get(grouping);
    if (!groups) return;
    for (const key of keys) groups.add(key, record);
  }

  /** The report of every line added so far, every grouping included (select some with `selectGroupings`). */
  report(range: { from?: string | undefined; to?: string | undefined } = {}): UsageReport {
    for (const join of this.#pending.values()) this.#unattribute(join);
    this.#pending.clear();
    const groups: Partial<Record<Grouping, GroupRow[]>> = {};
    const folding: Partial<Record<Grouping, GroupFolding>> = {};
    for (const [grouping, rows] of this.#groups) {
      groups[grouping] = sortRows(grouping, rows.rows());
      folding[grouping] = rows.folding();
    }
    return {
      version: REPORT_VERSION,
      generatedAt: new Date().toISOString(),
      inputs: this.#inputs.map((input) => ({ ...input })),
      range: { from: range.from ?? null, to: range.to ?? null },
      groupings: [...GROUPINGS],
      lines: { ...this.#lines, unknownTypes: { ...this.#lines.unknownTypes } },
      malformed: { count: this.#lines.malformed, first: [...this.#malformed] },
      totals: this.#totals.summary(),
      groups,
      unattributed: { ...this.#unattributed },
      latencyHistogram: histogramOf(this.#totals),
      percentiles: { approximate: true, relativeError: SKETCH_RELATIVE_ERROR },
      folding: { limit: this.#top, rankedBy: 'requests', groups: folding },
    };
  }
}

/** The report with only these groupings in `groups`, in this order. */
export function selectGroupings(report: UsageReport, groupings: readonly Grouping[]): UsageReport {
  const groups: Partial<Record<Grouping, GroupRow[]>> = {};
  const folding: Partial<Record<Grouping, GroupFolding>> = {};
  for (const grouping of groupings) {
    groups[grouping] = report.groups[grouping] ?? [];
    const folded = report.folding.groups[grouping];
    if (folded) folding[grouping] = folded;
  }
  return { ...report, groupings: [...groupings], groups, folding: { ...report.folding, groups: folding } };
}

function joined(record: RequestRecord, join: PendingJoin): RequestRecord {
  // A cache hit's request.end names no model (no attempt was made): the model that made the cached answer stands for it.
  return { ...record, model: record.model ?? join.model, fallbacks: record.fallbacks + join.fallbacks, cacheHit: record.cacheHit || join.cacheHit, cacheSavedUsd: record.cacheSavedUsd + join.savedUsd };
}

function unique(keys: readonly string[]): readonly string[] {
  return keys.length === 1 ? keys : [...new Set(keys)];
}

/** The UTC day, `YYYY-MM-DD`. */
function dayOf(time: number): string {
  return Number.isFinite(time) ? new Date(time).toISOString().slice(0, 10) : NO_KEY;
}

/** Days in order; other groupings by cost, then requests, then key; `(other)` last. */
function sortRows(grouping: Grouping, rows: GroupRow[]): GroupRow[] {
  const byKey = (a: GroupRow, b: GroupRow) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
  const order = grouping === 'day' ? byKey : (a: GroupRow, b: GroupRow) => b.costUsd - a.costUsd || b.requests - a.requests || byKey(a, b);
  return rows.sort((a, b) => (a.other === true ? 1 : 0) - (b.other === true ? 1 : 0) || order(a, b));
}

/** Regroups the totals' sketch buckets into log-spaced bins between the fastest and the slowest request. */
function histogramOf(totals: GroupStats): LatencyBin[] {
  const buckets = totals.latency.buckets();
  const min = totals.latency.min;
  const max = totals.latency.max;
  if (buckets.length === 0 || min === undefined || max === undefined) return [];
  const low = Math.max(min, 1e-3);
  if (max <= low) return [{ fromMs: min, toMs: max, count: totals.latency.count }];
  const ratio = max / low;
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, index) => low * ratio ** (index / HISTOGRAM_BINS));
  edges[0] = min;
  edges[HISTOGRAM_BINS] = max;
  const bins: LatencyBin[] = edges.slice(0, -1).map((fromMs, index) => ({ fromMs, toMs: edges[index + 1] ?? max, count: 0 }));
  for (const bucket of buckets) {
    const middle = bucket.upper === 0 ? 0 : Math.sqrt(bucket.lower * bucket.upper);
    const index = middle <= low ? 0 : Math.min(HISTOGRAM_BINS - 1, Math.floor((Math.log(middle / low) / Math.log(ratio)) * HISTOGRAM_BINS));
    const bin = bins[Math.max(0, index)];
    if (bin) bin.count += bucket.count;
  }
  return bins;
}
