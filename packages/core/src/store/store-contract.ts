// The behaviour every Store must show, as vitest suites any implementation can run against itself.
import { afterEach, describe, expect, it } from 'vitest';
import type { Store } from './store.js';
import { argumentContract } from './store-contract-arguments.js';
import { counterContract } from './store-contract-counters.js';
import { decideContract } from './store-contract-decide.js';
import { fakeClock, windowCheck, type StoreContractClock } from './store-contract-support.js';
import { valueContract } from './store-contract-values.js';

export type { StoreContractClock } from './store-contract-support.js';

export interface StoreContractBounds {
  maxCounters: number;
  maxValueBytes: number;
}

export interface StoreContractOptions {
  /**
   * A store holding at most `maxCounters` counters and buckets, evicting the least recently
   * used. Omit for an implementation without an entry bound (Redis leaves that to its
   * `maxmemory` policy); the bound's tests are then skipped.
   */
  makeBoundedStore?: ((clock: StoreContractClock, bounds: StoreContractBounds) => Promise<Store>) | undefined;
  /** Releases a store after its test (a connection, a key namespace). */
  dispose?: ((store: Store) => Promise<void>) | undefined;
}

/**
 * Registers the Store contract as a vitest suite named after `name`. `makeStore` must
 * return a fresh, empty store whose every expiry is judged by `clock.now()` (an
 * implementation on a server passes that time into its scripts), so that the tests need
 * no real waiting. Run from a `*.test.ts` file:
 *
 *     storeContract('memory store', async (clock) => createMemoryStore({ now: () => clock.now() }));
 */
export function storeContract(name: string, makeStore: (clock: StoreContractClock) => Promise<Store>, options: StoreContractOptions = {}): void {
  describe(`${name} (Store contract)`, () => {
    const made: Store[] = [];
    afterEach(async () => {
      const stores = made.splice(0);
      if (options.dispose) for (const store of stores) await options.dispose(store);
    });

    const setup = async (): Promise<{ store: Store; clock: StoreContractClock }> => {
      const clock = fakeClock();
      const store = await makeStore(clock);
      made.push(store);
      return { store, clock };
    };

    counterContract(setup);
    decideContract(setup);
    valueContract(setup);
    argumentContract(setup);

    const { makeBoundedStore } = options;
    describe.skipIf(makeBoundedStore === undefined)('bounds', () => {
      const bounded = async (bounds: StoreContractBounds): Promise<{ store: Store; clock: StoreContractClock }> => {
        const clock = fakeClock();
        if (makeBoundedStore === undefined) throw new Error('unreachable: the suite is skipped without makeBoundedStore');
        const store = await makeBoundedStore(clock, bounds);
        made.push(store);
        return { store, clock };
      };

      it('past maxCounters the least recently used counter is forgotten (its limit starts over)', async () => {
        const { store } = await bounded({ maxCounters: 3, maxValueBytes: 1 << 20 });
        await store.increment('a', 1);
        await store.increment('b', 1);
        await store.increment('c', 1);
        await store.increment('a', 1);
        await store.increment('d', 1);
        expect(await store.readCounter('b')).toBeUndefined();
        expect(await store.readCounter('a')).toEqual({ value: 2, ttlMs: null });
        expect(await store.readCounter('c')).toEqual({ value: 1, ttlMs: null });
        expect(await store.readCounter('d')).toEqual({ value: 1, ttlMs: null });
        // What "a limit may forget" means: the forgotten counter allows its whole limit again.
        expect((await store.decide([windowCheck('b', 1, 1)])).allowed).toBe(true);
      });

      it('values never evict counters, however many are written', async () => {
        const { store } = await bounded({ maxCounters: 2, maxValueBytes: 4096 });
        await store.increment('limit:1', 1);
        await store.increment('limit:2', 1);
        for (let index = 0; index < 200; index++) await store.set(`cache:${index}`, 'x'.repeat(100));
        expect(await store.readCounter('limit:1')).toEqual({ value: 1, ttlMs: null });
        expect(await store.readCounter('limit:2')).toEqual({ value: 1, ttlMs: null });
        expect(await store.get('cache:199')).toBe('x'.repeat(100));
        expect(await store.get('cache:0')).toBeUndefined();
      });
    });
  });
}
