// The Store contract for bad arguments: rejected, naming the argument, changing nothing.
import { describe, expect, it } from 'vitest';
import type { Store, WindowCheck } from './store.js';
import { windowCheck, bucketCheck, expectArgumentError, type StoreContractSetup } from './store-contract-support.js';

/** The Store contract for bad arguments: rejected, naming the argument, changing nothing. */
export function argumentContract(setup: StoreContractSetup): void {
  describe('bad arguments', () => {
    const bad: [string, (store: Store) => Promise<unknown>][] = [
      ['an empty key', (store) => store.increment('', 1)],
      ['a key that is not a string', (store) => store.get(42 as unknown as string)],
      ['a NaN delta', (store) => store.increment('k', Number.NaN)],
      ['an infinite delta', (store) => store.increment('k', Number.POSITIVE_INFINITY)],
      ['a negative ttlMs', (store) => store.increment('k', 1, { ttlMs: -1 })],
      ['a zero ttlMs', (store) => store.set('k', 'v', { ttlMs: 0 })],
      ['a NaN ttlMs', (store) => store.set('k', 'v', { ttlMs: Number.NaN })],
      ['a value that is neither a string nor bytes', (store) => store.set('k', { an: 'object' } as unknown as string)],
      ['an infinite limit', (store) => store.decide([windowCheck('k', 1, Number.POSITIVE_INFINITY)])],
      ['a negative limit', (store) => store.decide([windowCheck('k', 1, -1)])],
      ['a NaN cost', (store) => store.decide([windowCheck('k', Number.NaN, 10)])],
      ['a negative window ttlMs', (store) => store.decide([windowCheck('k', 1, 10, -5)])],
      ['a bucket that never refills', (store) => store.decide([bucketCheck('k', 1, 10, 0)])],
      ['an infinite capacity', (store) => store.decide([bucketCheck('k', 1, Number.POSITIVE_INFINITY, 1)])],
      ['an unknown kind of check', (store) => store.decide([{ kind: 'sliding', key: 'k', cost: 1 } as unknown as WindowCheck])],
      ['a key twice in one decision', (store) => store.decide([windowCheck('k', 1, 10), windowCheck('k', 1, 10)])],
      ['checks that are not an array', (store) => store.decide('k' as unknown as WindowCheck[])],
      ['an empty prefix', (store) => store.deletePrefix('')],
      ['an empty key to delete', (store) => store.delete('')],
    ];
    for (const [what, call] of bad) {
      it(`${what} rejects with a StoreArgumentError`, async () => {
        const { store } = await setup();
        await expectArgumentError(call(store));
      });
    }

    it('a bad check rejects the whole decision before any cost is applied', async () => {
      const { store } = await setup();
      await expectArgumentError(store.decide([windowCheck('fine', 1, 10, 1000), windowCheck('broken', 1, Number.NaN, 1000)]));
      expect(await store.readCounter('fine')).toBeUndefined();
    });

    it('an increment that would leave the finite numbers rejects and keeps the counter', async () => {
      const { store } = await setup();
      await store.increment('big', Number.MAX_VALUE);
      await expectArgumentError(store.increment('big', Number.MAX_VALUE));
      expect(await store.readCounter('big')).toEqual({ value: Number.MAX_VALUE, ttlMs: null });
    });
  });
}
