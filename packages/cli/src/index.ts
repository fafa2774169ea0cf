// @switchyard/cli's programmatic API: the usage report as data, its text and HTML renderings, and the command itself.
export { createReport, type ReportOptions } from './create-report.js';
export { runCli, EXIT, type CliIo } from './cli.js';
export { InputReadError } from './read-inputs.js';
export { renderText } from './render-text.js';
export { renderHtml } from './render-html.js';
export type { GroupSummary } from './group-stats.js';
export { REPORT_VERSION, GROUPINGS, type Grouping, type GroupRow, type LatencyBin, type MalformedLine, type UsageReport } from './report-model.js';
