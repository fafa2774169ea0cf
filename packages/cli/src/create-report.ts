// The report's programmatic entry: reads the inputs (streamed) and returns the report as data.
import type { Readable } from 'node:stream';
import { readInputs, resolveInputs } from './read-inputs.js';
import { GROUPINGS, type Grouping, type UsageReport } from './report-model.js';
import { selectGroupings, UsageAggregator } from './usage-aggregator.js';

export interface ReportOptions {
  /** Files of usage events or audit lines; `-` is stdin. Default: stdin alone. */
  inputs?: readonly string[] | undefined;
  /** Count requests at or after this time (an ISO string or a Date). Default: no lower bound. */
  from?: string | Date | undefined;
  /** Count requests before this time (exclusive). Default: no upper bound. */
  to?: string | Date | undefined;
  /** The groupings in `groups`, in order. Default: all of them (`GROUPINGS`). */
  by?: readonly Grouping[] | undefined;
  /**
   * Keys kept per grouping (the most requested ones, by Space-Saving); the rest are summed into one
   * `(other)` row, so memory stays bounded whatever the number of principals or tags. Default: 1 000.
   */
  top?: number | undefined;
  /** What `-` reads. Default: `process.stdin`. */
  stdin?: Readable | undefined;
  /** Told the total size when every input's size is known (else `null`), before reading. */
  onStart?: ((totalBytes: number | null) => void) | undefined;
  /** Told the bytes read so far, as the inputs are read. */
  onProgress?: ((bytesRead: number) => void) | undefined;
}

/** Reads every input once, line by line, and returns the report. Rejects with `InputReadError` when an input cannot be read, `RangeError` for a bad `from`/`to` or `top`. */
export async function createReport(options: ReportOptions = {}): Promise<UsageReport> {
  const from = toTime(options.from, 'from');
  const to = toTime(options.to, 'to');
  const aggregator = new UsageAggregator({ from: from?.getTime(), to: to?.getTime(), top: options.top });
  const sources = await resolveInputs(options.inputs ?? [], options.stdin ?? process.stdin);
  const sizes = sources.map((source) => source.bytes);
  options.onStart?.(sizes.every((size) => size !== null) ? sizes.reduce<number>((sum, size) => sum + (size ?? 0), 0) : null);
  await readInputs(sources, {
    beginInput: (source) => aggregator.beginInput(source.name, source.bytes),
    line: (text, lineNumber) => aggregator.addLine(text, lineNumber),
    progress: options.onProgress,
  });
  const report = aggregator.report({ from: from?.toISOString(), to: to?.toISOString() });
  return selectGroupings(report, options.by ?? GROUPINGS);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/** A time bound from an ISO date (`2026-01-31`: UTC midnight) or date-time (UTC unless it has an offset); `undefined` when not given. */
export function toTime(value: string | Date | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? ISO_TIME.exec(value) : null;
  // A date-time without an offset is UTC, like a date alone (JavaScript would read it as local time).
  const text = typeof value === 'string' && match ? (match[1] !== undefined && match[4] === undefined ? `${value}Z` : value) : '';
  const date = value instanceof Date ? value : new Date(text === '' ? Number.NaN : Date.parse(text));
  if (Number.isNaN(date.getTime())) throw new RangeError(`--${name} must be an ISO date or date-time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z), got '${String(value)}'`);
  return date;
}
