// The distinct-key estimate stays within a few standard errors (1.6%) of the exact count, from a few keys to 200 000.
import { describe, expect, it } from 'vitest';
import { DISTINCT_COUNT_STANDARD_ERROR, DistinctCount } from './distinct-count.js';

describe('DistinctCount', () => {
  it('estimates the number of distinct strings within 4 standard errors, repeats not counted', () => {
    for (const distinct of [10, 1_000, 50_000, 200_000]) {
      const counter = new DistinctCount();
      for (let round = 0; round < 2; round += 1) for (let index = 0; index < distinct; index += 1) counter.add(`user-${index}@example.com`);
      const estimate = counter.estimate();
      expect(Math.abs(estimate - distinct), `${distinct} distinct: estimate ${estimate}`).toBeLessThanOrEqual(4 * DISTINCT_COUNT_STANDARD_ERROR * distinct + 1);
    }
  });

  it('estimates 0 when nothing was added', () => {
    expect(new DistinctCount().estimate()).toBe(0);
  });
});
