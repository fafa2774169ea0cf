import { describe, expect, it } from 'vitest';
import { LatencyTracker } from './latency-tracker.js';

function setup(halfLifeMs = 1_000) {
  const clock = { t: 0 };
  return { clock, tracker: new LatencyTracker({ halfLifeMs }, () => clock.t) };
}

describe('LatencyTracker', () => {
  it('has no averages before any sample', () => {
    const { tracker } = setup();
    expect(tracker.averageLatency).toBeUndefined();
    expect(tracker.averageTimeToFirstToken).toBeUndefined();
    expect(tracker.averageTimePerOutputToken).toBeUndefined();
  });

  it('takes the first sample as the average', () => {
    const { tracker } = setup();
    tracker.recordLatency(420);
    expect(tracker.averageLatency).toBe(420);
    // The series are independent.
    expect(tracker.averageTimeToFirstToken).toBeUndefined();
    tracker.recordTimeToFirstToken(80);
    tracker.recordTimePerOutputToken(12.5);
    expect(tracker.averageTimeToFirstToken).toBe(80);
    expect(tracker.averageTimePerOutputToken).toBe(12.5);
    expect(tracker.averageLatency).toBe(420);
  });

  it('weighs samples at the same instant equally', () => {
    const { tracker } = setup();
    tracker.recordLatency(100);
    tracker.recordLatency(200);
    tracker.recordLatency(600);
    expect(tracker.averageLatency).toBe(300);
  });

  it('decays older samples by 0.5^(Δt / halfLife)', () => {
    const { tracker, clock } = setup(1_000);
    tracker.recordLatency(100); // weight 1 at t = 0
    clock.t = 1_000;
    tracker.recordLatency(300); // old weight 0.5: (0.5·100 + 300) / 1.5
    expect(tracker.averageLatency).toBeCloseTo(350 / 1.5, 10);
    clock.t = 3_000;
    // Both decay by 0.25: sum 87.5 + 600 = 687.5, weight 0.375 + 1 = 1.375.
    tracker.recordLatency(600);
    expect(tracker.averageLatency).toBeCloseTo(500, 10);
  });

  it('halves the pull of an old sample every half-life', () => {
    const { tracker, clock } = setup(10_000);
    tracker.recordTimeToFirstToken(1_000);
    clock.t = 10_000;
    tracker.recordTimeToFirstToken(0);
    expect(tracker.averageTimeToFirstToken).toBeCloseTo(1_000 / 3, 10); // 0.5 / 1.5
    const fresh = setup(10_000);
    fresh.tracker.recordTimeToFirstToken(1_000);
    fresh.clock.t = 20_000;
    fresh.tracker.recordTimeToFirstToken(0);
    expect(fresh.tracker.averageTimeToFirstToken).toBeCloseTo(1_000 / 5, 10); // 0.25 / 1.25
  });

  it('lets a recovered deployment shed its slow history', () => {
    const { tracker, clock } = setup(1_000);
    for (let i = 0; i < 50; i++) tracker.recordLatency(30_000);
    clock.t = 20_000;
    tracker.recordLatency(200);
    expect(tracker.averageLatency).toBeLessThan(202);
  });

  it('does not move the average when only time passes', () => {
    const { tracker, clock } = setup(1_000);
    tracker.recordTimePerOutputToken(20);
    tracker.recordTimePerOutputToken(40);
    clock.t = 1e7;
    expect(tracker.averageTimePerOutputToken).toBe(30);
  });

  it('ignores negative and non-finite samples', () => {
    const { tracker } = setup();
    tracker.recordLatency(Number.NaN);
    tracker.recordLatency(-5);
    tracker.recordLatency(Number.POSITIVE_INFINITY);
    expect(tracker.averageLatency).toBeUndefined();
    tracker.recordLatency(50);
    tracker.recordLatency(-5);
    expect(tracker.averageLatency).toBe(50);
  });

  it('counts requests in flight and never goes negative', () => {
    const { tracker } = setup();
    expect(tracker.inFlight).toBe(0);
    tracker.start();
    tracker.start();
    expect(tracker.inFlight).toBe(2);
    tracker.end();
    tracker.end();
    tracker.end();
    expect(tracker.inFlight).toBe(0);
    tracker.start();
    expect(tracker.inFlight).toBe(1);
  });

  it('defaults the half-life and rejects nonsense', () => {
    const clock = { t: 0 };
    const tracker = new LatencyTracker({}, () => clock.t);
    tracker.recordLatency(100);
    clock.t = 60_000; // the default half-life
    tracker.recordLatency(400);
    expect(tracker.averageLatency).toBeCloseTo(450 / 1.5, 10);
    expect(() => new LatencyTracker({ halfLifeMs: 0 }, () => 0)).toThrow(RangeError);
    expect(() => new LatencyTracker({ halfLifeMs: Number.POSITIVE_INFINITY }, () => 0)).toThrow(/halfLifeMs/);
  });
});
