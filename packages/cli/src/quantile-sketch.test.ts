// The sketch's quantiles against exact ones: within the documented relative error, with memory bounded by buckets, not values.
import { describe, expect, it } from 'vitest';
import { QuantileSketch, SKETCH_MIN_VALUE, SKETCH_RELATIVE_ERROR } from './quantile-sketch.js';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** The exact quantile the sketch approximates: the value of rank ⌊q·(n−1)⌋ among the sorted values. */
function exactQuantile(sorted: readonly number[], q: number): number {
  return sorted[Math.floor(q * (sorted.length - 1))] ?? Number.NaN;
}

const QUANTILES = [0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1];

describe('QuantileSketch', () => {
  const next = random(7);
  const distributions: Record<string, () => number> = {
    'uniform 0..10 s': () => next() * 10_000,
    'log-normal-ish, 1 ms .. 1 min': () => Math.exp(next() * Math.log(60_000)),
    'a few distinct values': () => [12, 250, 251, 4_000][Math.floor(next() * 4)] ?? 12,
    'sub-millisecond cache hits': () => 0.002 + next() * 0.5,
  };

  it.each(Object.keys(distributions))('every quantile of %s is within 1%% of the exact one', (name) => {
    const draw = distributions[name];
    if (!draw) throw new Error(`no distribution ${name}`);
    const values = Array.from({ length: 50_000 }, draw);
    const sketch = new QuantileSketch();
    for (const value of values) sketch.add(value);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of QUANTILES) {
      const exact = exactQuantile(sorted, q);
      const estimate = sketch.quantile(q);
      expect(estimate, `q=${q}`).toBeDefined();
      expect(Math.abs((estimate ?? Number.NaN) - exact), `q=${q}: ${estimate} vs ${exact}`).toBeLessThanOrEqual(SKETCH_RELATIVE_ERROR * exact + 1e-9);
    }
    expect(sketch.count).toBe(values.length);
  });

  it('keeps a bounded number of buckets however many values it gets', () => {
    const sketch = new QuantileSketch();
    const next = random(3);
    for (let index = 0; index < 200_000; index += 1) sketch.add(Math.exp(next() * Math.log(1e7)));
    // 1 ms .. 10^7 ms at γ = 1.0202: ln(1e7)/ln(γ) ≈ 806 buckets at most.
    expect(sketch.bucketCount).toBeLessThanOrEqual(810);
    expect(sketch.bucketCount).toBeGreaterThan(700);
  });

  it('counts values under the minimum as 0 and ignores negative and non-finite ones', () => {
    const sketch = new QuantileSketch();
    for (const value of [0, SKETCH_MIN_VALUE / 2, -5, Number.NaN, Number.POSITIVE_INFINITY, 100]) sketch.add(value);
    expect(sketch.count).toBe(3);
    expect(sketch.quantile(0)).toBe(0);
    expect(sketch.quantile(0.5)).toBe(0);
    expect(sketch.quantile(1)).toBe(100);
    expect(sketch.min).toBe(0);
    expect(sketch.max).toBe(100);
  });

  it('has no quantile when empty', () => {
    const sketch = new QuantileSketch();
    expect(sketch.quantile(0.5)).toBeUndefined();
    expect(sketch.min).toBeUndefined();
    expect(sketch.buckets()).toEqual([]);
  });

  it('merges into the same quantiles as one sketch of all the values', () => {
    const next = random(11);
    const values = Array.from({ length: 10_000 }, () => next() * 3_000);
    const whole = new QuantileSketch();
    const left = new QuantileSketch();
    const right = new QuantileSketch();
    values.forEach((value, index) => {
      whole.add(value);
      (index % 2 === 0 ? left : right).add(value);
    });
    left.merge(right);
    for (const q of QUANTILES) expect(left.quantile(q)).toBe(whole.quantile(q));
    expect(left.count).toBe(whole.count);
  });

  it('lists its buckets in order with their counts', () => {
    const sketch = new QuantileSketch();
    for (const value of [0, 10, 10, 1_000]) sketch.add(value);
    const buckets = sketch.buckets();
    expect(buckets.map((bucket) => bucket.count)).toEqual([1, 2, 1]);
    expect(buckets[0]).toEqual({ lower: 0, upper: 0, count: 1 });
    const ten = buckets[1];
    expect(ten && ten.lower < 10 && ten.upper >= 10).toBe(true);
  });
});
