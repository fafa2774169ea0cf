// The Store contract for decisions: fixed windows, several limits at once, token buckets.
import { describe, expect, it } from 'vitest';
import { windowCheck, bucketCheck, type StoreContractSetup } from './store-contract-support.js';

/** The Store contract for decisions: fixed windows, several limits at once, token buckets. */
export function decideContract(setup: StoreContractSetup): void {
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
}
