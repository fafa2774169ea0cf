import { describe, expect, it } from 'vitest';
import { entrySize, type ExactCacheEntry } from './exact-cache-entry.js';
import { ExactMemoryTier } from './exact-memory-tier.js';

const entry = (answer: string, expiresAt = 10_000): ExactCacheEntry => ({ operation: 'chat', answer, createdAt: 0, expiresAt, provider: 'p', model: 'm', usage: undefined });

describe('ExactMemoryTier', () => {
  it('is bounded by bytes: past maxBytes the least recently used entries go first', () => {
    const one = entrySize('a', entry('x'.repeat(1000)));
    const tier = new ExactMemoryTier(100, one * 3);
    tier.set('a', entry('x'.repeat(1000)));
    tier.set('b', entry('y'.repeat(1000)));
    tier.set('c', entry('z'.repeat(1000)));
    expect(tier.get('a', 0)).toBeDefined(); // a is now more recently used than b
    tier.set('d', entry('w'.repeat(1000)));
    expect(tier.get('b', 0)).toBeUndefined();
    expect(['a', 'c', 'd'].map((slot) => tier.get(slot, 0) !== undefined)).toEqual([true, true, true]);
    expect(tier.bytes).toBeLessThanOrEqual(one * 3);
  });

  it('evicts several small entries for one large one', () => {
    const small = entrySize('s0', entry('x'));
    const tier = new ExactMemoryTier(100, small * 10);
    for (let i = 0; i < 10; i++) tier.set(`s${i}`, entry('x'));
    tier.set('big', entry('y'.repeat(small * 2)));
    expect(tier.get('big', 0)).toBeDefined();
    expect(tier.size).toBeLessThan(10);
    expect(tier.bytes).toBeLessThanOrEqual(small * 10);
  });

  it('is bounded by entries', () => {
    const tier = new ExactMemoryTier(2, 1_000_000);
    tier.set('a', entry('1'));
    tier.set('b', entry('2'));
    tier.set('c', entry('3'));
    expect(tier.size).toBe(2);
    expect(tier.get('a', 0)).toBeUndefined();
  });

  it('refuses an entry larger than the whole bound, and drops the older one at its slot', () => {
    const tier = new ExactMemoryTier(10, 2000);
    expect(tier.set('a', entry('small'))).toBe(true);
    expect(tier.set('a', entry('x'.repeat(2000)))).toBe(false);
    expect(tier.get('a', 0)).toBeUndefined();
  });

  it('expires an entry at its expiry time, by the clock it is given', () => {
    const tier = new ExactMemoryTier(10, 100_000);
    tier.set('a', entry('x', 500));
    expect(tier.get('a', 499)).toBeDefined();
    expect(tier.get('a', 500)).toBeUndefined();
    expect(tier.size).toBe(0);
  });

  it('drops a namespace by prefix', () => {
    const tier = new ExactMemoryTier(10, 100_000);
    tier.set('ns:a:1', entry('x'));
    tier.set('ns:a:2', entry('x'));
    tier.set('ns:ab:1', entry('x'));
    expect(tier.deletePrefix('ns:a:')).toBe(2);
    expect(tier.get('ns:ab:1', 0)).toBeDefined();
  });
});
