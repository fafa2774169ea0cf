import { describe, expect, it } from 'vitest';
import { CircuitBreaker, type BreakerPermit, type CircuitBreakerOptions, type CircuitBreakerTransition } from './circuit-breaker.js';

function setup(options: CircuitBreakerOptions = {}, start = 1_000) {
  const clock = { t: start };
  const transitions: CircuitBreakerTransition[] = [];
  const breaker = new CircuitBreaker({ onTransition: (t) => transitions.push(t), ...options }, () => clock.t);
  return { clock, breaker, transitions };
}

/** A permit the breaker must grant. */
function acquire(breaker: CircuitBreaker): BreakerPermit {
  const permit = breaker.tryAcquire();
  if (!permit) throw new Error(`expected the ${breaker.state} breaker to let a call through`);
  return permit;
}

function fail(breaker: CircuitBreaker, times = 1): void {
  for (let i = 0; i < times; i++) acquire(breaker).failure();
}

function succeed(breaker: CircuitBreaker, times = 1): void {
  for (let i = 0; i < times; i++) acquire(breaker).success();
}

describe('CircuitBreaker', () => {
  it('starts closed and lets everything through', () => {
    const { breaker } = setup();
    expect(breaker.state).toBe('closed');
    expect(breaker.retryAt).toBeUndefined();
    for (let i = 0; i < 100; i++) expect(breaker.tryAcquire()).toBeDefined();
  });

  it('does not open before minimumRequests, however bad the rate', () => {
    const { breaker, transitions } = setup({ minimumRequests: 5 });
    fail(breaker, 4);
    expect(breaker.state).toBe('closed');
    expect(transitions).toEqual([]);
    fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('opens once the failure rate reaches the threshold, not below it', () => {
    const { breaker, clock, transitions } = setup({ failureRateThreshold: 0.5, minimumRequests: 4, cooldownMs: 10_000 });
    succeed(breaker, 3);
    fail(breaker, 2); // 2 / 5 = 40 %
    expect(breaker.state).toBe('closed');
    clock.t += 5;
    fail(breaker); // 3 / 6 = 50 %
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.retryAt).toBe(11_005);
    expect(transitions).toEqual([
      { from: 'closed', to: 'open', reason: '3 of 6 requests failed in the last 60000 ms', at: 1_005, retryAt: 11_005 },
    ]);
  });

  it('never opens on successes alone, even with a threshold of 0', () => {
    const { breaker } = setup({ failureRateThreshold: 0, minimumRequests: 1 });
    succeed(breaker, 10);
    expect(breaker.state).toBe('closed');
    fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('moves open → half-open once the cooldown has passed', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 30_000 });
    fail(breaker);
    clock.t += 29_999;
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
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
    fail(breaker);
    clock.t += 100;
    expect(breaker.tryAcquire()).toBeDefined();
    expect(breaker.tryAcquire()).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.state).toBe('half-open');
  });

  it('closes on a probe success and starts a fresh window', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 2, cooldownMs: 100 });
    fail(breaker, 2);
    clock.t += 100;
    const probe = acquire(breaker);
    expect(probe.probe).toBe(true);
    probe.success();
    expect(breaker.state).toBe('closed');
    expect(acquire(breaker).probe).toBe(false);
    expect(transitions.at(-1)).toEqual({ from: 'half-open', to: 'closed', reason: 'probe succeeded', at: 1_100 });
    // The failures that opened it no longer count: one new failure is below minimumRequests.
    fail(breaker);
    expect(breaker.state).toBe('closed');
    fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('reopens with a fresh cooldown on a probe failure', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 100 });
    fail(breaker);
    clock.t += 250;
    acquire(breaker).failure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryAt).toBe(1_350);
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(transitions.at(-1)).toEqual({ from: 'half-open', to: 'open', reason: 'probe failed', at: 1_250, retryAt: 1_350 });
    clock.t += 100;
    // The probe count starts again from zero after the new cooldown.
    expect(breaker.tryAcquire()).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined();
  });

  it('release frees a probe slot without deciding anything, once per permit', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 100 });
    fail(breaker);
    clock.t += 100;
    const first = acquire(breaker);
    expect(breaker.tryAcquire()).toBeUndefined();
    first.release();
    expect(breaker.state).toBe('half-open');
    acquire(breaker);
    // Settling the same permit again never frees a slot held by another probe.
    first.release();
    first.failure();
    expect(breaker.tryAcquire()).toBeUndefined();
    expect(breaker.state).toBe('half-open');
    expect(transitions).toHaveLength(2);
  });

  it('release decides nothing while closed', () => {
    const { breaker } = setup({ minimumRequests: 1 });
    acquire(breaker).release();
    expect(breaker.state).toBe('closed');
    fail(breaker);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBeUndefined();
  });

  it('ignores late outcomes of calls let in while closed, once it is open or half-open', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 100 });
    const early = [acquire(breaker), acquire(breaker), acquire(breaker)];
    fail(breaker);
    early[0]?.success();
    early[1]?.failure();
    expect(breaker.state).toBe('open');
    expect(transitions).toHaveLength(1);
    clock.t += 100;
    const probe = acquire(breaker);
    // A call sent before the breaker opened is not the probe: its failure neither reopens
    // the breaker nor frees the probe's slot.
    early[2]?.failure();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBeUndefined();
    probe.success();
    expect(breaker.state).toBe('closed');
  });

  it('marks a call as a probe in the same step that lets it in, at the cooldown boundary', () => {
    // Whatever the clock says between reads, the permit says what the call is.
    for (let offset = -3; offset <= 3; offset++) {
      const { breaker, clock } = setup({ minimumRequests: 1, cooldownMs: 100 });
      fail(breaker);
      clock.t += 100 + offset;
      const permit = breaker.tryAcquire();
      if (offset < 0) {
        expect(permit).toBeUndefined();
        continue;
      }
      expect(permit?.probe).toBe(true);
      // An outcome that is no verdict (a 400, an abort) gives the slot back.
      permit?.release();
      expect(acquire(breaker).probe).toBe(true);
    }
  });

  it('frees the slot of a probe that outlives probeTimeoutMs and says when a call may pass', () => {
    const { breaker, clock } = setup({ minimumRequests: 1, cooldownMs: 100, probeTimeoutMs: 5_000 });
    fail(breaker);
    clock.t += 100;
    const hung = acquire(breaker);
    clock.t += 4_999;
    expect(breaker.tryAcquire()).toBeUndefined();
    // Rejected callers learn when the slot frees, not nothing.
    expect(breaker.retryAt).toBe(6_100);
    clock.t += 1;
    expect(breaker.retryAt).toBeUndefined();
    const next = acquire(breaker);
    expect(next.probe).toBe(true);
    // The hung probe ending late frees nothing twice: the new probe keeps its slot.
    hung.release();
    expect(breaker.tryAcquire()).toBeUndefined();
    next.success();
    expect(breaker.state).toBe('closed');
  });

  it('lets a late verdict of an overdue probe still settle its own half-open spell', () => {
    const { breaker, clock } = setup({ minimumRequests: 1, cooldownMs: 100, probeTimeoutMs: 1_000 });
    fail(breaker);
    clock.t += 100;
    const slow = acquire(breaker);
    clock.t += 2_000;
    slow.success();
    expect(breaker.state).toBe('closed');
  });

  it('ignores a probe verdict from an earlier half-open spell', () => {
    const { breaker, clock } = setup({ minimumRequests: 1, cooldownMs: 100, probeTimeoutMs: 50 });
    fail(breaker);
    clock.t += 100;
    const old = acquire(breaker);
    clock.t += 50;
    acquire(breaker).failure(); // reopens
    clock.t += 100; // a new half-open spell
    const current = acquire(breaker);
    old.success();
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBeUndefined();
    current.success();
    expect(breaker.state).toBe('closed');
  });

  it('ages old outcomes out of the rolling window', () => {
    // 10 buckets of 1 s each.
    const { breaker, clock } = setup({ windowMs: 10_000, minimumRequests: 4, failureRateThreshold: 0.5 }, 0);
    fail(breaker, 3);
    clock.t = 9_999; // still the same window
    succeed(breaker);
    succeed(breaker);
    expect(breaker.state).toBe('closed'); // 3 / 5 but no failure since the fifth request
    clock.t = 10_000; // the t=0 bucket (3 failures) has slid out; 2 successes remain
    fail(breaker); // 1 / 3: below minimumRequests anyway
    succeed(breaker);
    expect(breaker.state).toBe('closed'); // 1 / 4 = 25 %
    fail(breaker); // 2 / 5 = 40 %
    expect(breaker.state).toBe('closed');
    // Without the slide, the same sequence would have been 5 / 8 and opened.
  });

  it('forgets the whole window after a long idle spell', () => {
    const { breaker, clock } = setup({ windowMs: 10_000, minimumRequests: 3 }, 0);
    fail(breaker, 2);
    clock.t = 1_000_000;
    fail(breaker);
    expect(breaker.state).toBe('closed');
    fail(breaker);
    fail(breaker);
    expect(breaker.state).toBe('open');
  });

  it('counts failures spread across buckets within the window', () => {
    const { breaker, clock } = setup({ windowMs: 10_000, minimumRequests: 5, failureRateThreshold: 1 }, 0);
    for (let i = 0; i < 4; i++) {
      fail(breaker);
      clock.t += 2_000;
    }
    expect(breaker.state).toBe('closed');
    fail(breaker); // t = 8 000: all five within 10 s
    expect(breaker.state).toBe('open');
  });

  it('reports transitions in order through a full cycle', () => {
    const { breaker, clock, transitions } = setup({ minimumRequests: 1, cooldownMs: 50 });
    fail(breaker);
    clock.t += 50;
    fail(breaker);
    clock.t += 50;
    succeed(breaker);
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
    expect(() => fail(breaker)).not.toThrow();
    expect(breaker.state).toBe('open');
    clock.t += 10;
    expect(() => succeed(breaker)).not.toThrow();
    expect(breaker.state).toBe('closed');
  });

  it('sees its own new state from inside onTransition', () => {
    const seen: string[] = [];
    const clock = { t: 0 };
    const breaker: CircuitBreaker = new CircuitBreaker(
      { minimumRequests: 1, onTransition: () => seen.push(`${breaker.state} ${String(breaker.retryAt)}`) },
      () => clock.t,
    );
    fail(breaker);
    expect(seen).toEqual(['open 30000']);
  });

  it('uses the documented defaults', () => {
    const { breaker, clock } = setup({}, 0);
    fail(breaker, 4);
    expect(breaker.state).toBe('closed'); // minimumRequests 5
    fail(breaker);
    expect(breaker.retryAt).toBe(30_000); // cooldownMs 30 000
    clock.t = 30_000;
    expect(breaker.tryAcquire()).toBeDefined();
    expect(breaker.tryAcquire()).toBeUndefined(); // halfOpenMaxProbes 1
    expect(breaker.retryAt).toBe(40_000); // probeTimeoutMs 10 000
  });

  it('rejects nonsense options', () => {
    const now = () => 0;
    expect(() => new CircuitBreaker({ failureRateThreshold: 1.5 }, now)).toThrow(RangeError);
    expect(() => new CircuitBreaker({ minimumRequests: 0 }, now)).toThrow(/minimumRequests/);
    expect(() => new CircuitBreaker({ windowMs: 0 }, now)).toThrow(/windowMs/);
    expect(() => new CircuitBreaker({ cooldownMs: -1 }, now)).toThrow(/cooldownMs/);
    expect(() => new CircuitBreaker({ halfOpenMaxProbes: 1.5 }, now)).toThrow(/halfOpenMaxProbes/);
    expect(() => new CircuitBreaker({ probeTimeoutMs: 0 }, now)).toThrow(/probeTimeoutMs/);
    expect(() => new CircuitBreaker({ failureRateThreshold: Number.NaN }, now)).toThrow(/failureRateThreshold/);
  });
});
