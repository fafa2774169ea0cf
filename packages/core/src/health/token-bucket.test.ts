import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

function setup(capacity: number, refillPerSecond: number) {
  const clock = { t: 5_000 };
  return { clock, bucket: new TokenBucket({ capacity, refillPerSecond }, () => clock.t) };
}

describe('TokenBucket', () => {
  it('starts full and takes until empty', () => {
    const { bucket } = setup(3, 1);
    expect(bucket.available).toBe(3);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
    expect(bucket.available).toBe(0);
  });

  it('takes several at once, or none when not enough are left', () => {
    const { bucket } = setup(5, 1);
    expect(bucket.tryTake(3)).toBe(true);
    expect(bucket.tryTake(3)).toBe(false);
    expect(bucket.available).toBe(2);
    expect(bucket.tryTake(2)).toBe(true);
    expect(bucket.tryTake(0)).toBe(true);
  });

  it('refills from the time elapsed', () => {
    const { bucket, clock } = setup(10, 2);
    expect(bucket.tryTake(10)).toBe(true);
    clock.t += 1_000;
    expect(bucket.available).toBe(2);
    expect(bucket.tryTake(3)).toBe(false);
    clock.t += 500;
    expect(bucket.tryTake(3)).toBe(true);
    expect(bucket.available).toBe(0);
  });

  it('never holds more than its capacity', () => {
    const { bucket, clock } = setup(4, 100);
    expect(bucket.tryTake()).toBe(true);
    clock.t += 60_000;
    expect(bucket.available).toBe(4);
    expect(bucket.tryTake(4)).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('accrues fractional tokens', () => {
    const { bucket, clock } = setup(1, 0.5);
    expect(bucket.tryTake()).toBe(true);
    clock.t += 1_000;
    expect(bucket.available).toBe(0.5);
    expect(bucket.tryTake()).toBe(false);
    clock.t += 1_000;
    expect(bucket.tryTake()).toBe(true);
  });

  it('is not fooled by floating-point dust from many small refills', () => {
    const { bucket, clock } = setup(1, 1);
    expect(bucket.tryTake()).toBe(true);
    for (let i = 0; i < 10; i++) {
      clock.t += 100;
      void bucket.available; // refill in ten steps of 0.1
    }
    expect(bucket.tryTake()).toBe(true);
  });

  it('never refills with a rate of zero', () => {
    const { bucket, clock } = setup(2, 0);
    expect(bucket.tryTake(2)).toBe(true);
    clock.t += 1e9;
    expect(bucket.available).toBe(0);
    expect(bucket.tryTake()).toBe(false);
  });

  it('rejects nonsense options and counts', () => {
    const now = () => 0;
    expect(() => new TokenBucket({ capacity: -1, refillPerSecond: 1 }, now)).toThrow(/capacity/);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: Number.NaN }, now)).toThrow(/refillPerSecond/);
    expect(() => new TokenBucket({ capacity: Number.POSITIVE_INFINITY, refillPerSecond: 1 }, now)).toThrow(RangeError);
    expect(() => new TokenBucket({ capacity: 1, refillPerSecond: 1 }, now).tryTake(-1)).toThrow(RangeError);
  });
});
