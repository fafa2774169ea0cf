import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitBreakerTransition } from './circuit-breaker.js';
import { DeploymentHealth } from './deployment-health.js';
import { LatencyTracker } from './latency-tracker.js';
import { TokenBucket } from './token-bucket.js';

function clock() {
  const state = { t: 0 };
  return { state, now: () => state.t };
}

describe('DeploymentHealth', () => {
  it('creates one breaker, budget and tracker per deployment, lazily, and returns the same ones after', () => {
    const { now } = clock();
    const health = new DeploymentHealth({}, now);
    const a = health.get('openai/gpt-4.1');
    expect(a.breaker).toBeInstanceOf(CircuitBreaker);
    expect(a.retryBudget).toBeInstanceOf(TokenBucket);
    expect(a.latency).toBeInstanceOf(LatencyTracker);
    expect(health.get('openai/gpt-4.1')).toBe(a);
    const b = health.get('anthropic/claude-sonnet-4');
    expect(b.breaker).not.toBe(a.breaker);
    expect(b.retryBudget).not.toBe(a.retryBudget);
    expect(b.latency).not.toBe(a.latency);
  });

  it('keeps deployments independent', () => {
    const { now } = clock();
    const health = new DeploymentHealth({ breaker: { minimumRequests: 1 } }, now);
    health.get('openai/gpt-4.1').breaker.tryAcquire()?.failure();
    expect(health.get('openai/gpt-4.1').breaker.state).toBe('open');
    expect(health.get('openai/gpt-4.1-mini').breaker.state).toBe('closed');
  });

  it('applies the shared options to every deployment', () => {
    const { now, state } = clock();
    const health = new DeploymentHealth(
      { breaker: { minimumRequests: 2, cooldownMs: 500 }, retryBudget: { capacity: 2, refillPerSecond: 1 }, latencyHalfLifeMs: 1_000 },
      now,
    );
    for (const id of ['a/x', 'b/y']) {
      const { breaker, retryBudget, latency } = health.get(id);
      breaker.tryAcquire()?.failure();
      expect(breaker.state).toBe('closed');
      breaker.tryAcquire()?.failure();
      expect(breaker.retryAt).toBe(500);
      expect(retryBudget.tryTake(2)).toBe(true);
      expect(retryBudget.tryTake()).toBe(false);
      latency.recordLatency(100);
    }
    state.t = 1_000;
    health.get('a/x').latency.recordLatency(400);
    expect(health.get('a/x').latency.averageLatency).toBeCloseTo(450 / 1.5, 10);
  });

  it('gives a default retry budget of 10, refilling 1 a second', () => {
    const { now, state } = clock();
    const budget = new DeploymentHealth({}, now).get('a/x').retryBudget;
    expect(budget.available).toBe(10);
    expect(budget.tryTake(10)).toBe(true);
    state.t = 1_000;
    expect(budget.available).toBe(1);
  });

  it('stands in an always-closed breaker when breaking is disabled', () => {
    const { now } = clock();
    const transitions: string[] = [];
    const health = new DeploymentHealth({ breaker: false, onTransition: (id) => transitions.push(id) }, now);
    const { breaker } = health.get('a/x');
    for (let i = 0; i < 100; i++) breaker.tryAcquire()?.failure();
    breaker.tryAcquire()?.release();
    breaker.tryAcquire()?.success();
    expect(breaker.state).toBe('closed');
    expect(breaker.retryAt).toBeUndefined();
    expect(breaker.tryAcquire()).toMatchObject({ probe: false });
    expect(transitions).toEqual([]);
  });

  it('stands in an unlimited budget when the retry budget is disabled', () => {
    const { now } = clock();
    const { retryBudget } = new DeploymentHealth({ retryBudget: false }, now).get('a/x');
    for (let i = 0; i < 1_000; i++) expect(retryBudget.tryTake()).toBe(true);
    expect(retryBudget.tryTake(1e9)).toBe(true);
    expect(retryBudget.available).toBe(Number.POSITIVE_INFINITY);
  });

  it('reports every transition with its deployment id, after the breaker option hook', () => {
    const { now, state } = clock();
    const calls: string[] = [];
    const health = new DeploymentHealth(
      {
        breaker: { minimumRequests: 1, cooldownMs: 100, onTransition: (t) => calls.push(`breaker ${t.to}`) },
        onTransition: (id: string, t: CircuitBreakerTransition) => calls.push(`${id} ${t.from}→${t.to} ${t.reason}`),
      },
      now,
    );
    health.get('openai/gpt-4.1').breaker.tryAcquire()?.failure();
    state.t = 100;
    health.get('openai/gpt-4.1').breaker.tryAcquire()?.success();
    health.get('google/gemini-2.5-pro').breaker.tryAcquire()?.failure();
    expect(calls).toEqual([
      'breaker open',
      'openai/gpt-4.1 closed→open 1 of 1 requests failed in the last 60000 ms',
      'breaker half-open',
      'openai/gpt-4.1 open→half-open cooldown elapsed',
      'breaker closed',
      'openai/gpt-4.1 half-open→closed probe succeeded',
      'breaker open',
      'google/gemini-2.5-pro closed→open 1 of 1 requests failed in the last 60000 ms',
    ]);
  });

  it('passes retryAt with a cooldown so a listener can report when it ends', () => {
    const { now, state } = clock();
    state.t = 2_000;
    const seen: CircuitBreakerTransition[] = [];
    const health = new DeploymentHealth({ breaker: { minimumRequests: 1, cooldownMs: 750 }, onTransition: (_id, t) => seen.push(t) }, now);
    health.get('a/x').breaker.tryAcquire()?.failure();
    expect(seen).toEqual([{ from: 'closed', to: 'open', reason: '1 of 1 requests failed in the last 60000 ms', at: 2_000, retryAt: 2_750 }]);
  });

  it('still calls the id hook when the breaker option hook throws, and survives both throwing', () => {
    const { now } = clock();
    const ids: string[] = [];
    const health = new DeploymentHealth(
      {
        breaker: {
          minimumRequests: 1,
          onTransition: () => {
            throw new Error('first');
          },
        },
        onTransition: (id) => {
          ids.push(id);
          throw new Error('second');
        },
      },
      now,
    );
    const { breaker } = health.get('a/x');
    expect(() => breaker.tryAcquire()?.failure()).not.toThrow();
    expect(breaker.state).toBe('open');
    expect(ids).toEqual(['a/x']);
  });

  it('rejects bad options at construction, not on first use', () => {
    const { now } = clock();
    expect(() => new DeploymentHealth({ breaker: { failureRateThreshold: 2 } }, now)).toThrow(/failureRateThreshold/);
    expect(() => new DeploymentHealth({ retryBudget: { capacity: -1, refillPerSecond: 1 } }, now)).toThrow(/capacity/);
    expect(() => new DeploymentHealth({ latencyHalfLifeMs: 0 }, now)).toThrow(/halfLifeMs/);
  });

  it('does not report transitions of the construction-time check', () => {
    const { now } = clock();
    const ids: string[] = [];
    const health = new DeploymentHealth({ onTransition: (id) => ids.push(id) }, now);
    expect(ids).toEqual([]);
    expect(health.get('').breaker.state).toBe('closed');
  });
});

describe('DeploymentHealth memory', () => {
  it('is bounded: long-unused deployments are forgotten and start afresh', () => {
    const health = new DeploymentHealth({}, () => 0);
    const first = health.get('p/first');
    for (let i = 0; i < 5000; i++) health.get(`p/model-${i}`);
    expect(health.get('p/first')).not.toBe(first);
    expect(health.get('p/model-4999')).toBe(health.get('p/model-4999'));
  });
});
