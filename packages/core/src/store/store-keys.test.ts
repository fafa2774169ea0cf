// Key helpers: joins that cannot collide, windows every process agrees on.
import { describe, expect, it } from 'vitest';
import { StoreArgumentError } from './store-argument-error.js';
import { storeKey, windowKey } from './store-keys.js';

describe('storeKey', () => {
  it('joins parts with colons, escaping colons and percent signs inside a part', () => {
    expect(storeKey('limit', 'user-1', 'gpt-4.1', 60)).toBe('limit:user-1:gpt-4.1:60');
    expect(storeKey('limit', 'a:b')).toBe('limit:a%3Ab');
    expect(storeKey('100%')).toBe('100%25');
  });

  it('never gives two different lists of parts the same key', () => {
    const lists = [['a:b', 'c'], ['a', 'b:c'], ['a', 'b', 'c'], ['a%3Ab', 'c'], ['a', 'b%3Ac']];
    const keys = new Set(lists.map((parts) => storeKey(...parts)));
    expect(keys.size).toBe(lists.length);
  });

  it('refuses no parts and numbers that are not finite', () => {
    expect(() => storeKey()).toThrow(StoreArgumentError);
    expect(() => storeKey('a', Number.NaN)).toThrow(StoreArgumentError);
  });
});

describe('windowKey', () => {
  it('names the epoch-aligned window that now falls in and the time left in it', () => {
    expect(windowKey('rpm', 60_000, 120_000)).toEqual({ key: 'rpm:120000', ttlMs: 60_000 });
    expect(windowKey('rpm', 60_000, 179_999)).toEqual({ key: 'rpm:120000', ttlMs: 1 });
    expect(windowKey('rpm', 60_000, 180_000)).toEqual({ key: 'rpm:180000', ttlMs: 60_000 });
  });

  it('refuses windows that are not whole milliseconds ≥ 1', () => {
    for (const windowMs of [0, -1, 1.5, Number.NaN]) expect(() => windowKey('k', windowMs, 0)).toThrow(StoreArgumentError);
    expect(() => windowKey('', 1000, 0)).toThrow(StoreArgumentError);
  });
});
