// --top on a log of 50 000 distinct principals: at most top + 1 rows, rows that sum to the totals exactly, the heavy principals kept with exact figures.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { createReport, renderHtml, runCli, type UsageReport } from '@switchyard/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seededRandom, usageRecords, type JsonRecord } from './usage-log-generator.js';

const HEAVY = Array.from({ length: 10 }, (_, index) => `heavy-${index}`);
const HEAVY_REQUESTS = 2_000;
const UNIQUE = 50_000;
const TOP = 100;

let dir: string;
let path: string;
const ends: JsonRecord[] = [];

beforeAll(async () => {
  // Each heavy principal opens the log with 20 requests, then the rest of its 2 000 are shuffled among 50 000 one-request principals.
  // With N = 70 000 requests and 100 rows Space-Saving's smallest counter stays ≤ N/100 = 700 and, growing at most 1 per 100 requests,
  // never reaches a heavy principal's (20 + ~2.9 per 100): by construction they are never let go, so their rows are exact.
  const random = seededRandom(11);
  const rest = [...HEAVY.flatMap((id) => Array<string>(HEAVY_REQUESTS - 20).fill(id)), ...Array.from({ length: UNIQUE }, (_, index) => `user-${index}`)];
  for (let index = rest.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [rest[index], rest[other]] = [rest[other] as string, rest[index] as string];
  }
  const principals = [...Array.from({ length: 20 }, () => HEAVY).flat(), ...rest];
  const lines: string[] = [];
  let next = 0;
  for (const record of usageRecords({ requests: principals.length, days: 3, seed: 5 })) {
    if (record.type === 'request.end') {
      const teams = (record.principal as { teams?: string[] } | undefined)?.teams;
      record.principal = teams ? { id: principals[next], teams } : { id: principals[next] };
      next += 1;
      ends.push(record);
    }
    lines.push(JSON.stringify(record));
  }
  dir = await mkdtemp(join(tmpdir(), 'switchyard-top-'));
  path = join(dir, 'usage.jsonl');
  await writeFile(path, `${lines.join('\n')}\n`);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const exactly = (report: UsageReport) => report.groups.principal ?? [];

describe('report --top over 50 000 distinct principals', () => {
  it('has at most top + 1 rows whose sums equal the totals, the heavy principals with exact figures, and says what it folded', async () => {
    const report = await createReport({ inputs: [path], top: TOP });
    const rows = exactly(report);
    expect(report.totals.requests).toBe(HEAVY.length * HEAVY_REQUESTS + UNIQUE);
    expect(rows.length).toBeLessThanOrEqual(TOP + 1);
    expect(rows.at(-1)).toMatchObject({ key: '(other)', other: true });
    expect(rows.filter((row) => row.other === true)).toHaveLength(1);
    const sum = (field: 'requests' | 'errors' | 'fallbacks' | 'inputTokens' | 'outputTokens' | 'unpricedRequests' | 'cacheHits') => rows.reduce((total, row) => total + row[field], 0);
    for (const field of ['requests', 'errors', 'fallbacks', 'inputTokens', 'outputTokens', 'unpricedRequests', 'cacheHits'] as const) expect(sum(field), field).toBe(report.totals[field]);
    expect(rows.reduce((total, row) => total + row.costUsd, 0)).toBeCloseTo(report.totals.costUsd, 6);
    expect(rows.reduce((total, row) => total + row.cacheSavedUsd, 0)).toBeCloseTo(report.totals.cacheSavedUsd, 9);
    for (const id of HEAVY) {
      const own = ends.filter((record) => (record.principal as { id: string }).id === id);
      const row = rows.find((candidate) => candidate.key === id);
      expect(row, id).toBeDefined();
      expect(row?.requests).toBe(HEAVY_REQUESTS);
      expect(row?.maxMissedRequests).toBeUndefined();
      expect(row?.inputTokens).toBe(own.reduce((total, record) => total + ((record.totalUsage as { inputTokens: number } | undefined)?.inputTokens ?? 0), 0));
      expect(row?.costUsd).toBeCloseTo(own.reduce((total, record) => total + ((record.cost as { usd: number | null } | undefined)?.usd ?? 0), 0), 9);
      expect(row?.latencyMs.max).toBe(Math.max(...own.map((record) => Number(record.latencyMs))));
    }
    const other = rows.at(-1);
    const folding = report.folding.groups.principal;
    expect(folding).toMatchObject({ keptKeys: TOP, foldedKeysApproximate: true, foldedRequests: other?.requests });
    // 50 010 principals, 100 kept: the estimate (HyperLogLog, ~1.6% standard error) within 5%.
    expect(Math.abs((folding?.foldedKeys ?? 0) - (UNIQUE + HEAVY.length - TOP))).toBeLessThanOrEqual(0.05 * UNIQUE);
    expect(folding?.approximateRows).toBe(rows.filter((row) => row.maxMissedRequests !== undefined).length);
    // The few models, routes and days fit: nothing folded there.
    expect(report.folding.groups.model).toMatchObject({ foldedKeys: 0, foldedRequests: 0 });
    expect(report.groups.model?.some((row) => row.other === true)).toBe(false);
    const html = renderHtml(report);
    expect(html).toContain('<tr><th scope="row">(other)</th>');
    expect(html).toMatch(/<p class="note folding">More than 100 keys \(--top\): about [\d,]+ more are summed in \(other\)/);
  }, 60_000);

  it('takes --top from the command line, prints the fold under the table, and refuses a --top that is not a positive whole number', async () => {
    const run = async (args: string[]) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
      const code = await runCli(args, { stdin: new PassThrough(), stdout, stderr, version: '0.0.0' });
      return { code, stdout: out, stderr: err };
    };
    const json = await run(['report', path, '--json', '--top', '10', '--by', 'principal']);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as UsageReport;
    expect(report.groups.principal).toHaveLength(11);
    expect(report.folding.limit).toBe(10);
    expect(Object.keys(report.folding.groups)).toEqual(['principal']);
    const text = await run(['report', path, '--top', '10', '--by', 'principal,model']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/\n {2}\(other\) +[\d,]+ /);
    expect(text.stdout).toMatch(/More than 10 keys \(--top\): about [\d,]+ more are summed in \(other\)/);
    for (const bad of ['0', '-3', '1.5', 'many']) {
      const refused = await run(['report', path, `--top=${bad}`]);
      expect(refused.code, bad).toBe(2);
      expect(refused.stderr).toContain(`--top takes a positive whole number of keys per grouping; got '${bad}'`);
    }
  }, 60_000);
});
