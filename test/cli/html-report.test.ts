// The HTML page rendered in headless Chromium: each chart is drawn (enough pixels of its colour in its own region), and the page is self-contained.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createReport, renderHtml } from '@switchyard/cli';
import { CHART_COLOURS } from '../../packages/cli/src/render-html.js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageRecords } from './usage-log-generator.js';

const CHROMIUM = '/usr/bin/chromium';
const run = promisify(execFile);

/** Chromium is needed to render the page: installed here when missing and running as root, else the screenshot test is skipped with the reason. */
function ensureChromium(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.getuid?.() !== 0) return `${CHROMIUM} is missing and this is not root: cannot apt-get install chromium`;
  try {
    execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'ignore', timeout: 300_000 });
  } catch (error) {
    return `apt-get install -y chromium failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} is still missing after apt-get install chromium`;
}

const skipReason = ensureChromium();
if (skipReason) console.warn(`html-report.test.ts: screenshot test skipped: ${skipReason}`);

let dir: string;
let html: string;
let htmlPath: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-html-'));
  const log = join(dir, 'usage.jsonl');
  await writeFile(log, `${[...usageRecords({ requests: 5_000, days: 10, seed: 5 })].map((record) => JSON.stringify(record)).join('\n')}\n{"not a record\n`);
  const report = await createReport({ inputs: [log] });
  html = renderHtml(report, ['team', 'model', 'day']);
  htmlPath = join(dir, 'report.html');
  await writeFile(htmlPath, html);
}, 30_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('HTML report', () => {
  it('is one self-contained page: no script, no external resource, every chart titled with labelled axes', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/\b(src|href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    // The SVG namespace is a name, not a resource: no other URL appears.
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/https?:\/\//);
    expect(html).toContain('<title>Switchyard usage report</title>');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs).toHaveLength(5);
    for (const svg of svgs) {
      expect(svg).toMatch(/role="img" aria-labelledby="[\w-]+-title [\w-]+-desc"/);
      expect(svg).toMatch(/<title id="[\w-]+-title">[^<]+<\/title>/);
      expect(svg.match(/class="axis-label"/g)).toHaveLength(2);
    }
    for (const title of ['Spend over time', 'Spend by team', 'Spend by model', 'Latency distribution', 'Error and fallback rates']) expect(html).toContain(`>${title}</title>`);
    expect(html).toContain('<caption>By team</caption>');
    expect(html).toContain('A request with several teams counts in each of them.');
    expect(html).toMatch(/Malformed lines[\s\S]*usage\.jsonl:\d+<\/code>: not JSON/);
  });

  it.skipIf(skipReason !== undefined)('draws every chart: Chromium renders enough pixels of each chart colour, each in its own region', async () => {
    const png = join(dir, 'report.png');
    await run(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--window-size=1280,2400', `--screenshot=${png}`, `file://${htmlPath}`], { timeout: 60_000 });
    const image = PNG.sync.read(await readFile(png));
    expect(image.width).toBe(1280);
    const near = (hex: string) => {
      const value = Number.parseInt(hex.slice(1), 16);
      return [(value >> 16) & 255, (value >> 8) & 255, value & 255] as const;
    };
    const regions = Object.entries(CHART_COLOURS).map(([chart, hex]) => {
      const [r, g, b] = near(hex);
      let count = 0;
      let top = Number.POSITIVE_INFINITY;
      let bottom = -1;
      let left = Number.POSITIVE_INFINITY;
      let right = -1;
      for (let y = 0; y < image.height; y += 1) {
        for (let x = 0; x < image.width; x += 1) {
          const at = (y * image.width + x) * 4;
          if (Math.abs((image.data[at] ?? 0) - r) <= 6 && Math.abs((image.data[at + 1] ?? 0) - g) <= 6 && Math.abs((image.data[at + 2] ?? 0) - b) <= 6) {
            count += 1;
            top = Math.min(top, y);
            bottom = Math.max(bottom, y);
            left = Math.min(left, x);
            right = Math.max(right, x);
          }
        }
      }
      return { chart, count, top, bottom, left, right };
    });
    const byChart = Object.fromEntries(regions.map((region) => [region.chart, region]));
    // Bars and columns are filled areas (thousands of pixels); the rate lines are 3 px lines with 5 px markers.
    for (const chart of ['spendByDay', 'spendByTeam', 'spendByModel', 'latency']) expect(byChart[chart]?.count, chart).toBeGreaterThan(5_000);
    for (const chart of ['errorRate', 'fallbackRate']) expect(byChart[chart]?.count, chart).toBeGreaterThan(400);
    // Each chart's colour stays inside one 600 x 300 chart (its region), and the regions follow the page's grid.
    for (const region of regions) {
      expect(region.right - region.left, region.chart).toBeLessThan(600);
      expect(region.bottom - region.top, region.chart).toBeLessThan(300);
    }
    const at = (chart: string) => byChart[chart] ?? { top: Number.NaN, left: Number.NaN, bottom: Number.NaN };
    expect(at('spendByDay').left).toBeLessThan(at('spendByTeam').left); // first row: day, then team
    expect(Math.abs(at('spendByDay').bottom - at('spendByTeam').bottom)).toBeLessThan(300);
    expect(at('spendByModel').top).toBeGreaterThan(at('spendByDay').bottom); // second row: model, latency
    expect(at('latency').left).toBeGreaterThan(at('spendByModel').left);
    expect(at('errorRate').top).toBeGreaterThan(at('spendByModel').bottom); // third row: the rates
  }, 90_000);
});
