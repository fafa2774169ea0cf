// The in-memory store against the Store contract, plus what only it promises (its bounds, no timers).
import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';
import { StoreArgumentError } from './store-argument-error.js';
import { storeContract } from './store-contract.js';

storeContract('memory store', async (clock) => createMemoryStore({ now: () => clock.now() }), {
  makeBoundedStore: async (clock, bounds) => createMemoryStore({ now: () => clock.now(), ...bounds }),
});

describe('memory store', () => {
  const at = (time: number) => () => time;

  it('past maxValueBytes drops the least recently used values, keys and overhead counted', async () => {
    // Each entry: 64 overhead + 2 × 2 key bytes + 2 × 100 string bytes = 268; three fit in 900.
    const store = createMemoryStore({ now: at(0), maxValueBytes: 900 });
    const text = 'x'.repeat(100);
    for (const key of ['v1', 'v2', 'v3']) await store.set(key, text);
    await store.get('v1');
    await store.set('v4', text);
    expect(await store.get('v2')).toBeUndefined();
    for (const key of ['v1', 'v3', 'v4']) expect(await store.get(key)).toBe(text);
  });

  it('a single value larger than maxValueBytes is not stored, and the one it was to replace is gone', async () => {
    const store = createMemoryStore({ now: at(0), maxValueBytes: 1000 });
    await store.set('v', 'small');
    expect(await store.set('v', new Uint8Array(2000))).toBe(false);
    expect(await store.get('v')).toBeUndefined();
  });

  it('expired entries do not hold a place: a write sweeps the least recently used ones', async () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now, maxCounters: 4 });
    await store.increment('live', 1);
    for (const key of ['old1', 'old2', 'old3']) await store.increment(key, 1, { ttlMs: 10 });
    now = 10;
    // 'live' is the least recently used, but the three expired counters make way first:
    // without the sweep, the first newcomer would evict it.
    for (const key of ['new1', 'new2', 'new3']) await store.increment(key, 1);
    expect(await store.readCounter('live')).toEqual({ value: 1, ttlMs: null });
  });

  it('uses Date.now by default and holds no timer, so it never keeps the process alive', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const store = createMemoryStore();
    await store.increment('k', 1, { ttlMs: 60_000 });
    await store.set('v', 'value', { ttlMs: 60_000 });
    await store.decide([{ kind: 'bucket', key: 'b', cost: 1, capacity: 10, refillPerSecond: 1 }]);
    expect(timers()).toBe(before);
    const state = await store.readCounter('k');
    expect(state?.value).toBe(1);
    expect(state?.ttlMs).toBeGreaterThan(0);
    expect(state?.ttlMs).toBeLessThanOrEqual(60_000);
  });

  it('rejects bad bounds and clocks when created', () => {
    for (const options of [{ maxCounters: 0 }, { maxCounters: 1.5 }, { maxValueBytes: Number.NaN }, { maxValueBytes: -1 }, { now: 5 as unknown as () => number }]) {
      expect(() => createMemoryStore(options)).toThrow(StoreArgumentError);
    }
    expect(() => createMemoryStore({ maxCounters: 0 })).toThrow('Switchyard store: `maxCounters` must be a whole number ≥ 1, got 0.');
  });

  it('names the argument and quotes only a short excerpt of it', async () => {
    const store = createMemoryStore({ now: at(0) });
    await expect(store.increment('k', 1, { ttlMs: -1 })).rejects.toThrow('Switchyard store: `ttlMs` must be > 0, got -1.');
    await expect(store.decide([{ kind: 'window', key: 'k', cost: 1, limit: Number.POSITIVE_INFINITY }])).rejects.toMatchObject({
      name: 'StoreArgumentError',
      argument: 'checks[0].limit',
    });
    await store.increment('k'.repeat(500), 1);
    const error = await store.decide([{ kind: 'bucket', key: 'k'.repeat(500), cost: 1, capacity: 1, refillPerSecond: 1 }]).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(StoreArgumentError);
    expect((error as Error).message.length).toBeLessThan(200);
  });

  it('a fractional ttlMs rounds up to whole milliseconds', async () => {
    const store = createMemoryStore({ now: at(0) });
    expect(await store.increment('k', 1, { ttlMs: 0.2 })).toEqual({ value: 1, ttlMs: 1 });
  });
});
