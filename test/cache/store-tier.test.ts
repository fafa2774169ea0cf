import { createGateway, createMemoryStore, type Store } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { cacheEvents, flushEvents, gate, manualNow, messages } from './helpers.js';

/** A gateway process: its own adapter and memory tier, on the shared Store and clock. */
function process(store: Store, clock: { now: () => number }, options: { onStoreError?: (error: unknown, operation: string) => void; held?: Promise<void> } = {}) {
  let calls = 0;
  const adapter = scriptedAdapter({
    chat: async () => {
      calls++;
      await options.held;
      return completionOf(`answer ${calls}`);
    },
  });
  const collected = cacheEvents();
  const gateway = createGateway({
    providers: { p: adapter },
    cache: { exact: { store, now: clock.now, ttlMs: 60_000, onStoreError: options.onStoreError } },
    onEvent: collected.onEvent,
  });
  const ask = (namespace?: string) => gateway.chat.completions.create({ model: 'p/m', messages }, namespace ? { cache: { namespace } } : undefined).withMeta();
  return { gateway, calls: () => calls, ask, ...collected };
}

describe('the Store tier', () => {
  it('answers another process from the shared Store after its memory missed, then from its own memory', async () => {
    const clock = manualNow();
    const store = createMemoryStore({ now: clock.now });
    const a = process(store, clock);
    const b = process(store, clock);
    const miss = await a.ask();
    // The write-through is under way; let it land.
    await flushEvents();
    const fromStore = await b.ask();
    const fromMemory = await b.ask();
    expect(b.calls()).toBe(0);
    expect(fromStore.data).toEqual(miss.data);
    expect(fromStore.meta.served).toBe('middleware');
    expect(fromMemory.data).toEqual(miss.data);
    await flushEvents();
    expect(b.of('cache.hit').map((event) => event.tier)).toEqual(['store', 'memory']);
    expect(b.of('cache.hit')[0]).toMatchObject({ provider: 'p', model: 'm', usage: miss.meta.usage });
  });

  it('writes entries with their TTL, so that the Store expires them too', async () => {
    const clock = manualNow();
    const store = createMemoryStore({ now: clock.now });
    const a = process(store, clock);
    await a.ask();
    await flushEvents();
    clock.advance(60_000);
    const b = process(store, clock);
    await b.ask();
    expect(b.calls()).toBe(1);
  });

  it('invalidates a namespace in memory and in the Store, and leaves other namespaces', async () => {
    const clock = manualNow();
    const store = createMemoryStore({ now: clock.now });
    const a = process(store, clock);
    await a.ask('prompts-v1');
    await a.ask('other');
    await flushEvents();
    await expect(a.gateway.cache.invalidateNamespace('prompts-v1')).resolves.toEqual({ memory: 1, store: 1 });
    await a.ask('prompts-v1');
    await a.ask('other');
    expect(a.calls()).toBe(3);
    // A process that never saw the entries: the Store lost the namespace's, and kept the other's.
    const c = process(store, clock);
    await flushEvents();
    await c.ask('other');
    expect(c.calls()).toBe(0);
  });

  it('invalidates one entry by its key in every tier', async () => {
    const clock = manualNow();
    const store = createMemoryStore({ now: clock.now });
    const a = process(store, clock);
    await a.ask();
    await flushEvents();
    const key = a.gateway.cache.keyOf({ model: 'p/m', messages });
    await expect(a.gateway.cache.invalidate(key)).resolves.toBe(true);
    await expect(a.gateway.cache.invalidate(key)).resolves.toBe(false);
    const b = process(store, clock);
    await b.ask();
    expect(b.calls()).toBe(1);
  });

  it('lets no write that was under way survive an invalidation', async () => {
    const clock = manualNow();
    const inner = createMemoryStore({ now: clock.now });
    const writing = gate();
    const slowStore: Store = { ...bind(inner), set: async (key, value, options) => (await writing.promise, inner.set(key, value, options)) };
    const a = process(slowStore, clock);
    await a.ask();
    const invalidated = a.gateway.cache.invalidateNamespace('default');
    writing.open();
    await invalidated;
    const b = process(inner, clock);
    await b.ask();
    expect(b.calls()).toBe(1);
  });

  it('does not store an answer whose namespace was invalidated while it was in flight', async () => {
    const clock = manualNow();
    const held = gate();
    const a = process(createMemoryStore({ now: clock.now }), clock, { held: held.promise });
    const inFlight = a.ask();
    await flushEvents();
    await a.gateway.cache.invalidateNamespace('default');
    held.open();
    await inFlight;
    await a.ask();
    expect(a.calls()).toBe(2);
  });

  it('does not store an answer invalidated by its key while in flight, even one nobody could join (noCache)', async () => {
    const clock = manualNow();
    const held = gate();
    const a = process(createMemoryStore({ now: clock.now }), clock, { held: held.promise });
    // The first leads the flight others would join; the noCache call leads one of its own.
    const inFlight = [a.ask(), a.gateway.chat.completions.create({ model: 'p/m', messages }, { cache: { noCache: true } })];
    await flushEvents();
    expect(a.calls()).toBe(2);
    await a.gateway.cache.invalidate(a.gateway.cache.keyOf({ model: 'p/m', messages }));
    held.open();
    await Promise.all(inFlight);
    await a.ask();
    expect(a.calls()).toBe(3);
  });

  it('reads the Store once for a burst of identical calls', async () => {
    const clock = manualNow();
    const inner = createMemoryStore({ now: clock.now });
    let reads = 0;
    const counting: Store = { ...bind(inner), get: (key) => (reads++, inner.get(key)) };
    const a = process(counting, clock);
    await Promise.all([a.ask(), a.ask(), a.ask()]);
    expect(reads).toBe(1);
    expect(a.calls()).toBe(1);
  });

  it('goes on without a failing Store, telling onStoreError', async () => {
    const clock = manualNow();
    const failures: string[] = [];
    const broken: Store = { ...bind(createMemoryStore()), get: async () => Promise.reject(new Error('ECONNREFUSED')), set: async () => Promise.reject(new Error('ECONNREFUSED')) };
    const a = process(broken, clock, { onStoreError: (_error, operation) => failures.push(operation) });
    const first = await a.ask();
    await flushEvents();
    const second = await a.ask();
    expect(first.meta.outcome).toBe('success');
    // The memory tier still works.
    expect(second.meta.served).toBe('middleware');
    expect(failures).toEqual(['get', 'set']);
  });
});

/** A store's methods, bound, so that a test can replace one and keep the rest. */
function bind(store: Store): Store {
  return {
    increment: store.increment.bind(store),
    readCounter: store.readCounter.bind(store),
    decide: store.decide.bind(store),
    get: store.get.bind(store),
    set: store.set.bind(store),
    delete: store.delete.bind(store),
    deletePrefix: store.deletePrefix.bind(store),
  };
}
