import { createMemoryStore, storeKey, windowKey, type GatewayEvent, type Store } from '@switchyard/core';

export { gate } from '../cache/helpers.js';
export { collectEvents, flushEvents } from '../gateway/helpers.js';

/**
 * The prompt every governed test call sends. Its estimate is 7 tokens whichever way the
 * tokenizer counts (loaded or not yet: 'hi' is one o200k token and one token per four
 * characters): 1 for the text, 3 for the message, 3 to prime the reply.
 */
export const messages = [{ role: 'user' as const, content: 'hi' }];
export const PROMPT_ESTIMATE = 7;

/**
 * Prices that are powers of two (USD per token), so every sum of reservations and costs is
 * exact in floating point and a budget's boundary falls where hand arithmetic puts it.
 */
export const INPUT_USD = 2 ** -10;
export const OUTPUT_USD = 2 ** -9;

/** A wall clock the test moves by hand, shared by the store and `governance.now`. */
export function fakeClock(start: number) {
  let now = start;
  return {
    now: () => now,
    set: (time: number) => {
      now = time;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** A memory store on `clock`, and the store-reading helpers. */
export function storeOn(clock: { now: () => number }): Store {
  return createMemoryStore({ now: clock.now });
}

/**
 * The value of a rate limit's counter for the window `now` falls in: the key layout of
 * limit-policy.ts (`switchyard:limit:<rule>:<partition>:<windowMs>` plus the window's start).
 */
export async function limitCounter(store: Store, rule: string, partition: string, windowMs: number, now: number): Promise<number> {
  const slot = windowKey(storeKey('switchyard', 'limit', rule, partition, windowMs), windowMs, now);
  return (await store.readCounter(slot.key))?.value ?? 0;
}

/** Lets queued work run until `done()` holds; fails (rather than hangs) after `rounds` turns of the event loop. */
export async function until(done: () => boolean, what: string, rounds = 5000): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    if (done()) return;
    // setTimeout (not setImmediate) so that real timers (a queued call's sleep) get their turn too.
    await new Promise((resolve) => setTimeout(resolve, i < 100 ? 0 : 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function ofType<T extends GatewayEvent['type']>(events: readonly GatewayEvent[], type: T): Array<Extract<GatewayEvent, { type: T }>> {
  return events.filter((event): event is Extract<GatewayEvent, { type: T }> => event.type === type);
}

/** Settles every promise and splits them into values and errors, in call order. */
export async function outcomes<T>(calls: ReadonlyArray<Promise<T>>): Promise<{ fulfilled: T[]; rejected: unknown[] }> {
  const settled = await Promise.allSettled(calls);
  return {
    fulfilled: settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : [])),
    rejected: settled.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : [])),
  };
}
