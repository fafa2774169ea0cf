import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type CircuitBreakerOptions, type CircuitBreakerTransition } from './circuit-breaker.js';

function setup(options: CircuitBreakerOptions = {}, start = 1_000) {
  const clock = { t: start };
  const transitions: CircuitBreakerTransition[] = [];
  const breaker = new CircuitBreaker({ onTransition: (t) => transitions.push(t), ...options }, () => clock.t);
  return { clock, breaker, transitions };
}

function fail(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) breaker.recordFailure();
}

function succeed(breaker: CircuitBreaker, times: number): void {
  for (let i = 0; i < times; i++) breaker.recordSuccess();
}

describe('CircuitBreaker', () => {
  it('starts closed and lets everything through', () => {
    const { breaker } = setup();
    expect(breaker.state).toBe('closed');
    expect(breaker.retryAt).toBeUndefined();
    for (let i = 0; i < 100; i++) expect(breaker.tryAcquire()).toBe(true);
  });

  it('does not open before minimumRequests, however bad the rate', () => {
    const { breaker, transitions } = setup({ minimumRequests: 5 });
    fail(breaker, 4);
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual([]);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('opens once the failure rate reaches the threshold, not below it', () => {
    const { breaker, clock, transitions } = setup({ failureRateThreshold: 0.5, minimumRequests: 4, cooldownMs: 10_000 });
    succeed(breaker, 3);
    fail(breaker, 2); // 2 / 5 = 40 %
    expect(breaker.state).toBe('closed');
    clock.t += 5;
    breaker.recordFailure(); // 3 / 6 = 50 %
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAt).toBe(11_005);
    expect(transitions).toEqual([
      { from: 'closed', to: 'open', reason: '3 of 6 requests failed in the last 60000 ms', at: 1_005, retryAt: 11_005 },
    ]);
  });

  it('never opens on successes alone, even with a threshold of 0', () => {
    const { breaker } = setup({ failureRateThreshold: 0, minimumRequests: 1 });
    succeed(breaker, 10);
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('moves open → half-open once the cooldown has passed', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 30_000 });
    breaker.recordFailure();
    clock.t += 29_999;
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.retryAt).toBe(31_000);
    clock.t += 1;
    expect(breaker.state).toBe('half-open');
    expect(breaker.retryAt).toBeUndefined();
    expect(transitions.map((t) => [t.from, t.to, t.reason, t.at])).toEqual([
      ['closed', 'open', '1 of 1 requests failed in the last 60000 ms', 1_000],
      ['open', 'half-open', 'cooldown elapsed', 31_000],
    ]);
  });

  it('lets at most halfOpenMaxProbes probes through while half-open', () => {
    const { breaker, clock } = setup({ minimumRequests: 1, cooldownMs: 100, halfOpenMaxProbes: 2 });
    breaker.recordFailure();
    clock.t += 100;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    expect(breaker.state).toBe('half-open');
  });

  it('closes on a probe success and starts a fresh window', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 2, cooldownMs: 100 });
    fail(breaker, 2);
    clock.t += 100;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
    expect(transitions.at(-1)).toEqual({ from: 'half-open', to: 'closed', reason: 'probe succeeded', at: 1_100 });
    // The failures that opened it no longer count: one new failure is below minimumRequests.
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('reopens with a fresh cooldown on a probe failure', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 100 });
    breaker.recordFailure();
    clock.t += 250;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryAt).toBe(1_350);
    expect(breaker.tryAcquire()).toBe(false);
    expect(transitions.at(-1)).toEqual({ from: 'half-open', to: 'open', reason: 'probe failed', at: 1_250, retryAt: 1_350 });
    clock.t += 100;
    // The probe count starts again from zero after the new cooldown.
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('release frees a probe slot without deciding anything', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 100 });
    breaker.recordFailure();
    clock.t += 100;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    breaker.release();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    // Extra releases never create slots beyond the limit.
    breaker.release();
    breaker.release();
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false);
    expect(transitions).toHaveLength(2);
  });

  it('release is a no-op while closed or open', () => {
    const { breaker } = setup({ minimumRequests: 1 });
    breaker.release();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    breaker.release();
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
  });

  it('ignores late outcomes while open', () => {
    const { breaker, transitions } = setup({ minimumRequests: 1 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(transitions).toHaveLength(1);
  });

  it('ages old outcomes out of the rolling window', () => {
    // 10 buckets of 1 s each.
    const { breaker, clock } = setup({ windowMs: 10_000, minimumRequests: 4, failureRateThreshold: 0.5 }, 0);
    fail(breaker, 3);
    clock.t = 9_999; // still the same window
    breaker.recordSuccess();
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed'); // 3 / 5 but no failure since the fifth request
    clock.t = 10_000; // the t=0 bucket (3 failures) has slid out; 2 successes remain
    breaker.recordFailure(); // 1 / 3: below minimumRequests anyway
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed'); // 1 / 4 = 25 %
    breaker.recordFailure(); // 2 / 5 = 40 %
    expect(breaker.state).toBe('closed');
    // Without the slide, the same sequence would have been 5 / 8 and opened.
  });

  it('forgets the whole window after a long idle spell', () => {
    const { breaker, clock } = setup({ windowMs: 10_000, minimumRequests: 3 }, 0);
    fail(breaker, 2);
    clock.t = 1_000_000;
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });

  it('counts failures spread across buckets within the window', () => {
    const { breaker, clock } = setup({ windowMs: 10_000, minimumRequests: 5, failureRateThreshold: 1 }, 0);
    for (let i = 0; i < 4; i++) {
      breaker.recordFailure();
      clock.t += 2_000;
    }
    expect(breaker.state).toBe('closed');
    breaker.recordFailure(); // t = 8 000: all five within 10 s
    expect(breaker.state).toBe('open');
  });

  it('reports transitions in order through a full cycle', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 50 });
    breaker.recordFailure();
    clock.t += 50;
    breaker.tryAcquire();
    breaker.recordFailure();
    clock.t += 50;
    breaker.tryAcquire();
    breaker.recordSuccess();
    expect(transitions.map((t) => `${t.from}→${t.to}@${t.at}`)).toEqual([
      'closed→open@1000',
      'open→half-open@1050',
      'half-open→open@1050',
      'open→half-open@1100',
      'half-open→closed@1100',
    ]);
  });

  it('survives a throwing onTransition', () => {
    const { breaker, clock } = setup({
      minimumRequests: 1,
      cooldownMs: 10,
      onTransition: () => {
        throw new Error('listener bug');
      },
    });
    expect(() => breaker.recordFailure()).not.toThrow();
    expect(breaker.state).toBe('open');
    clock.t += 10;
    expect(breaker.tryAcquire()).toBe(true);
    expect(() => breaker.recordSuccess()).not.toThrow();
    expect(breaker.state).toBe('closed');
  });

  it('sees its own new state from inside onTransition', () => {
    const seen: string[] = [];
    const clock = { t: 0 };
    const breaker: CircuitBreaker = new CircuitBreaker(
      { minimumRequests: 1, onTransition: () => seen.push(`${breaker.state} ${String(breaker.retryAt)}`) },
      () => clock.t,
    );
    breaker.recordFailure();
    expect(seen).toEqual(['open 30000']);
  });

  it('uses the documented defaults', () => {
    const { breaker, clock } = setup({}, 0);
    fail(breaker, 4);
    expect(breaker.state).toBe('closed'); // minimumRequests 5
    breaker.recordFailure();
    expect(breaker.retryAt).toBe(30_000); // cooldownMs 30 000
    clock.t = 30_000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.tryAcquire()).toBe(false); // halfOpenMaxProbes 1
  });

  it('rejects nonsense options', () => {
    const now = () => 0;
    expect(() => new CircuitBreaker({ failureRateThreshold: 1.5 }, now)).toThrow(RangeError);
    expect(() => new CircuitBreaker({ minimumRequests: 0 }, now)).toThrow(/minimumRequests/);
    expect(() => new CircuitBreaker({ windowMs: 0 }, now)).toThrow(/windowMs/);
    expect(() => new CircuitBreaker({ cooldownMs: -1 }, now)).toThrow(/cooldownMs/);
    expect(() => new CircuitBreaker({ halfOpenMaxProbes: 1.5 }, now)).toThrow(/halfOpenMaxProbes/);
    expect(() => new CircuitBreaker({ failureRateThreshold: Number.NaN }, now)).toThrow(/failureRateThreshold/);
  });
});
