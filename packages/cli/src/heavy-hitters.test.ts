// Space-Saving's guarantees on a skewed stream: bounded size, every occurrence in a kept or an evicted value, heavy keys kept, counts within their bound.
import { describe, expect, it } from 'vitest';
import { SpaceSaving } from './heavy-hitters.js';

/** A deterministic skewed stream: key `k<i>` with weight ∝ 1/(i+1) over 5 000 keys (Zipf-like), mulberry32-seeded. */
function zipfStream(length: number, keys: number, seed: number): string[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const weights = Array.from({ length: keys }, (_, index) => 1 / (index + 1));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const cumulative: number[] = [];
  let running = 0;
  for (const weight of weights) cumulative.push((running += weight / total));
  return Array.from({ length }, () => {
    const u = random();
    let low = 0;
    let high = keys - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] ?? 1) < u) low = middle + 1;
      else high = middle;
    }
    return `k${low}`;
  });
}

describe('SpaceSaving', () => {
  it('never holds more than its capacity, loses no occurrence, keeps every key above N/capacity, and bounds each kept count', () => {
    const capacity = 50;
    const stream = zipfStream(100_000, 5_000, 7);
    let evictedOccurrences = 0;
    const table = new SpaceSaving<{ occurrences: number }>(capacity, () => ({ occurrences: 0 }), (_key, value) => (evictedOccurrences += value.occurrences));
    const truth = new Map<string, number>();
    for (const key of stream) {
      table.hit(key).value.occurrences += 1;
      truth.set(key, (truth.get(key) ?? 0) + 1);
      expect(table.size).toBeLessThanOrEqual(capacity);
    }
    const kept = table.kept();
    expect(kept).toHaveLength(capacity);
    expect(table.evictions).toBeGreaterThan(0);
    expect(kept.reduce((sum, slot) => sum + slot.value.occurrences, 0) + evictedOccurrences).toBe(stream.length);
    const keptKeys = new Set(kept.map((slot) => slot.key));
    for (const [key, count] of truth) if (count > stream.length / capacity) expect(keptKeys.has(key), `${key} (${count} times) kept`).toBe(true);
    for (const slot of kept) {
      const count = truth.get(slot.key) ?? 0;
      expect(slot.value.occurrences).toBe(slot.occurrences);
      expect(slot.occurrences).toBeLessThanOrEqual(count);
      expect(count).toBeLessThanOrEqual(slot.occurrences + slot.maxMissed);
      expect(slot.maxMissed).toBeLessThanOrEqual(stream.length / capacity);
    }
  });

  it('is exact while the keys fit: no eviction, no missed occurrence', () => {
    const table = new SpaceSaving<{ occurrences: number }>(3, () => ({ occurrences: 0 }), () => undefined);
    for (const key of ['a', 'b', 'a', 'c', 'a', 'b']) table.hit(key).value.occurrences += 1;
    expect(table.evictions).toBe(0);
    expect(Object.fromEntries(table.kept().map((slot) => [slot.key, [slot.occurrences, slot.maxMissed]]))).toEqual({ a: [3, 0], b: [2, 0], c: [1, 0] });
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new SpaceSaving(0, () => 0, () => undefined)).toThrow(RangeError);
    expect(() => new SpaceSaving(1.5, () => 0, () => undefined)).toThrow(RangeError);
  });
});
