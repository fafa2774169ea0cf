// The report as one self-contained HTML page: inline CSS, inline SVG charts, the tables; no script, no external resource.
import { formatCount, formatMs, formatRate, formatUsd } from './format.js';
import type { Grouping, UsageReport } from './report-model.js';
import { describeFolding, describeInput, groupingTitle, TABLE_COLUMNS } from './render-text.js';
import { barChart, columnChart, escapeXml, lineChart } from './svg-charts.js';

/** Each chart's colour, one per chart (tests find the charts in a screenshot by them). */
export const CHART_COLOURS = {
  spendByDay: '#2563eb',
  spendByTeam: '#059669',
  spendByModel: '#7c3aed',
  latency: '#d97706',
  errorRate: '#dc2626',
  fallbackRate: '#0891b2',
} as const;

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2937; background: #fff; margin: 0; padding: 24px 20px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
p.meta { color: #4b5563; margin: 2px 0; }
.totals { display: flex; flex-wrap: wrap; gap: 10px; margin: 16px 0; padding: 0; list-style: none; }
.totals li { border: 1px solid #d1d5db; border-radius: 6px; padding: 8px 12px; min-width: 120px; }
.totals .label { display: block; color: #4b5563; font-size: 12px; }
.totals .value { font-size: 17px; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(2, 600px); gap: 16px; }
figure { margin: 0; border: 1px solid #e5e7eb; border-radius: 6px; }
svg .chart-title { font-size: 15px; font-weight: 600; fill: #111827; }
svg .axis-label { font-size: 12px; fill: #374151; }
svg .tick { font-size: 11px; fill: #4b5563; }
svg .grid { stroke: #e5e7eb; stroke-width: 1; }
svg .axis { stroke: #6b7280; stroke-width: 1; }
table { border-collapse: collapse; margin: 4px 0 12px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-size: 17px; font-weight: 600; padding: 20px 0 6px; }
.table-wrap { overflow-x: auto; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 10px; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; }
thead th { background: #f3f4f6; }
.note { color: #4b5563; font-size: 13px; }
code { font-size: 13px; }
`;

/**
 * The page for `report`. The charts read `groups.day`, `groups.team` and `groups.model` (a
 * report from `createReport` with every grouping); the tables show `tables` (default: the
 * report's own `groupings`).
 */
export function renderHtml(report: UsageReport, tables: readonly Grouping[] = report.groupings): string {
  // The (other) row of days (a log over more than --top days) is no day: not on the time axis.
  const days = (report.groups.day ?? []).filter((row) => row.other !== true);
  const points = (grouping: Grouping) => (report.groups[grouping] ?? []).map((row) => ({ label: row.key, value: row.costUsd }));
  const percent = (value: number) => `${Math.round(value * 1000) / 10}%`;
  const charts = [
    columnChart({ id: 'spend-by-day', title: 'Spend over time', description: `Cost in USD per UTC day, ${days.length} days.`, xLabel: 'Day (UTC)', yLabel: 'Cost (USD)' }, days.map((row) => ({ label: row.key, value: row.costUsd })), CHART_COLOURS.spendByDay, formatUsd),
    barChart({ id: 'spend-by-team', title: 'Spend by team', description: 'Cost in USD per team, largest first; a request of several teams counts in each.', xLabel: 'Cost (USD)', yLabel: 'Team' }, points('team'), CHART_COLOURS.spendByTeam, formatUsd),
    barChart({ id: 'spend-by-model', title: 'Spend by model', description: 'Cost in USD per provider/model, largest first.', xLabel: 'Cost (USD)', yLabel: 'Model' }, points('model'), CHART_COLOURS.spendByModel, formatUsd),
    columnChart(
      { id: 'latency', title: 'Latency distribution', description: 'Requests per latency bin, bins spaced logarithmically from the fastest to the slowest request.', xLabel: 'Latency (ms, lower bound of bin)', yLabel: 'Requests' },
      report.latencyHistogram.map((bin) => ({ label: formatMs(bin.fromMs), value: bin.count })),
      CHART_COLOURS.latency,
      formatCount,
    ),
    lineChart(
      { id: 'rates-by-day', title: 'Error and fallback rates', description: 'Share of requests that failed, and that fell back to another target, per UTC day.', xLabel: 'Day (UTC)', yLabel: 'Share of requests' },
      days.map((row) => row.key),
      [
        { name: 'error rate', colour: CHART_COLOURS.errorRate, values: days.map((row) => row.errorRate) },
        { name: 'fallback rate', colour: CHART_COLOURS.fallbackRate, values: days.map((row) => row.fallbackRate) },
      ],
      percent,
    ),
  ];
  const totals = report.totals;
  const tiles: Array<[string, string]> = [
    ['Requests', formatCount(totals.requests)],
    ['Errors', `${formatCount(totals.errors)} (${formatRate(totals.errorRate)})`],
    ['Fallbacks', `${formatCount(totals.fallbacks)} (${formatRate(totals.fallbackRate)})`],
    ['Input tokens', formatCount(totals.inputTokens)],
    ['Output tokens', formatCount(totals.outputTokens)],
    ['Cost', formatUsd(totals.costUsd)],
    ['Cache hits', `${formatCount(totals.cacheHits)} (${formatUsd(totals.cacheSavedUsd)} saved)`],
    ['Latency p50 / p90 / p99', `${formatMs(totals.latencyMs.p50)} / ${formatMs(totals.latencyMs.p90)} / ${formatMs(totals.latencyMs.p99)}`],
  ];
  const range = report.range.from !== null || report.range.to !== null ? `<p class="meta">Range: ${escapeXml(report.range.from ?? '(start)')} to ${escapeXml(report.range.to ?? '(end)')} (from inclusive, to exclusive)</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Switchyard usage report</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>Switchyard usage report</h1>
<p class="meta">Generated ${escapeXml(report.generatedAt)}</p>
${range}
<p class="meta">${escapeXml(describeInput(report).join(' '))}</p>
<ul class="totals" aria-label="Totals">
${tiles.map(([label, value]) => `<li><span class="label">${escapeXml(label)}</span><span class="value">${escapeXml(value)}</span></li>`).join('\n')}
</ul>
${totals.unpricedRequests > 0 ? `<p class="note">${formatCount(totals.unpricedRequests)} requests ran on models without a price: they are not in the cost.</p>` : ''}
<h2>Charts</h2>
<div class="charts">
${charts.map((chart) => `<figure>${chart}</figure>`).join('\n')}
</div>
<p class="note">Latency percentiles are approximate: within ${report.percentiles.relativeError * 100}% of the exact value (a streaming sketch, see docs/report.md).</p>
${tables.map((grouping) => groupTable(report, grouping)).join('\n')}
${malformedSection(report)}
</main>
</body>
</html>
`;
}

function groupTable(report: UsageReport, grouping: Grouping): string {
  const rows = report.groups[grouping] ?? [];
  const folded = describeFolding(report, grouping);
  const note = (grouping === 'team' || grouping === 'tag' ? `<p class="note">A request with several ${grouping}s counts in each of them.</p>` : '') + (folded !== undefined ? `<p class="note folding">${escapeXml(folded)}</p>` : '');
  const head = `<tr><th scope="col">${escapeXml(grouping)}</th>${TABLE_COLUMNS.map((column) => `<th scope="col">${escapeXml(column.heading)}</th>`).join('')}</tr>`;
  const body = rows.length === 0 ? `<tr><td colspan="${TABLE_COLUMNS.length + 1}">No requests</td></tr>` : rows.map((row) => `<tr><th scope="row">${escapeXml(row.key)}</th>${TABLE_COLUMNS.map((column) => `<td>${escapeXml(column.cell(row))}</td>`).join('')}</tr>`).join('\n');
  return `<div class="table-wrap">\n<table>\n<caption>${escapeXml(groupingTitle(grouping))}</caption>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>\n</div>\n${note}`;
}

function malformedSection(report: UsageReport): string {
  const { malformed } = report;
  if (malformed.count === 0) return '';
  const items = malformed.first.map((line) => `<li><code>${escapeXml(`${line.file}:${line.line}`)}</code>: ${escapeXml(line.reason)}</li>`).join('\n');
  return `<h2>Malformed lines</h2>\n<p>${formatCount(malformed.count)} lines were not JSON or not a known record, and were skipped${malformed.count > malformed.first.length ? `; the first ${malformed.first.length}` : ''}:</p>\n<ul>\n${items}\n</ul>`;
}
