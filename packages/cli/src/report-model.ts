// The report as data: the stable JSON shape `--json` prints (docs/report.md#json), with its version.
import type { GroupSummary } from './group-stats.js';

/** Bumped only by a change a reader could break on; additions keep it. */
export const REPORT_VERSION = 1;

/** The ways a report can group requests. A request with several teams or tags counts once in each. */
export const GROUPINGS = ['principal', 'team', 'tag', 'model', 'route', 'day'] as const;
export type Grouping = (typeof GROUPINGS)[number];

/** The key of a request that has no value for a grouping (no principal, no team, no tag, no model). */
export const NO_KEY = '(none)';

/** The key of the row that sums the keys folded away when a grouping has more keys than `--top` (see `GroupRow.other`). */
export const OTHER_KEY = '(other)';

/** How many keys each grouping keeps by default (`--top`); the rest are folded into the `(other)` row. */
export const DEFAULT_TOP = 1000;

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
  /** Set on the `(other)` row only: the sums of the keys folded away (so a key literally named `(other)` is told apart). */
  other?: true;
  /**
   * Set (> 0) on a kept row that may miss requests: at most this many of the key's requests came
   * before it won its row and are in `(other)` instead. Absent when the row is exact.
   */
  maxMissedRequests?: number;
}

/** What a grouping folded into its `(other)` row when it had more keys than the limit. */
export interface GroupFolding {
  /** Rows with a key of their own (the `(other)` row not included). */
  keptKeys: number;
  /** Keys with no row of their own (all their requests are in `(other)`): exact (0) when nothing was folded, else estimated. */
  foldedKeys: number;
  /** `true` when `foldedKeys` is an estimate (within a few percent). */
  foldedKeysApproximate: boolean;
  /** Requests in the `(other)` row (a request with several teams or tags counts once per key). */
  foldedRequests: number;
  /** Kept rows that may miss requests (they have `maxMissedRequests`): the rows near the cut. */
  approximateRows: number;
}

export interface Folding {
  /** Keys kept per grouping (`--top`, default 1 000). */
  limit: number;
  /** What decides which keys are kept: the number of requests (Space-Saving). */
  rankedBy: 'requests';
  groups: Partial<Record<Grouping, GroupFolding>>;
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
  /** Per grouping, what was folded into its `(other)` row (docs/report.md#many-keys). */
  folding: Folding;
}
