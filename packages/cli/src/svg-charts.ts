// Inline SVG charts drawn from numbers alone (no script, no external resource): columns, horizontal bars and lines, each titled and with labelled axes.

export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 300;
const MARGIN = { top: 34, right: 20, bottom: 56, left: 78 };

export interface ChartText {
  /** Unique in the page: the ids of the SVG's title and description derive from it. */
  id: string;
  /** The visible heading and the SVG's `<title>`. */
  title: string;
  /** The SVG's `<desc>`: what a screen reader says about the chart. */
  description: string;
  xLabel: string;
  yLabel: string;
}

export interface Point {
  label: string;
  value: number;
}

/** Escapes text for XML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char);
}

function frame(text: ChartText, body: string): string {
  const id = escapeXml(text.id);
  const plotBottom = CHART_HEIGHT - MARGIN.bottom;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CHART_WIDTH}" height="${CHART_HEIGHT}" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc">`,
    `<title id="${id}-title">${escapeXml(text.title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(text.description)}</desc>`,
    `<text x="${CHART_WIDTH / 2}" y="20" text-anchor="middle" class="chart-title">${escapeXml(text.title)}</text>`,
    body,
    `<text x="${MARGIN.left + (CHART_WIDTH - MARGIN.left - MARGIN.right) / 2}" y="${CHART_HEIGHT - 8}" text-anchor="middle" class="axis-label">${escapeXml(text.xLabel)}</text>`,
    `<text transform="translate(16 ${MARGIN.top + (plotBottom - MARGIN.top) / 2}) rotate(-90)" text-anchor="middle" class="axis-label">${escapeXml(text.yLabel)}</text>`,
    '</svg>',
  ].join('\n');
}

/** A round top for the value axis and its tick values (0 and four more). */
function ticksFor(max: number): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * magnitude).find((candidate) => candidate >= rough) ?? 10 * magnitude;
  return Array.from({ length: Math.ceil(max / step) + 1 }, (_, index) => index * step);
}

function valueAxis(ticks: readonly number[], format: (value: number) => string, plot: { left: number; right: number; top: number; bottom: number }): { y: (value: number) => number; svg: string } {
  const top = ticks.at(-1) ?? 1;
  const y = (value: number) => plot.bottom - (value / top) * (plot.bottom - plot.top);
  const lines = ticks.map(
    (tick) => `<line x1="${plot.left}" x2="${plot.right}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" class="grid"/><text x="${plot.left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeXml(format(tick))}</text>`,
  );
  return { y, svg: `${lines.join('\n')}\n<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" class="axis"/><line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" class="axis"/>` };
}

const plotArea = () => ({ left: MARGIN.left, right: CHART_WIDTH - MARGIN.right, top: MARGIN.top, bottom: CHART_HEIGHT - MARGIN.bottom });

function noData(text: ChartText): string {
  return frame(text, `<text x="${CHART_WIDTH / 2}" y="${CHART_HEIGHT / 2}" text-anchor="middle" class="tick">No data in this report</text>`);
}

/** Labels under the x axis: at most about 10 shown, evenly spaced, so they never overlap. */
function categoryLabels(labels: readonly string[], x: (index: number) => number, bottom: number): string {
  const every = Math.max(1, Math.ceil(labels.length / 8));
  return labels
    .map((label, index) => (index % every === 0 ? `<text x="${x(index).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" class="tick">${escapeXml(label)}</text>` : ''))
    .join('');
}

/** Vertical columns, one per point, in order (spend per day, a histogram's bins). */
export function columnChart(text: ChartText, points: readonly Point[], colour: string, format: (value: number) => string): string {
  if (points.length === 0) return noData(text);
  const plot = plotArea();
  const axis = valueAxis(ticksFor(Math.max(...points.map((point) => point.value))), format, plot);
  const slot = (plot.right - plot.left) / points.length;
  const width = Math.max(1, slot * 0.8);
  const columns = points.map((point, index) => {
    const top = axis.y(point.value);
    return `<rect x="${(plot.left + index * slot + (slot - width) / 2).toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${Math.max(0, plot.bottom - top).toFixed(1)}" fill="${colour}"><title>${escapeXml(`${point.label}: ${format(point.value)}`)}</title></rect>`;
  });
  return frame(text, `${axis.svg}\n${columns.join('\n')}\n${categoryLabels(points.map((point) => point.label), (index) => plot.left + index * slot + slot / 2, plot.bottom)}`);
}

/** Horizontal bars, largest first (spend by team, by model): at most `limit`, the rest summed into one bar. */
export function barChart(text: ChartText, points: readonly Point[], colour: string, format: (value: number) => string, limit = 8): string {
  if (points.length === 0) return noData(text);
  const sorted = [...points].sort((a, b) => b.value - a.value);
  const shown = sorted.length > limit ? [...sorted.slice(0, limit - 1), { label: `${sorted.length - limit + 1} others`, value: sorted.slice(limit - 1).reduce((sum, point) => sum + point.value, 0) }] : sorted;
  const plot = { ...plotArea(), left: 190, right: CHART_WIDTH - 40 };
  const ticks = ticksFor(Math.max(...shown.map((point) => point.value)));
  const top = ticks.at(-1) ?? 1;
  const x = (value: number) => plot.left + (value / top) * (plot.right - plot.left);
  const slot = (plot.bottom - plot.top) / shown.length;
  const height = Math.max(2, slot * 0.7);
  const grid = ticks.map((tick) => `<line x1="${x(tick).toFixed(1)}" x2="${x(tick).toFixed(1)}" y1="${plot.top}" y2="${plot.bottom}" class="grid"/><text x="${x(tick).toFixed(1)}" y="${plot.bottom + 16}" text-anchor="middle" class="tick">${escapeXml(format(tick))}</text>`);
  const bars = shown.map((point, index) => {
    const y = plot.top + index * slot + (slot - height) / 2;
    const label = point.label.length > 28 ? `${point.label.slice(0, 27)}…` : point.label;
    return `<text x="${plot.left - 6}" y="${(y + height / 2 + 4).toFixed(1)}" text-anchor="end" class="tick">${escapeXml(label)}</text><rect x="${plot.left}" y="${y.toFixed(1)}" width="${Math.max(0, x(point.value) - plot.left).toFixed(1)}" height="${height.toFixed(1)}" fill="${colour}"><title>${escapeXml(`${point.label}: ${format(point.value)}`)}</title></rect>`;
  });
  const axes = `<line x1="${plot.left}" x2="${plot.left}" y1="${plot.top}" y2="${plot.bottom}" class="axis"/><line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" class="axis"/>`;
  return frame(text, `${grid.join('\n')}\n${axes}\n${bars.join('\n')}`);
}

export interface LineSeries {
  name: string;
  colour: string;
  values: readonly number[];
}

/** Lines over the same categories (rates per day), with a marker at each point and a legend. */
export function lineChart(text: ChartText, labels: readonly string[], series: readonly LineSeries[], format: (value: number) => string): string {
  if (labels.length === 0) return noData(text);
  const plot = plotArea();
  const axis = valueAxis(ticksFor(Math.max(0, ...series.flatMap((line) => line.values))), format, plot);
  const slot = (plot.right - plot.left) / labels.length;
  const x = (index: number) => plot.left + index * slot + slot / 2;
  const lines = series.map((line) => {
    const points = line.values.map((value, index) => `${x(index).toFixed(1)},${axis.y(value).toFixed(1)}`);
    const markers = line.values.map((value, index) => `<circle cx="${x(index).toFixed(1)}" cy="${axis.y(value).toFixed(1)}" r="5" fill="${line.colour}"><title>${escapeXml(`${line.name}, ${labels[index] ?? ''}: ${format(value)}`)}</title></circle>`);
    return `<polyline points="${points.join(' ')}" fill="none" stroke="${line.colour}" stroke-width="3"/>${markers.join('')}`;
  });
  const legend = series.map((line, index) => `<rect x="${plot.left + 10 + index * 140}" y="${plot.top - 2}" width="14" height="14" fill="${line.colour}"/><text x="${plot.left + 30 + index * 140}" y="${plot.top + 10}" class="tick">${escapeXml(line.name)}</text>`);
  return frame(text, `${axis.svg}\n${lines.join('\n')}\n${legend.join('')}\n${categoryLabels(labels, x, plot.bottom)}`);
}
