// The Store contract for values with a TTL.
import { describe, expect, it } from 'vitest';
import { allBytes, type StoreContractSetup } from './store-contract-support.js';

/** The Store contract for values with a TTL. */
export function valueContract(setup: StoreContractSetup): void {
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
}
