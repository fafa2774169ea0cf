// The report as data: the stable JSON shape `--json` prints (docs/report.md#json), with its version.
import type { GroupSummary } from './group-stats.js';

/** Bumped only by a change a reader could break on; additions keep it. */
export const REPORT_VERSION = 1;

/** The ways a report can group requests. A request with several teams or tags counts once in each. */
export const GROUPINGS = ['principal', 'team', 'tag', 'model', 'route', 'day'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The key of a request that has no value for a grouping (no principal, no team, no tag, no model). */
export const NO_KEY = '(none)';

/** How many malformed lines are listed by position; the rest are only counted. */
export const MALFORMED_LISTED = 20;

export interface MalformedLine {
  /** The file's path as given, or `-` for stdin. */
  file: string;
  /** 1-based line number in that file. */
  line: number;
  reason: string;
}

export interface GroupRow extends GroupSummary {
  key: string;
}

export interface LatencyBin {
  fromMs: number;
  toMs: number;
  count: number;
}

export interface UsageReport {
  version: typeof REPORT_VERSION;
  generatedAt: string;
  inputs: Array<{ name: string; bytes: number | null; lines: number }>;
  /** The time range asked for: `from` inclusive, `to` exclusive, ISO strings; `null` when open. */
  range: { from: string | null; to: string | null };
  /** The groupings in `groups`, in the order asked for. */
  groupings: Grouping[];
  lines: {
    total: number;
    blank: number;
    /** `request.end` events and audit lines counted (in range). */
    requests: number;
    /** Requests outside `range`: read, not counted. */
    outOfRange: number;
    /** `request.fallback` and `cache.hit` events, joined to their request. */
    joined: number;
    /** Known event types the report does not count (`request.start`, `attempt.end`, ...). */
    uncounted: number;
    /** Event types this report does not know, with their counts: skipped. */
    unknownTypes: Record<string, number>;
    malformed: number;
  };
  malformed: { count: number; first: MalformedLine[] };
  totals: GroupSummary;
  groups: Partial<Record<Grouping, GroupRow[]>>;
  /** `request.fallback` and `cache.hit` events whose `request.end` was not in the input (or in range): in no group, nor in `totals`. */
  unattributed: { fallbacks: number; cacheHits: number; cacheSavedUsd: number };
  /** The latency of every request counted, in log-spaced bins (from the sketch: bin edges are exact to 1%). */
  latencyHistogram: LatencyBin[];
  percentiles: { approximate: true; relativeError: number };
}
