// Classifying input lines: event records (docs/events.md) and audit lines (docs/audit.md), and what makes a line malformed.
import { describe, expect, it } from 'vitest';
import { parseLine } from './parse-line.js';

const end = {
  v: 1,
  type: 'request.end',
  requestId: 'r1',
  timestamp: Date.UTC(2026, 1, 3, 10),
  operation: 'chat',
  route: 'smart',
  stream: false,
  outcome: 'success',
  provider: 'openai',
  model: 'gpt-4.1',
  attempts: 1,
  served: 'provider',
  usage: { inputTokens: 10, outputTokens: 2, totalTokens: 12, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 },
  totalUsage: { inputTokens: 30, outputTokens: 5, totalTokens: 35, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 },
  cost: { usd: 0.002, estimated: false, breakdown: { input: 0.001, output: 0.001, cacheRead: 0, cacheWrite: 0, reasoning: 0 } },
  latencyMs: 420,
  principal: { id: 'ana', teams: ['support', 'search'] },
  metadata: {},
  tags: ['beta'],
};

describe('parseLine', () => {
  it('reads a request.end record: consumed tokens over every attempt (totalUsage), cost, principal, teams, tags, provider/model', () => {
    const parsed = parseLine(JSON.stringify(end));
    expect(parsed).toEqual({
      kind: 'request',
      source: 'events',
      record: { requestId: 'r1', time: end.timestamp, principal: 'ana', teams: ['support', 'search'], tags: ['beta'], model: 'openai/gpt-4.1', route: 'smart', error: false, inputTokens: 30, outputTokens: 5, costUsd: 0.002, latencyMs: 420, fallbacks: 0, cacheHit: false, cacheSavedUsd: 0 },
    });
  });

  it('reads a failed call with no attempt: no model, no usage, no cost', () => {
    const { provider: _provider, model: _model, usage: _usage, totalUsage: _total, cost: _cost, principal: _principal, ...rest } = end;
    const parsed = parseLine(JSON.stringify({ ...rest, outcome: 'error', attempts: 0, error: { name: 'ConfigError', code: 'invalid_request', message: 'x', retryable: false } }));
    expect(parsed.kind === 'request' && parsed.record).toMatchObject({ model: undefined, principal: undefined, teams: [], error: true, inputTokens: 0, costUsd: undefined });
  });

  it('keeps a null cost (a model without a price) apart from no cost', () => {
    const parsed = parseLine(JSON.stringify({ ...end, cost: { usd: null, estimated: false, reason: 'no price' } }));
    expect(parsed.kind === 'request' && parsed.record.costUsd).toBeNull();
  });

  it('reads request.fallback and cache.hit as joins to their request', () => {
    expect(parseLine(JSON.stringify({ v: 1, type: 'request.fallback', requestId: 'r1', timestamp: 5, from: 'a/b', to: 'c/d', error: { code: 'x' } }))).toEqual({ kind: 'fallback', requestId: 'r1', time: 5 });
    expect(parseLine(JSON.stringify({ v: 1, type: 'cache.hit', requestId: 'r1', timestamp: 5, cache: 'exact', namespace: 'n', key: 'k', savedUsd: 0.25 }))).toEqual({ kind: 'cache-hit', requestId: 'r1', time: 5, savedUsd: 0.25, model: undefined });
    expect(parseLine(JSON.stringify({ v: 1, type: 'cache.hit', requestId: 'r1', timestamp: 5, cache: 'exact', namespace: 'n', key: 'k', savedUsd: null }))).toMatchObject({ savedUsd: 0 });
  });

  it('tells known event types it does not count from unknown ones', () => {
    expect(parseLine(JSON.stringify({ v: 1, type: 'attempt.end', requestId: 'r', timestamp: 1 }))).toEqual({ kind: 'uncounted', type: 'attempt.end' });
    expect(parseLine(JSON.stringify({ v: 1, type: 'deployment.cooldown', requestId: '', timestamp: 1 }))).toEqual({ kind: 'uncounted', type: 'deployment.cooldown' });
    expect(parseLine(JSON.stringify({ v: 1, type: 'quota.changed', requestId: 'r', timestamp: 1 }))).toEqual({ kind: 'unknown', type: 'quota.changed' });
  });

  it('reads an audit line: usage, cost, fallbacks and cache hits from its decisions', () => {
    const line = {
      seq: 12,
      time: '2026-12-02T18:51:00.123Z',
      prev: '0'.repeat(64),
      requestId: 'r9',
      operation: 'chat',
      route: 'smart',
      stream: false,
      principal: { id: 'ana', teams: ['support'] },
      scope: null,
      tags: ['support'],
      metadata: {},
      provider: 'openai',
      model: 'gpt-4.1',
      region: null,
      served: 'provider',
      attempts: 2,
      outcome: 'unfinished',
      error: null,
      usage: { inputTokens: 512, outputTokens: 128 },
      cost: { usd: 0.00231 },
      latencyMs: 840,
      decisions: [
        { kind: 'fallback', from: 'openai-us/gpt-4.1', to: 'openai/gpt-4.1', error: 'provider_error' },
        { kind: 'cache', cache: 'exact', hit: true },
      ],
      mac: 'f'.repeat(64),
    };
    expect(parseLine(JSON.stringify(line))).toEqual({
      kind: 'request',
      source: 'audit',
      record: { requestId: 'r9', time: Date.parse(line.time), principal: 'ana', teams: ['support'], tags: ['support'], model: 'openai/gpt-4.1', route: 'smart', error: true, inputTokens: 512, outputTokens: 128, costUsd: 0.00231, latencyMs: 840, fallbacks: 1, cacheHit: true, cacheSavedUsd: 0 },
    });
  });

  it.each([
    ['{"v":1,"type":"request.end"', 'not JSON'],
    ['[1,2]', 'not a JSON object'],
    ['{"hello":"world"}', 'neither a usage event record'],
    [JSON.stringify({ ...end, v: 2 }), 'event schema version 2'],
    [JSON.stringify({ ...end, latencyMs: 'fast' }), 'request.end: latencyMs'],
    [JSON.stringify({ ...end, outcome: 'maybe' }), 'request.end: outcome'],
    [JSON.stringify({ v: 1, type: 'request.end', timestamp: 3 }), 'event record: requestId'],
    [JSON.stringify({ seq: 1, mac: 'x', time: 'yesterday' }), 'audit line: time'],
  ])('%s is malformed: %s', (line, reason) => {
    const parsed = parseLine(line);
    expect(parsed.kind).toBe('malformed');
    expect(parsed.kind === 'malformed' && parsed.reason).toContain(reason);
  });

  it('skips blank lines', () => {
    expect(parseLine('')).toEqual({ kind: 'blank' });
    expect(parseLine('   ')).toEqual({ kind: 'blank' });
  });
});
