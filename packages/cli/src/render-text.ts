// The report as text for a terminal: totals, then one aligned table per grouping.
import { formatCount, formatMs, formatRate, formatUsd } from './format.js';
import type { GroupRow, Grouping, UsageReport } from './report-model.js';

const TITLES: Record<Grouping, string> = { principal: 'By principal', team: 'By team', tag: 'By tag', model: 'By model (provider/model)', route: 'By route', day: 'By day (UTC)' };

/** The column headings of every group table, and how a row fills them. */
export const TABLE_COLUMNS: ReadonlyArray<{ heading: string; cell: (row: GroupRow) => string }> = [
  // A row near the cut may miss up to maxMissedRequests requests (they are in (other)): shown as "+≤N".
  { heading: 'requests', cell: (row) => formatCount(row.requests) + (row.maxMissedRequests !== undefined ? ` (+≤${formatCount(row.maxMissedRequests)})` : '') },
  { heading: 'errors', cell: (row) => `${formatCount(row.errors)} (${formatRate(row.errorRate)})` },
  { heading: 'fallbacks', cell: (row) => `${formatCount(row.fallbacks)} (${formatRate(row.fallbackRate)})` },
  { heading: 'input tok', cell: (row) => formatCount(row.inputTokens) },
  { heading: 'output tok', cell: (row) => formatCount(row.outputTokens) },
  { heading: 'cost USD', cell: (row) => formatUsd(row.costUsd) + (row.unpricedRequests > 0 ? ` +${formatCount(row.unpricedRequests)} unpriced` : '') },
  { heading: 'cache hits', cell: (row) => formatCount(row.cacheHits) },
  { heading: 'saved USD', cell: (row) => formatUsd(row.cacheSavedUsd) },
  { heading: 'p50', cell: (row) => formatMs(row.latencyMs.p50) },
  { heading: 'p90', cell: (row) => formatMs(row.latencyMs.p90) },
  { heading: 'p99', cell: (row) => formatMs(row.latencyMs.p99) },
];

export function groupingTitle(grouping: Grouping): string {
  return TITLES[grouping];
}

/** The note under a table whose keys were folded into `(other)`; `undefined` when nothing was. */
export function describeFolding(report: UsageReport, grouping: Grouping): string | undefined {
  const folding = report.groups[grouping]?.some((row) => row.other === true) ? report.folding.groups[grouping] : undefined;
  if (!folding) return undefined;
  return (
    `More than ${formatCount(report.folding.limit)} keys (--top): ${folding.foldedKeysApproximate ? 'about ' : ''}${formatCount(folding.foldedKeys)} more are summed in (other) ` +
    `(${formatCount(folding.foldedRequests)} requests). The top keys are found by requests (Space-Saving): ` +
    (folding.approximateRows > 0 ? `${formatCount(folding.approximateRows)} rows near the cut may miss the requests shown as (+≤N), which are in (other).` : 'every kept row is exact.')
  );
}

/** Where the lines read went, and the first malformed lines by position: for stderr, and the top of the text report. */
export function describeInput(report: UsageReport): string[] {
  const { lines } = report;
  const unknown = Object.entries(lines.unknownTypes);
  const out = [
    `Read ${formatCount(lines.total)} lines from ${report.inputs.map((input) => (input.name === '-' ? 'stdin' : input.name)).join(', ')}: ${formatCount(lines.requests)} requests counted` +
      (lines.outOfRange > 0 ? `, ${formatCount(lines.outOfRange)} out of range` : '') +
      (lines.joined > 0 ? `, ${formatCount(lines.joined)} fallback/cache events joined` : '') +
      (lines.uncounted > 0 ? `, ${formatCount(lines.uncounted)} other events` : '') +
      (unknown.length > 0 ? `, ${formatCount(unknown.reduce((sum, [, count]) => sum + count, 0))} of unknown types skipped (${unknown.map(([type, count]) => `${type}: ${count}`).join(', ')})` : '') +
      (lines.malformed > 0 ? `, ${formatCount(lines.malformed)} malformed` : '') +
      '.',
  ];
  return out;
}

/** The malformed-line warning for stderr: the first ones as `file:line: reason`, then the total. Empty when there were none. */
export function describeMalformed(report: UsageReport): string[] {
  const { malformed } = report;
  if (malformed.count === 0) return [];
  return [
    `${formatCount(malformed.count)} malformed line${malformed.count === 1 ? '' : 's'} (not JSON, or not a known record) skipped${malformed.count > malformed.first.length ? `; the first ${malformed.first.length}` : ''}:`,
    ...malformed.first.map((line) => `  ${line.file}:${line.line}: ${line.reason}`),
  ];
}

export function renderText(report: UsageReport): string {
  const out: string[] = ['Switchyard usage report', ''];
  if (report.range.from !== null || report.range.to !== null) out.push(`Range: ${report.range.from ?? '(start)'} to ${report.range.to ?? '(end)'} (from inclusive, to exclusive)`);
  out.push(...describeInput(report), '');
  const totals = report.totals;
  out.push(
    'Totals',
    `  requests     ${formatCount(totals.requests)}`,
    `  errors       ${formatCount(totals.errors)} (${formatRate(totals.errorRate)})`,
    `  fallbacks    ${formatCount(totals.fallbacks)} (${formatRate(totals.fallbackRate)})`,
    `  tokens       ${formatCount(totals.inputTokens)} in, ${formatCount(totals.outputTokens)} out`,
    `  cost         ${formatUsd(totals.costUsd)}${totals.unpricedRequests > 0 ? ` (+${formatCount(totals.unpricedRequests)} requests on unpriced models)` : ''}`,
    `  cache        ${formatCount(totals.cacheHits)} hits, ${formatUsd(totals.cacheSavedUsd)} saved`,
    `  latency      p50 ${formatMs(totals.latencyMs.p50)}, p90 ${formatMs(totals.latencyMs.p90)}, p99 ${formatMs(totals.latencyMs.p99)} (approximate, within ${report.percentiles.relativeError * 100}%)`,
  );
  const { unattributed } = report;
  if (unattributed.fallbacks > 0 || unattributed.cacheHits > 0) out.push(`  unattributed ${formatCount(unattributed.fallbacks)} fallbacks and ${formatCount(unattributed.cacheHits)} cache hits (${formatUsd(unattributed.cacheSavedUsd)}) whose request.end was not read`);
  for (const grouping of report.groupings) {
    const rows = report.groups[grouping] ?? [];
    out.push('', `${groupingTitle(grouping)}${grouping === 'team' || grouping === 'tag' ? ` (a request with several ${grouping}s counts in each)` : ''}`);
    out.push(...table([grouping, ...TABLE_COLUMNS.map((column) => column.heading)], rows.map((row) => [row.key, ...TABLE_COLUMNS.map((column) => column.cell(row))])));
    const folded = describeFolding(report, grouping);
    if (folded !== undefined) out.push(`  ${folded}`);
  }
  // The malformed lines themselves go to stderr (describeMalformed), not into the report printed on stdout.
  return `${out.join('\n')}\n`;
}

/** Columns padded to their widest cell: the first left-aligned, the numbers right-aligned. */
function table(headings: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  if (rows.length === 0) return ['  (no requests)'];
  const widths = headings.map((heading, column) => Math.max(heading.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]) => `  ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ')}`.trimEnd();
  return [line(headings), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}
