// The Store contract for counters: increment, expiry, reading, deleting and keys.
import { describe, expect, it } from 'vitest';
import { windowCheck, bucketCheck, expectArgumentError, type StoreContractSetup } from './store-contract-support.js';

/** The Store contract for counters: increment, expiry, reading, deleting and keys. */
export function counterContract(setup: StoreContractSetup): void {
  describe('counters', () => {
    it('increment creates a counter at `by` and adds to it', async () => {
      const { store } = await setup();
      expect(await store.increment('c', 1)).toEqual({ value: 1, ttlMs: null });
      expect(await store.increment('c', 2)).toEqual({ value: 3, ttlMs: null });
      expect(await store.readCounter('c')).toEqual({ value: 3, ttlMs: null });
    });

    it('a counter expires exactly at the end of the ttlMs it was created with; later increments do not push it', async () => {
      const { store, clock } = await setup();
      expect(await store.increment('w', 1, { ttlMs: 1000 })).toEqual({ value: 1, ttlMs: 1000 });
      clock.advance(400);
      expect(await store.increment('w', 1, { ttlMs: 1000 })).toEqual({ value: 2, ttlMs: 600 });
      clock.advance(599);
      expect(await store.readCounter('w')).toEqual({ value: 2, ttlMs: 1 });
      clock.advance(1);
      expect(await store.readCounter('w')).toBeUndefined();
      // The next increment opens a new window of its own.
      expect(await store.increment('w', 1, { ttlMs: 1000 })).toEqual({ value: 1, ttlMs: 1000 });
    });

    it('an existing counter keeps its expiry, or its lack of one, whatever a later ttlMs says', async () => {
      const { store } = await setup();
      await store.increment('forever', 1);
      expect(await store.increment('forever', 1, { ttlMs: 50 })).toEqual({ value: 2, ttlMs: null });
      await store.increment('short', 1, { ttlMs: 50 });
      expect(await store.increment('short', 1, { ttlMs: 5000 })).toEqual({ value: 2, ttlMs: 50 });
    });

    it('a counter without ttlMs never expires', async () => {
      const { store, clock } = await setup();
      await store.increment('total', 7);
      clock.advance(10 * 365 * 24 * 3600 * 1000);
      expect(await store.readCounter('total')).toEqual({ value: 7, ttlMs: null });
    });

    it('negative deltas give back (a settlement), below zero too, and keep the expiry', async () => {
      const { store, clock } = await setup();
      await store.increment('tokens', 500, { ttlMs: 60_000 });
      clock.advance(10_000);
      expect(await store.increment('tokens', -200)).toEqual({ value: 300, ttlMs: 50_000 });
      expect(await store.increment('tokens', -400)).toEqual({ value: -100, ttlMs: 50_000 });
    });

    it('holds fractions (costs in dollars)', async () => {
      const { store } = await setup();
      await store.increment('usd', 0.5);
      expect(await store.increment('usd', 0.25)).toEqual({ value: 0.75, ttlMs: null });
    });

    it('a zero increment of an absent counter creates nothing, so it starts no window', async () => {
      const { store, clock } = await setup();
      expect(await store.increment('z', 0, { ttlMs: 1000 })).toEqual({ value: 0, ttlMs: null });
      expect(await store.readCounter('z')).toBeUndefined();
      clock.advance(500);
      expect(await store.increment('z', 1, { ttlMs: 1000 })).toEqual({ value: 1, ttlMs: 1000 });
    });

    it('readCounter of an absent counter is undefined', async () => {
      const { store } = await setup();
      expect(await store.readCounter('nothing')).toBeUndefined();
    });

    it('1,000 concurrent increments each see a distinct value and all count', async () => {
      const { store } = await setup();
      const states = await Promise.all(Array.from({ length: 1000 }, () => store.increment('hot', 1, { ttlMs: 60_000 })));
      const values = states.map((state) => state.value).sort((a, b) => a - b);
      expect(values).toEqual(Array.from({ length: 1000 }, (_, index) => index + 1));
      expect(await store.readCounter('hot')).toEqual({ value: 1000, ttlMs: 60_000 });
    });
  });

  describe('delete', () => {
    it('removes the value and the counter at a key and says whether there was one', async () => {
      const { store, clock } = await setup();
      await store.set('k', 'value');
      await store.increment('k', 1);
      expect(await store.delete('k')).toBe(true);
      expect(await store.get('k')).toBeUndefined();
      expect(await store.readCounter('k')).toBeUndefined();
      expect(await store.delete('k')).toBe(false);
      await store.set('gone', 'x', { ttlMs: 10 });
      clock.advance(10);
      expect(await store.delete('gone')).toBe(false);
    });

    it('deletePrefix removes every value, counter and bucket under the prefix, and nothing else', async () => {
      const { store, clock } = await setup();
      await store.set('cache:a', 'a');
      await store.set('cache:b', Uint8Array.from([1]));
      await store.increment('cache:c', 1, { ttlMs: 60_000 });
      await store.decide([bucketCheck('cache:d', 1, 10, 1)]);
      await store.set('cache:expired', 'x', { ttlMs: 10 });
      await store.set('cache', 'the prefix without its colon');
      await store.set('cachex', 'a longer name');
      await store.increment('other:cache:c', 1);
      clock.advance(10);
      expect(await store.deletePrefix('cache:')).toBe(4);
      expect(await store.get('cache:a')).toBeUndefined();
      expect(await store.get('cache:b')).toBeUndefined();
      expect(await store.readCounter('cache:c')).toBeUndefined();
      expect((await store.decide([bucketCheck('cache:d', 0, 10, 1)])).results[0]?.value).toBe(10);
      expect(await store.get('cache')).toBe('the prefix without its colon');
      expect(await store.get('cachex')).toBe('a longer name');
      expect(await store.readCounter('other:cache:c')).toEqual({ value: 1, ttlMs: null });
      expect(await store.deletePrefix('cache:')).toBe(0);
    });

    it('deletePrefix treats glob characters in the prefix literally', async () => {
      const { store } = await setup();
      await store.set('a*b:1', 'star');
      await store.set('axb:1', 'x');
      await store.set('a?[b]:1', 'brackets');
      await store.set('aqbb:1', 'q');
      expect(await store.deletePrefix('a*b:')).toBe(1);
      expect(await store.deletePrefix('a?[b]')).toBe(1);
      expect(await store.get('axb:1')).toBe('x');
      expect(await store.get('aqbb:1')).toBe('q');
    });
  });

  describe('keys', () => {
    it('are isolated: no key reads or moves another, whatever their likeness', async () => {
      const { store } = await setup();
      const keys = ['a', 'ab', 'a:b', 'A', 'a ', 'ä'];
      for (const [index, key] of keys.entries()) {
        await store.increment(key, index + 1);
        await store.set(key, `value of ${key}`);
      }
      for (const [index, key] of keys.entries()) {
        expect(await store.readCounter(key)).toEqual({ value: index + 1, ttlMs: null });
        expect(await store.get(key)).toBe(`value of ${key}`);
      }
    });

    it('a counter and a value may share a key without touching each other', async () => {
      const { store } = await setup();
      await store.set('shared', 'text', { ttlMs: 1000 });
      await store.increment('shared', 5);
      expect(await store.get('shared')).toBe('text');
      expect(await store.readCounter('shared')).toEqual({ value: 5, ttlMs: null });
    });

    it('a key is either a counter or a bucket: using it as the other rejects and changes nothing', async () => {
      const { store } = await setup();
      await store.increment('k', 3);
      await expectArgumentError(store.decide([windowCheck('w', 1, 10), bucketCheck('k', 1, 10, 1)]));
      expect(await store.readCounter('w')).toBeUndefined();
      expect(await store.readCounter('k')).toEqual({ value: 3, ttlMs: null });
      await store.decide([bucketCheck('bk', 1, 10, 1)]);
      await expectArgumentError(store.increment('bk', 1));
    });
  });
}
