// The report over a generated log of 100k requests equals a direct computation of the same sums; time ranges, malformed lines and percentiles checked against it.
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { createReport, type GroupRow, type Grouping, type UsageReport } from '@switchyard/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, usageRecords, type JsonRecord } from './usage-log-generator.js';

const REQUESTS = 100_000;
const START = Date.UTC(2026, 0, 1);
const DAYS = 7;

interface Expected {
  requests: number;
  errors: number;
  fallbacks: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  cacheHits: number;
  cacheSavedUsd: number;
  latencies: number[];
}

const empty = (): Expected => ({ requests: 0, errors: 0, fallbacks: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, cacheHits: 0, cacheSavedUsd: 0, latencies: [] });

/** The sums straight from the generated records: every request.end in [from, to), with its request's fallbacks and cache hit. */
function directSums(records: readonly JsonRecord[], from = Number.NEGATIVE_INFINITY, to = Number.POSITIVE_INFINITY): { totals: Expected; groups: Record<Grouping, Map<string, Expected>> } {
  const fellBack = new Set<string>();
  const saved = new Map<string, number>();
  const savedBy = new Map<string, string>();
  const totals = empty();
  const groups: Record<Grouping, Map<string, Expected>> = { principal: new Map(), team: new Map(), tag: new Map(), model: new Map(), route: new Map(), day: new Map() };
  for (const record of records) {
    const id = String(record.requestId);
    if (record.type === 'request.fallback') fellBack.add(id);
    if (record.type === 'cache.hit') {
      saved.set(id, Number(record.savedUsd));
      savedBy.set(id, `${String(record.provider)}/${String(record.model)}`);
    }
    if (record.type !== 'request.end') continue;
    const timestamp = Number(record.timestamp);
    if (timestamp < from || timestamp >= to) continue;
    const principal = record.principal as { id: string; teams?: string[] } | undefined;
    const usage = record.totalUsage as { inputTokens: number; outputTokens: number } | undefined;
    const cost = record.cost as { usd: number | null } | undefined;
    const keys: Record<Grouping, string[]> = {
      principal: [principal?.id ?? '(none)'],
      team: principal?.teams?.length ? [...new Set(principal.teams)] : ['(none)'],
      tag: (record.tags as string[]).length > 0 ? [...new Set(record.tags as string[])] : ['(none)'],
      // docs/report.md: a request.end without a model takes the model of its cache hit's answer.
      model: [record.model === undefined ? (savedBy.get(id) ?? '(none)') : `${String(record.provider)}/${String(record.model)}`],
      route: [String(record.route)],
      day: [new Date(timestamp).toISOString().slice(0, 10)],
    };
    const targets = [totals, ...(Object.keys(keys) as Grouping[]).flatMap((grouping) => keys[grouping].map((key) => {
      let sums = groups[grouping].get(key);
      if (!sums) groups[grouping].set(key, (sums = empty()));
      return sums;
    }))];
    for (const sums of targets) {
      sums.requests += 1;
      if (record.outcome === 'error') sums.errors += 1;
      if (fellBack.has(id)) sums.fallbacks += 1;
      sums.inputTokens += usage?.inputTokens ?? 0;
      sums.outputTokens += usage?.outputTokens ?? 0;
      sums.costUsd += cost?.usd ?? 0;
      if (saved.has(id)) {
        sums.cacheHits += 1;
        sums.cacheSavedUsd += saved.get(id) ?? 0;
      }
      sums.latencies.push(Number(record.latencyMs));
    }
  }
  return { totals, groups };
}

function expectSums(actual: Omit<GroupRow, 'key'> | undefined, expected: Expected, label: string): void {
  expect(actual, label).toBeDefined();
  if (!actual) return;
  expect({ requests: actual.requests, errors: actual.errors, fallbacks: actual.fallbacks, inputTokens: actual.inputTokens, outputTokens: actual.outputTokens, cacheHits: actual.cacheHits }, label).toEqual({
    requests: expected.requests,
    errors: expected.errors,
    fallbacks: expected.fallbacks,
    inputTokens: expected.inputTokens,
    outputTokens: expected.outputTokens,
    cacheHits: expected.cacheHits,
  });
  // USD are floats summed in the same order, but not necessarily: allow rounding only.
  expect(actual.costUsd, `${label} cost`).toBeCloseTo(expected.costUsd, 9);
  expect(actual.cacheSavedUsd, `${label} saved`).toBeCloseTo(expected.cacheSavedUsd, 9);
}

function expectGroups(report: UsageReport, expected: ReturnType<typeof directSums>, groupings: readonly Grouping[]): void {
  for (const grouping of groupings) {
    const rows = report.groups[grouping] ?? [];
    expect(rows.map((row) => row.key).sort(), grouping).toEqual([...expected.groups[grouping].keys()].sort());
    for (const [key, sums] of expected.groups[grouping]) expectSums(rows.find((row) => row.key === key), sums, `${grouping} ${key}`);
  }
}

let dir: string;
let path: string;
const records: JsonRecord[] = [];
let fullReport: Promise<UsageReport> | undefined;
/** The report over the whole log, every grouping: made once, checked by the first tests. */
const wholeLog = () => (fullReport ??= createReport({ inputs: [path] }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-report-'));
  path = join(dir, 'usage.jsonl');
  const out = createWriteStream(path);
  let buffer = '';
  let lineNumber = 0;
  for (const record of usageRecords({ requests: REQUESTS, start: START, days: DAYS, seed: 1 })) {
    records.push(record);
    buffer += `${JSON.stringify(record)}\n`;
    lineNumber += 1;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      buffer = '';
    }
  }
  out.end(buffer);
  await finished(out);
  expect(lineNumber).toBeGreaterThan(REQUESTS);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report over a generated log of 100k requests', () => {
  it('sums cost, tokens, requests, errors, fallbacks and cache savings by principal, team, tag, model, route and day as a direct computation does', async () => {
    const report = await wholeLog();
    const expected = directSums(records);
    expect(report.totals.requests).toBe(REQUESTS);
    expectSums(report.totals, expected.totals, 'totals');
    expectGroups(report, expected, ['principal', 'team', 'tag', 'model', 'route', 'day']);
    expect(report.groups.day).toHaveLength(DAYS);
    expect(report.malformed.count).toBe(0);
    expect(report.lines.unknownTypes['future.event']).toBe(records.filter((record) => record.type === 'future.event').length);
    expect(report.lines.total).toBe(records.length);
    expect(report.unattributed).toEqual({ fallbacks: 0, cacheHits: 0, cacheSavedUsd: 0 });
  }, 30_000);

  it('gives latency percentiles within 1% of the exact ones, for the totals and every model', async () => {
    const report = await wholeLog();
    const expected = directSums(records);
    const check = (actual: GroupRow['latencyMs'], latencies: number[], label: string) => {
      const sorted = [...latencies].sort((a, b) => a - b);
      for (const [q, value] of [[0.5, actual.p50], [0.9, actual.p90], [0.99, actual.p99]] as const) {
        const exact = sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
        expect(Math.abs((value ?? Number.NaN) - exact), `${label} p${q * 100}: ${value} vs ${exact}`).toBeLessThanOrEqual(0.01 * exact);
      }
      expect(actual.max).toBe(sorted.at(-1));
    };
    check(report.totals.latencyMs, expected.totals.latencies, 'totals');
    for (const row of report.groups.model ?? []) check(row.latencyMs, expected.groups.model.get(row.key)?.latencies ?? [], row.key);
  }, 30_000);

  it('counts only the requests in [--from, --to)', async () => {
    const from = START + 2 * DAY_MS;
    const to = START + 4 * DAY_MS + 12 * 3_600_000;
    const report = await createReport({ inputs: [path], from: new Date(from).toISOString(), to: new Date(to) });
    const expected = directSums(records, from, to);
    expectSums(report.totals, expected.totals, 'totals in range');
    expectGroups(report, expected, ['day', 'team', 'model']);
    expect(report.groups.day?.map((row) => row.key)).toEqual(['2026-01-03', '2026-01-04', '2026-01-05']);
    expect(report.lines.requests + report.lines.outOfRange).toBe(REQUESTS);
    expect(report.range).toEqual({ from: '2026-01-03T00:00:00.000Z', to: '2026-01-05T12:00:00.000Z' });
  }, 30_000);

  it('takes a date alone as UTC midnight, and a date-time without an offset as UTC', async () => {
    const report = await createReport({ inputs: [path], from: '2026-01-02', to: '2026-01-03T00:00', by: ['day'] });
    const expected = directSums(records, START + DAY_MS, START + 2 * DAY_MS);
    expectSums(report.totals, expected.totals, 'one day');
    expect(report.groups.day?.map((row) => row.key)).toEqual(['2026-01-02']);
  }, 30_000);
});
