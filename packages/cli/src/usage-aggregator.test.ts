// Folding lines into a report: multi-valued groupings, joins of fallbacks and cache hits, time ranges, malformed lines by position, bounded joins.
import { describe, expect, it } from 'vitest';
import { MALFORMED_LISTED, NO_KEY, OTHER_KEY } from './report-model.js';
import { PENDING_JOIN_LIMIT, selectGroupings, UsageAggregator } from './usage-aggregator.js';

const DAY = Date.UTC(2026, 2, 10);

function end(requestId: string, fields: Record<string, unknown> = {}): string {
  return JSON.stringify({
    v: 1,
    type: 'request.end',
    requestId,
    timestamp: DAY,
    route: 'smart',
    outcome: 'success',
    provider: 'openai',
    model: 'gpt-4.1',
    totalUsage: { inputTokens: 100, outputTokens: 10 },
    cost: { usd: 0.01, estimated: false },
    latencyMs: 100,
    principal: { id: 'ana', teams: ['support', 'search'] },
    metadata: {},
    tags: [],
    ...fields,
  });
}

function feed(aggregator: UsageAggregator, lines: readonly string[], name = 'log.jsonl'): void {
  aggregator.beginInput(name, null);
  lines.forEach((line, index) => aggregator.addLine(line, index + 1));
}

describe('UsageAggregator', () => {
  it('counts a request with several teams in each team, once in the totals; no team or tag is (none)', () => {
    const aggregator = new UsageAggregator();
    feed(aggregator, [end('a'), end('b', { principal: { id: 'bo' }, tags: ['x', 'x', 'y'] })]);
    const report = aggregator.report();
    expect(report.totals.requests).toBe(2);
    expect(report.totals.costUsd).toBeCloseTo(0.02, 12);
    const teams = Object.fromEntries((report.groups.team ?? []).map((row) => [row.key, row.requests]));
    expect(teams).toEqual({ support: 1, search: 1, [NO_KEY]: 1 });
    const tags = Object.fromEntries((report.groups.tag ?? []).map((row) => [row.key, row.requests]));
    // A tag listed twice on one request counts once for it.
    expect(tags).toEqual({ x: 1, y: 1, [NO_KEY]: 1 });
    expect(report.groups.day?.map((row) => row.key)).toEqual(['2026-03-10']);
  });

  it('joins request.fallback and cache.hit to the request.end of the same request id', () => {
    const aggregator = new UsageAggregator();
    feed(aggregator, [
      JSON.stringify({ v: 1, type: 'request.fallback', requestId: 'a', timestamp: DAY, from: 'p/x', to: 'openai/gpt-4.1', error: {} }),
      JSON.stringify({ v: 1, type: 'request.fallback', requestId: 'a', timestamp: DAY, from: 'q/x', to: 'openai/gpt-4.1', error: {} }),
      JSON.stringify({ v: 1, type: 'cache.hit', requestId: 'b', timestamp: DAY, cache: 'exact', namespace: 'n', key: 'k', savedUsd: 0.5, provider: 'openai', model: 'gpt-4.1-mini' }),
      end('a'),
      end('b', { principal: { id: 'bo', teams: ['growth'] }, served: 'middleware', provider: undefined, model: undefined, cost: { usd: 0, estimated: false } }),
      end('c'),
    ]);
    const report = aggregator.report();
    expect(report.totals).toMatchObject({ requests: 3, fallbacks: 1, cacheHits: 1, cacheSavedUsd: 0.5 });
    expect(report.totals.fallbackRate).toBeCloseTo(1 / 3, 12);
    const bo = report.groups.principal?.find((row) => row.key === 'bo');
    expect(bo).toMatchObject({ requests: 1, cacheHits: 1, cacheSavedUsd: 0.5, fallbacks: 0 });
    expect(report.unattributed).toEqual({ fallbacks: 0, cacheHits: 0, cacheSavedUsd: 0 });
    expect(report.lines.joined).toBe(3);
    // The cache hit's request.end names no model: the one that made the cached answer counts it.
    expect(report.groups.model?.find((row) => row.key === 'openai/gpt-4.1-mini')).toMatchObject({ requests: 1, cacheHits: 1 });
  });

  it('reports fallbacks and cache hits whose request.end never came as unattributed', () => {
    const aggregator = new UsageAggregator();
    feed(aggregator, [JSON.stringify({ v: 1, type: 'cache.hit', requestId: 'lost', timestamp: DAY, cache: 'exact', namespace: 'n', key: 'k', savedUsd: 0.25 })]);
    const report = aggregator.report();
    expect(report.unattributed).toEqual({ fallbacks: 0, cacheHits: 1, cacheSavedUsd: 0.25 });
    expect(report.totals.cacheHits).toBe(0);
  });

  it(`holds at most ${PENDING_JOIN_LIMIT} requests waiting for their end: the oldest beyond it become unattributed`, () => {
    const aggregator = new UsageAggregator();
    const fallbacks = Array.from({ length: PENDING_JOIN_LIMIT + 5 }, (_, index) => JSON.stringify({ v: 1, type: 'request.fallback', requestId: `r${index}`, timestamp: DAY, from: 'a', to: 'b', error: {} }));
    // The first request's end comes after its entry was evicted; the last one's is still held.
    feed(aggregator, [...fallbacks, end('r0'), end(`r${PENDING_JOIN_LIMIT + 4}`)]);
    const report = aggregator.report();
    expect(report.totals.requests).toBe(2);
    expect(report.totals.fallbacks).toBe(1);
    expect(report.unattributed.fallbacks).toBe(PENDING_JOIN_LIMIT + 5 - 1);
  });

  it('counts requests in [from, to) only, and says how many were out of range', () => {
    const aggregator = new UsageAggregator({ from: DAY, to: DAY + 1000 });
    feed(aggregator, [end('early', { timestamp: DAY - 1 }), end('first', { timestamp: DAY }), end('last', { timestamp: DAY + 999 }), end('late', { timestamp: DAY + 1000 })]);
    const report = aggregator.report({ from: new Date(DAY).toISOString(), to: new Date(DAY + 1000).toISOString() });
    expect(report.totals.requests).toBe(2);
    expect(report.lines.outOfRange).toBe(2);
    expect(report.range).toEqual({ from: '2026-03-10T00:00:00.000Z', to: '2026-03-10T00:00:01.000Z' });
  });

  it(`lists the first ${MALFORMED_LISTED} malformed lines by file and line, counts all, and counts the rest`, () => {
    const aggregator = new UsageAggregator();
    const lines = Array.from({ length: 60 }, (_, index) => (index % 2 === 0 ? end(`r${index}`) : '{"cut'));
    feed(aggregator, lines.slice(0, 30), 'a.jsonl');
    feed(aggregator, lines.slice(30), 'b.jsonl');
    const report = aggregator.report();
    expect(report.totals.requests).toBe(30);
    expect(report.malformed.count).toBe(30);
    expect(report.malformed.first).toHaveLength(MALFORMED_LISTED);
    expect(report.malformed.first.slice(0, 2)).toEqual([
      { file: 'a.jsonl', line: 2, reason: 'not JSON' },
      { file: 'a.jsonl', line: 4, reason: 'not JSON' },
    ]);
    expect(report.malformed.first[15]).toEqual({ file: 'b.jsonl', line: 2, reason: 'not JSON' });
    expect(report.inputs).toEqual([
      { name: 'a.jsonl', bytes: null, lines: 30 },
      { name: 'b.jsonl', bytes: null, lines: 30 },
    ]);
  });

  it('sorts groups by cost, days by date, and selects groupings in the order asked', () => {
    const aggregator = new UsageAggregator();
    feed(aggregator, [end('a', { timestamp: DAY + 86_400_000, cost: { usd: 1 } }), end('b', { model: 'gpt-4.1-mini', cost: { usd: 3 } })]);
    const report = selectGroupings(aggregator.report(), ['day', 'model']);
    expect(report.groupings).toEqual(['day', 'model']);
    expect(Object.keys(report.groups)).toEqual(['day', 'model']);
    expect(report.groups.day?.map((row) => row.key)).toEqual(['2026-03-10', '2026-03-11']);
    expect(report.groups.model?.map((row) => row.key)).toEqual(['openai/gpt-4.1-mini', 'openai/gpt-4.1']);
  });

  it('bins every request into the latency histogram', () => {
    const aggregator = new UsageAggregator();
    feed(aggregator, [1, 5, 20, 100, 800, 4000].map((latencyMs, index) => end(`r${index}`, { latencyMs })));
    const { latencyHistogram } = aggregator.report();
    expect(latencyHistogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(6);
    expect(latencyHistogram[0]?.fromMs).toBe(1);
    expect(latencyHistogram.at(-1)?.toMs).toBe(4000);
  });

  it('never tracks more than `top` keys per grouping, and folds the rest into (other) with the sums intact', () => {
    const top = 50;
    const aggregator = new UsageAggregator({ top });
    aggregator.beginInput('log.jsonl', null);
    for (let index = 0; index < 5_000; index += 1) {
      // Every request a new principal, tag and day (a log of 5 000 days, for the day grouping's cap too).
      aggregator.addLine(end(`r${index}`, { principal: { id: `user-${index}` }, tags: [`t${index}`], timestamp: DAY + index * 86_400_000 }), index + 1);
      for (const grouping of ['principal', 'tag', 'day'] as const) expect(aggregator.trackedKeys(grouping)).toBeLessThanOrEqual(top);
    }
    expect(aggregator.trackedKeys('principal')).toBe(top);
    expect(aggregator.trackedKeys('model')).toBe(1);
    const report = aggregator.report();
    for (const grouping of ['principal', 'tag', 'day'] as const) {
      const rows = report.groups[grouping] ?? [];
      expect(rows).toHaveLength(top + 1);
      expect(rows.at(-1)).toMatchObject({ key: OTHER_KEY, other: true, requests: 5_000 - top });
      expect(rows.reduce((sum, row) => sum + row.requests, 0)).toBe(5_000);
      expect(report.folding.groups[grouping]).toMatchObject({ keptKeys: top, foldedKeysApproximate: true, foldedRequests: 5_000 - top });
    }
    expect(report.folding).toMatchObject({ limit: top, rankedBy: 'requests' });
    expect(report.groups.model).toEqual([expect.objectContaining({ key: 'openai/gpt-4.1', requests: 5_000 })]);
    expect(report.folding.groups.model).toEqual({ keptKeys: 1, foldedKeys: 0, foldedKeysApproximate: false, foldedRequests: 0, approximateRows: 0 });
    expect(selectGroupings(report, ['model']).folding.groups).toEqual({ model: report.folding.groups.model });
  });

  it('rejects a top that is not a positive integer', () => {
    expect(() => new UsageAggregator({ top: 0 })).toThrow(RangeError);
  });
});
