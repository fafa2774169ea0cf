// The behaviour every Store must show, as vitest suites any implementation can run against itself.
import { afterEach, describe, expect, it } from 'vitest';
import type { BucketCheck, Store, WindowCheck } from './store.js';

/** A fake clock: the store reads `now()`, the tests move it with `advance`. */
export interface StoreContractClock {
  now(): number;
  advance(ms: number): void;
}

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

/** Where the fake clock starts: a realistic epoch time, so no code path can mistake it for "unset". */
const START = 1_700_000_000_000;

function fakeClock(): StoreContractClock {
  let now = START;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

const windowCheck = (key: string, cost: number, limit: number, ttlMs?: number): WindowCheck => ({ kind: 'window', key, cost, limit, ttlMs });
const bucketCheck = (key: string, cost: number, capacity: number, refillPerSecond: number): BucketCheck => ({ kind: 'bucket', key, cost, capacity, refillPerSecond });

/** Every byte value, so that no encoding step can pass by accident. */
const allBytes = (): Uint8Array => Uint8Array.from({ length: 256 }, (_, index) => index);

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

    describe('decide: windows', () => {
      it('allows up to the limit, then refuses with the time to the reset and counts nothing; the reset allows again', async () => {
        const { store, clock } = await setup();
        for (const expected of [1, 2, 3]) {
          const decision = await store.decide([windowCheck('rpm', 1, 3, 60_000)]);
          expect(decision).toEqual({ allowed: true, retryAfterMs: 0, results: [{ key: 'rpm', allowed: true, value: expected, remaining: 3 - expected, resetMs: 60_000, retryAfterMs: 0 }] });
        }
        clock.advance(45_000);
        const refused = await store.decide([windowCheck('rpm', 1, 3, 60_000)]);
        expect(refused).toEqual({ allowed: false, retryAfterMs: 15_000, results: [{ key: 'rpm', allowed: false, value: 3, remaining: 0, resetMs: 15_000, retryAfterMs: 15_000 }] });
        expect(await store.readCounter('rpm')).toEqual({ value: 3, ttlMs: 15_000 });
        clock.advance(15_000);
        expect((await store.decide([windowCheck('rpm', 1, 3, 60_000)])).results[0]).toMatchObject({ allowed: true, value: 1, resetMs: 60_000 });
      });

      it('a cost larger than the whole limit is refused for good (retryAfterMs null) and creates nothing', async () => {
        const { store } = await setup();
        const decision = await store.decide([windowCheck('tpm', 5000, 4000, 60_000)]);
        expect(decision.allowed).toBe(false);
        expect(decision.retryAfterMs).toBeNull();
        expect(decision.results[0]).toEqual({ key: 'tpm', allowed: false, value: 0, remaining: 4000, resetMs: null, retryAfterMs: null });
        expect(await store.readCounter('tpm')).toBeUndefined();
      });

      it('a cost of zero reads without creating; a negative cost passes even past the limit', async () => {
        const { store } = await setup();
        expect((await store.decide([windowCheck('r', 0, 10, 1000)])).results[0]).toEqual({ key: 'r', allowed: true, value: 0, remaining: 10, resetMs: null, retryAfterMs: 0 });
        expect(await store.readCounter('r')).toBeUndefined();
        await store.increment('r', 15, { ttlMs: 1000 });
        const refund = await store.decide([windowCheck('r', -3, 10, 1000)]);
        expect(refund.allowed).toBe(true);
        expect(refund.results[0]).toMatchObject({ value: 12, remaining: 0, resetMs: 1000 });
      });

      it('a window without ttlMs (a total) never resets, so a refusal says waiting will not help', async () => {
        const { store } = await setup();
        await store.decide([windowCheck('quota', 10, 10)]);
        const decision = await store.decide([windowCheck('quota', 1, 10)]);
        expect(decision.allowed).toBe(false);
        expect(decision.retryAfterMs).toBeNull();
        expect(decision.results[0]).toMatchObject({ value: 10, resetMs: null, retryAfterMs: null });
      });

      it('1,000 concurrent decisions against a limit of 100 allow exactly 100', async () => {
        const { store } = await setup();
        const decisions = await Promise.all(Array.from({ length: 1000 }, () => store.decide([windowCheck('burst', 1, 100, 60_000)])));
        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(100);
        expect(await store.readCounter('burst')).toEqual({ value: 100, ttlMs: 60_000 });
      });

      it('concurrent costs of different sizes never take a counter past its limit', async () => {
        const { store } = await setup();
        const costs = Array.from({ length: 300 }, (_, index) => 1 + (index % 7));
        const decisions = await Promise.all(costs.map((cost) => store.decide([windowCheck('tokens', cost, 500, 60_000)])));
        const counted = decisions.reduce((total, decision, index) => total + (decision.allowed ? (costs[index] ?? 0) : 0), 0);
        const state = await store.readCounter('tokens');
        expect(state?.value).toBe(counted);
        expect(counted).toBeLessThanOrEqual(500);
        // The calls asked for far more than the limit, so it filled to within the largest cost.
        expect(counted).toBeGreaterThan(500 - 7);
      });
    });

    describe('decide: several limits at once', () => {
      it('is all or nothing: one limit over → no counter moves, and the result says which refused and when it resets', async () => {
        const { store, clock } = await setup();
        await store.increment('user:minute', 2, { ttlMs: 60_000 });
        await store.increment('team:day', 100, { ttlMs: 86_400_000 });
        clock.advance(20_000);
        const checks = [windowCheck('user:minute', 1, 10, 60_000), windowCheck('user:hour', 1, 100, 3_600_000), windowCheck('team:day', 5, 100, 86_400_000)];
        const decision = await store.decide(checks);
        expect(decision.allowed).toBe(false);
        expect(decision.results.map((result) => [result.key, result.allowed])).toEqual([
          ['user:minute', true],
          ['user:hour', true],
          ['team:day', false],
        ]);
        expect(decision.results[2]).toMatchObject({ value: 100, remaining: 0, resetMs: 86_380_000, retryAfterMs: 86_380_000 });
        expect(decision.retryAfterMs).toBe(86_380_000);
        // Nothing was applied: the counters are as they were, the absent one still absent.
        expect(decision.results[0]?.value).toBe(2);
        expect(await store.readCounter('user:minute')).toEqual({ value: 2, ttlMs: 40_000 });
        expect(await store.readCounter('user:hour')).toBeUndefined();
        expect(await store.readCounter('team:day')).toEqual({ value: 100, ttlMs: 86_380_000 });
      });

      it('applies every cost when every limit allows it', async () => {
        const { store } = await setup();
        const decision = await store.decide([windowCheck('a', 1, 10, 1000), windowCheck('b', 250, 1000, 60_000), bucketCheck('c', 2, 5, 1)]);
        expect(decision.allowed).toBe(true);
        expect(decision.results.map((result) => result.value)).toEqual([1, 250, 3]);
        expect(await store.readCounter('a')).toEqual({ value: 1, ttlMs: 1000 });
        expect(await store.readCounter('b')).toEqual({ value: 250, ttlMs: 60_000 });
      });

      it('a refused decision waits for the slowest of its refused limits', async () => {
        const { store } = await setup();
        await store.increment('s', 1, { ttlMs: 1000 });
        await store.increment('m', 1, { ttlMs: 60_000 });
        const decision = await store.decide([windowCheck('s', 1, 1, 1000), windowCheck('m', 1, 1, 60_000), windowCheck('free', 1, 9, 5000)]);
        expect(decision.allowed).toBe(false);
        expect(decision.retryAfterMs).toBe(60_000);
        expect(decision.results.map((result) => result.retryAfterMs)).toEqual([1000, 60_000, 0]);
      });

      it('a window and a bucket in one decision: the bucket keeps its tokens when the window refuses', async () => {
        const { store } = await setup();
        await store.increment('day', 10, { ttlMs: 86_400_000 });
        const decision = await store.decide([bucketCheck('rate', 1, 5, 1), windowCheck('day', 1, 10, 86_400_000)]);
        expect(decision.allowed).toBe(false);
        expect(decision.results[0]).toMatchObject({ allowed: true, value: 5, remaining: 5 });
        expect((await store.decide([bucketCheck('rate', 0, 5, 1)])).results[0]).toMatchObject({ value: 5 });
      });

      it('concurrent decisions over shared limits never overspend any of them', async () => {
        const { store } = await setup();
        // Every call counts against the team; half of them against a tighter per-user limit too.
        const decisions = await Promise.all(
          Array.from({ length: 400 }, (_, index) =>
            store.decide(index % 2 === 0 ? [windowCheck('team', 1, 100, 60_000), windowCheck('user', 1, 30, 60_000)] : [windowCheck('team', 1, 100, 60_000)]),
          ),
        );
        const withUser = decisions.filter((decision, index) => index % 2 === 0 && decision.allowed).length;
        const teamOnly = decisions.filter((decision, index) => index % 2 === 1 && decision.allowed).length;
        expect(withUser).toBeLessThanOrEqual(30);
        expect(withUser + teamOnly).toBeLessThanOrEqual(100);
        expect((await store.readCounter('user'))?.value ?? 0).toBe(withUser);
        expect((await store.readCounter('team'))?.value).toBe(withUser + teamOnly);
      });

      it('an empty decision is allowed and changes nothing', async () => {
        const { store } = await setup();
        expect(await store.decide([])).toEqual({ allowed: true, results: [], retryAfterMs: 0 });
      });

      it('force applies every cost past the limits (a settlement) and reports which limits now fail', async () => {
        const { store } = await setup();
        await store.increment('tpm', 900, { ttlMs: 60_000 });
        const decision = await store.decide([windowCheck('tpm', 300, 1000, 60_000), windowCheck('tpd', 300, 100_000, 86_400_000)], { force: true });
        expect(decision.allowed).toBe(false);
        expect(decision.results.map((result) => [result.allowed, result.value, result.remaining])).toEqual([
          [false, 1200, 0],
          [true, 300, 99_700],
        ]);
        expect(await store.readCounter('tpm')).toEqual({ value: 1200, ttlMs: 60_000 });
        expect(await store.readCounter('tpd')).toEqual({ value: 300, ttlMs: 86_400_000 });
      });

      it('reserve then settle: an estimate counted up front, the difference (either sign) later', async () => {
        const { store, clock } = await setup();
        const reserve = await store.decide([windowCheck('tokens', 1000, 5000, 60_000), bucketCheck('smooth', 1000, 5000, 100)]);
        expect(reserve.allowed).toBe(true);
        clock.advance(1000);
        // The call used 400 tokens: give 600 back to both.
        const settle = await store.decide([windowCheck('tokens', -600, 5000, 60_000), bucketCheck('smooth', -600, 5000, 100)], { force: true });
        expect(settle.results.map((result) => result.value)).toEqual([400, 4700]);
        // The next used 300 more than it reserved: counted whatever the limit says.
        await store.decide([windowCheck('tokens', 4500, 5000, 60_000)]);
        const over = await store.decide([windowCheck('tokens', 300, 5000, 60_000)], { force: true });
        expect(over.results[0]).toMatchObject({ allowed: false, value: 5200, remaining: 0, resetMs: 59_000 });
      });
    });

    describe('decide: token buckets', () => {
      it('starts full, takes, and refills continuously', async () => {
        const { store, clock } = await setup();
        const drained = await store.decide([bucketCheck('b', 10, 10, 5)]);
        expect(drained.results[0]).toEqual({ key: 'b', allowed: true, value: 0, remaining: 0, resetMs: 2000, retryAfterMs: 0 });
        const refused = await store.decide([bucketCheck('b', 1, 10, 5)]);
        expect(refused).toMatchObject({ allowed: false, retryAfterMs: 200 });
        expect(refused.results[0]).toMatchObject({ allowed: false, value: 0, retryAfterMs: 200 });
        clock.advance(200);
        const allowed = await store.decide([bucketCheck('b', 1, 10, 5)]);
        expect(allowed.allowed).toBe(true);
        expect(allowed.results[0]?.value).toBeCloseTo(0, 6);
        clock.advance(1000);
        expect((await store.decide([bucketCheck('b', 0, 10, 5)])).results[0]?.value).toBeCloseTo(5, 6);
      });

      it('a refused take leaves the tokens as they were; a cost above capacity is refused for good', async () => {
        const { store } = await setup();
        await store.decide([bucketCheck('b', 8, 10, 1)]);
        const refused = await store.decide([bucketCheck('b', 3, 10, 1)]);
        expect(refused.results[0]).toMatchObject({ allowed: false, value: 2, retryAfterMs: 1000 });
        expect((await store.decide([bucketCheck('b', 11, 10, 1)])).retryAfterMs).toBeNull();
        expect((await store.decide([bucketCheck('b', 0, 10, 1)])).results[0]?.value).toBe(2);
      });

      it('a negative cost puts tokens back, never above capacity', async () => {
        const { store } = await setup();
        await store.decide([bucketCheck('b', 6, 10, 1)]);
        expect((await store.decide([bucketCheck('b', -4, 10, 1)])).results[0]).toMatchObject({ allowed: true, value: 8 });
        expect((await store.decide([bucketCheck('b', -4, 10, 1)])).results[0]).toMatchObject({ allowed: true, value: 10, resetMs: 0 });
      });

      it('force leaves a debt that the refill pays off before the next take', async () => {
        const { store, clock } = await setup();
        await store.decide([bucketCheck('b', 10, 10, 5)]);
        const forced = await store.decide([bucketCheck('b', 5, 10, 5)], { force: true });
        expect(forced.results[0]).toMatchObject({ allowed: false, value: -5, remaining: 0, resetMs: 3000 });
        const refused = await store.decide([bucketCheck('b', 1, 10, 5)]);
        expect(refused.retryAfterMs).toBe(1200);
        clock.advance(1200);
        expect((await store.decide([bucketCheck('b', 1, 10, 5)])).allowed).toBe(true);
      });

      it('an idle bucket is full again', async () => {
        const { store, clock } = await setup();
        await store.decide([bucketCheck('b', 10, 10, 1)]);
        clock.advance(3_600_000);
        expect((await store.decide([bucketCheck('b', 10, 10, 1)])).results[0]).toMatchObject({ allowed: true, value: 0 });
      });

      it('1,000 concurrent takes from a bucket of 100 (no time passing) allow exactly 100', async () => {
        const { store } = await setup();
        const decisions = await Promise.all(Array.from({ length: 1000 }, () => store.decide([bucketCheck('b', 1, 100, 1)])));
        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(100);
      });
    });

    describe('values', () => {
      it('strings come back unchanged', async () => {
        const { store } = await setup();
        const completion = JSON.stringify({ id: 'chatcmpl-1', choices: [{ index: 0, message: { role: 'assistant', content: 'hi "there"\n' } }] });
        const samples = ['', 'plain', 'ünïcödé 日本語 🚀', 'nul\u0000inside', completion, 'x'.repeat(1 << 20)];
        for (const [index, sample] of samples.entries()) {
          expect(await store.set(`s${index}`, sample)).toBe(true);
          expect(await store.get(`s${index}`)).toBe(sample);
        }
      });

      it('bytes come back as a Uint8Array with the same bytes', async () => {
        const { store } = await setup();
        const samples = [allBytes(), new Uint8Array(0), Buffer.from('a buffer'), new Uint8Array(allBytes().buffer, 10, 20)];
        for (const [index, sample] of samples.entries()) {
          await store.set(`b${index}`, sample);
          const got = await store.get(`b${index}`);
          expect(got).toBeInstanceOf(Uint8Array);
          expect(Array.from(got as Uint8Array)).toEqual(Array.from(sample));
        }
      });

      it('shares no memory with its callers', async () => {
        const { store } = await setup();
        const bytes = Uint8Array.from([1, 2, 3]);
        await store.set('v', bytes);
        bytes[0] = 99;
        const first = (await store.get('v')) as Uint8Array;
        expect(Array.from(first)).toEqual([1, 2, 3]);
        first[1] = 99;
        expect(Array.from((await store.get('v')) as Uint8Array)).toEqual([1, 2, 3]);
      });

      it('an absent key reads as undefined', async () => {
        const { store } = await setup();
        expect(await store.get('nothing')).toBeUndefined();
      });

      it('a value expires exactly at the end of its ttlMs; a new set replaces the value and its TTL', async () => {
        const { store, clock } = await setup();
        await store.set('v', 'one', { ttlMs: 1000 });
        clock.advance(999);
        expect(await store.get('v')).toBe('one');
        clock.advance(1);
        expect(await store.get('v')).toBeUndefined();
        await store.set('v', 'two', { ttlMs: 1000 });
        clock.advance(500);
        await store.set('v', 'three', { ttlMs: 1000 });
        clock.advance(999);
        expect(await store.get('v')).toBe('three');
        await store.set('v', 'four');
        clock.advance(10 * 365 * 24 * 3600 * 1000);
        expect(await store.get('v')).toBe('four');
      });

      it('ifAbsent writes only when no live value is there (a lease)', async () => {
        const { store, clock } = await setup();
        expect(await store.set('lease', 'a', { ttlMs: 1000, ifAbsent: true })).toBe(true);
        expect(await store.set('lease', 'b', { ttlMs: 1000, ifAbsent: true })).toBe(false);
        expect(await store.get('lease')).toBe('a');
        clock.advance(1000);
        expect(await store.set('lease', 'c', { ttlMs: 1000, ifAbsent: true })).toBe(true);
        expect(await store.get('lease')).toBe('c');
      });

      it('of concurrent ifAbsent writers exactly one wins', async () => {
        const { store } = await setup();
        const wins = await Promise.all(Array.from({ length: 100 }, (_, index) => store.set('lock', `w${index}`, { ttlMs: 1000, ifAbsent: true })));
        expect(wins.filter(Boolean)).toHaveLength(1);
        expect(await store.get('lock')).toBe(`w${wins.indexOf(true)}`);
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

async function expectArgumentError(promise: Promise<unknown>): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'expected the call to reject').toBeInstanceOf(RangeError);
  // By name as well as by class: an implementation in another package may hold its own copy of core.
  expect((error as Error).name).toBe('StoreArgumentError');
}
