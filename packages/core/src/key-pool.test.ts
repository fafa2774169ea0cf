import { describe, expect, it } from 'vitest';
import { ProviderError } from './errors.js';
import { KeyPool } from './key-pool.js';

const failure = (status: number, retryAfterMs?: number) => new ProviderError('x', { provider: 'p', model: 'm', status, retryable: status === 429, retryAfterMs });

describe('KeyPool', () => {
  it('picks keys by weight', () => {
    let point = 0;
    const pool = new KeyPool(['a', { key: 'b', weight: 3 }], { random: () => point });
    const picks = [0.1, 0.3, 0.6, 0.9].map((value) => ((point = value), pool.pick()));
    expect(picks).toEqual(['a', 'b', 'b', 'b']);
  });

  it('rests a refused or rate-limited key, for its Retry-After when given, and wakes it later', () => {
    let now = 0;
    const pool = new KeyPool(['a', 'b'], { now: () => now, random: () => 0, cooldownMs: 1000 });
    pool.report('a', failure(401));
    expect(pool.pick()).toBe('b');
    now = 1000;
    expect(pool.pick()).toBe('a');
    pool.report('a', failure(429, 50));
    expect(pool.pick()).toBe('b');
    now = 1050;
    expect(pool.pick()).toBe('a');
  });

  it('ignores failures that are not the key’s fault, and uses the first to wake when all rest', () => {
    let now = 0;
    const pool = new KeyPool(['a', 'b'], { now: () => now, random: () => 0, cooldownMs: 1000 });
    pool.report('a', failure(500));
    pool.report('a', new Error('network'));
    expect(pool.pick()).toBe('a');
    pool.report('a', failure(403));
    now = 10;
    pool.report('b', failure(403));
    expect(pool.pick()).toBe('a');
    expect(pool.keys).toEqual(['a', 'b']);
  });

  it('refuses an empty pool and bad weights', () => {
    expect(() => new KeyPool([])).toThrow(RangeError);
    expect(() => new KeyPool([{ key: 'a', weight: 0 }])).toThrow(RangeError);
  });
});
