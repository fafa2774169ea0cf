// What the Store contract's suites share: the fake clock, check builders and assertions.
import { expect } from 'vitest';
import type { BucketCheck, Store, WindowCheck } from './store.js';

/** A fake clock: the store reads `now()`, the tests move it with `advance`. */
export interface StoreContractClock {
  now(): number;
  advance(ms: number): void;
}

/** A fresh store for one test, and the clock it judges expiry by. */
export type StoreContractSetup = () => Promise<{ store: Store; clock: StoreContractClock }>;

/** Where the fake clock starts: a realistic epoch time, so no code path can mistake it for "unset". */
const START = 1_700_000_000_000;

/** A fresh fake clock, started at `START`. */
export function fakeClock(): StoreContractClock {
  let now = START;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

export const windowCheck = (key: string, cost: number, limit: number, ttlMs?: number): WindowCheck => ({ kind: 'window', key, cost, limit, ttlMs });
export const bucketCheck = (key: string, cost: number, capacity: number, refillPerSecond: number): BucketCheck => ({ kind: 'bucket', key, cost, capacity, refillPerSecond });

/** Every byte value, so that no encoding step can pass by accident. */
export const allBytes = (): Uint8Array => Uint8Array.from({ length: 256 }, (_, index) => index);

export async function expectArgumentError(promise: Promise<unknown>): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'expected the call to reject').toBeInstanceOf(RangeError);
  // By name as well as by class: an implementation in another package may hold its own copy of core.
  expect((error as Error).name).toBe('StoreArgumentError');
}
