// Rate limits: token limits settle to real use, queue mode, audit mode, every matching rule, partitions, per-model rules, the cache.
import { AbortError, createGateway, RateLimitedError, type LimitRule, type Store } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, fakeClock, flushEvents, limitCounter, messages, ofType, storeOn, until } from './helpers.js';

// 2026-03-10T12:00:00Z: a multiple of every window length (1 s, 1 min, 1 h, 1 day).
const START = Date.UTC(2026, 2, 10, 12);
const MINUTE = 60_000;

type Usage = { prompt_tokens: number; completion_tokens: number };

/** A gateway on a fake clock whose adapters answer with the next usage of their script (or 1 + 1). */
function limited(limits: LimitRule[], options: { usages?: Usage[]; start?: number; routes?: Record<string, unknown>; cache?: boolean; budgets?: unknown[] } = {}) {
  const clock = fakeClock(options.start ?? START + 12_345);
  const store = storeOn(clock);
  const usages = [...(options.usages ?? [])];
  const answer = () => completionOf('ok', usages.shift() ?? { prompt_tokens: 1, completion_tokens: 1 });
  const a = scriptedAdapter({ chat: answer });
  const b = scriptedAdapter({ chat: answer });
  const events = collectEvents();
  const gateway = createGateway({
    providers: { p: a, q: b },
    ...(options.routes ? { models: options.routes as never } : {}),
    ...(options.cache ? { cache: { exact: {} } } : {}),
    onEvent: events.onEvent,
    governance: { store, now: clock.now, limits, ...(options.budgets ? { budgets: options.budgets as never } : {}) },
  });
  return { gateway, a, b, events, clock, store };
}

describe('token limits', () => {
  it('settle each call to its real usage; admission stops where the next reservation would pass the limit', async () => {
    // Each call reserves 7 + 13 = 20 tokens; real use varies around it.
    const real: Usage[] = [
      { prompt_tokens: 4, completion_tokens: 6 }, // 10: counter 10
      { prompt_tokens: 7, completion_tokens: 20 }, // 27 (over the estimate): 37
      { prompt_tokens: 5, completion_tokens: 5 }, // 10: 47
      { prompt_tokens: 4, completion_tokens: 26 }, // 30: 77
      { prompt_tokens: 2, completion_tokens: 1 }, // 3: 80
      { prompt_tokens: 6, completion_tokens: 4 }, // 10: 90 (admitted at 80 + 20 = 100, exactly the limit)
    ];
    const { gateway, a, store, clock } = limited([{ name: 'tpm', tokens: { perMinute: 100 } }], { usages: real });
    const counter = () => limitCounter(store, 'tpm', '*', MINUTE, clock.now());
    for (let i = 0; i < real.length; i++) await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 });
    await flushEvents();
    expect(a.calls).toHaveLength(6);
    expect(await counter()).toBe(10 + 27 + 10 + 30 + 3 + 10);
    // 90 + 20 > 100: refused, with the time to the window's end (60 000 − 12 345).
    await expect(gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 })).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'tpm', retryAfterMs: 47_655 });
    // The counter is exactly 90: a call reserving 11 (7 + 4) does not fit, one reserving 10 (7 + 3) does.
    await expect(gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 4 })).rejects.toBeInstanceOf(RateLimitedError);
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 3 });
    await flushEvents();
    expect(a.calls).toHaveLength(7);
    // It used 1 + 1 (the default answer).
    expect(await counter()).toBe(92);
  });

  it('count only input or output tokens when told to', async () => {
    const { gateway, store, clock } = limited(
      [
        { name: 'in', tokens: { perMinute: 1000, count: 'input' } },
        { name: 'out', tokens: { perMinute: 1000, count: 'output' } },
      ],
      { usages: [{ prompt_tokens: 11, completion_tokens: 4 }] },
    );
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 50 });
    await flushEvents();
    expect(await limitCounter(store, 'in', '*', MINUTE, clock.now())).toBe(11);
    expect(await limitCounter(store, 'out', '*', MINUTE, clock.now())).toBe(4);
  });

  it('a call alone over the limit is refused with no retry time', async () => {
    const { gateway, a } = limited([{ name: 'tpm', tokens: { perMinute: 100 } }]);
    // 7 + 94 = 101 > 100 whatever the counter holds.
    const error = await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 94 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).retryAfterMs).toBeUndefined();
    expect(a.calls).toHaveLength(0);
  });
});

describe('queue mode', () => {
  it('waiting calls are admitted in order when the window turns, and count in the window they were admitted in', async () => {
    // 2 per second; the clock starts 20 ms before a second ends.
    const second = START + 7_000;
    const { gateway, a, events, clock, store } = limited([{ name: 'rps', requests: { perSecond: 2 }, mode: 'queue', maxWaitMs: 60_000 }], { start: second + 980 });
    const call = (n: number) => gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: `call ${n}` }] });
    const sent = () => a.calls.map((entry) => ((entry.params as { messages: Array<{ content: string }> }).messages[0] as { content: string }).content);
    const queued = () => ofType(events.events, 'limit.exceeded').filter((event) => event.action === 'queue');

    const first = [1, 2, 3, 4, 5].map(call);
    await until(() => a.calls.length === 2 && queued().length === 3, 'calls 3 to 5 to queue');
    expect(sent()).toEqual(['call 1', 'call 2']);
    expect(queued()[0]).toMatchObject({ rule: 'rps', key: '*', limit: '2 requests per second', retryAfterMs: 20 });

    // Into the next second, 10 ms before it ends: calls 3 and 4 fill it; 5 waits on.
    clock.set(second + 1_990);
    await until(() => a.calls.length === 4, 'calls 3 and 4 to be admitted');
    expect(sent()).toEqual(['call 1', 'call 2', 'call 3', 'call 4']);
    expect(await limitCounter(store, 'rps', '*', 1_000, clock.now())).toBe(2);
    // A new call in this second finds it full (3 and 4 count here) and queues too.
    const late = call(6);
    await until(() => queued().length === 4, 'call 6 to queue');
    expect(a.calls).toHaveLength(4);

    clock.set(second + 2_000);
    await Promise.all([...first, late]);
    expect(sent()).toEqual(['call 1', 'call 2', 'call 3', 'call 4', 'call 5', 'call 6']);
    expect(await limitCounter(store, 'rps', '*', 1_000, clock.now())).toBe(2);
    expect(ofType(events.events, 'limit.exceeded').filter((event) => event.action === 'reject')).toEqual([]);
  });

  it('a newcomer joins the line behind calls already waiting, instead of taking the room they wait for', async () => {
    const second = START + 9_000;
    const { gateway, a, events, clock } = limited([{ name: 'rps', requests: { perSecond: 2 }, mode: 'queue', maxWaitMs: 60_000 }], { start: second + 980 });
    const call = (n: number) => gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: `call ${n}` }] });
    const sent = () => a.calls.map((entry) => ((entry.params as { messages: Array<{ content: string }> }).messages[0] as { content: string }).content);
    const waiting = [1, 2, 3].map(call);
    await until(() => a.calls.length === 2 && ofType(events.events, 'limit.exceeded').length === 1, 'call 3 to queue');
    // The next second has room for two. Call 4 arrives before call 3 (asleep until its retry) wakes:
    // it must not take call 3's place.
    clock.set(second + 1_000);
    const newcomer = call(4);
    await Promise.all([...waiting, newcomer]);
    expect(sent()).toEqual(['call 1', 'call 2', 'call 3', 'call 4']);
  });

  it('a call that cannot get room within maxWaitMs is refused at once, without queueing', async () => {
    // One a minute; 30 s are left in the window, and the call may wait at most 1 s: waiting cannot help.
    const { gateway, a, events } = limited([{ name: 'rpm', requests: { perMinute: 1 }, mode: 'queue', maxWaitMs: 1_000 }], { start: START + 30_000 });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    const error = await gateway.chat.completions.create({ model: 'p/m', messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ rule: 'rpm', limit: '1 request per minute', retryAfterMs: 30_000, retryable: true });
    expect((error as Error).message).toContain('has no room for this call');
    expect(a.calls).toHaveLength(1);
    await flushEvents();
    expect(ofType(events.events, 'limit.exceeded').map((event) => event.action)).toEqual(['reject']);
  });

  it('an aborted waiter rejects with AbortError and holds no reservation', async () => {
    const { gateway, a, events, clock, store } = limited(
      [
        { name: 'rpm', requests: { perMinute: 1 }, mode: 'queue', maxWaitMs: 120_000 },
        { name: 'tpm', tokens: { perMinute: 1000 } },
      ],
      { start: START + 30_000, budgets: [{ name: 'tok', tokens: 1000, period: 'day' }] },
    );
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 });
    const controller = new AbortController();
    const waiting = gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 }, { signal: controller.signal });
    await until(() => ofType(events.events, 'limit.exceeded').length === 1, 'the second call to queue');
    controller.abort();
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
    expect(a.calls).toHaveLength(1);
    await flushEvents();
    // Only the first call counts: 1 request, 2 tokens (1 + 1), and nothing reserved on the budget.
    expect(await limitCounter(store, 'rpm', '*', MINUTE, clock.now())).toBe(1);
    expect(await limitCounter(store, 'tpm', '*', MINUTE, clock.now())).toBe(2);
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 2, reserved: 0 });
    // The next window has room for exactly one call: the aborted waiter took none of it.
    clock.set(START + MINUTE);
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 });
    expect(a.calls).toHaveLength(2);
    expect(await limitCounter(store, 'rpm', '*', MINUTE, clock.now())).toBe(1);
  });
});

describe('queue mode with a slow store', () => {
  it('a call aborted while the store decides does not wait in line', async () => {
    // The signal aborts while the refusing decision is on its way back (a store over the network).
    const clock = fakeClock(START + 30_000);
    const memory = storeOn(clock);
    const controller = new AbortController();
    let refusals = 0;
    const store: Store = {
      increment: (...args) => memory.increment(...args),
      readCounter: (...args) => memory.readCounter(...args),
      get: (...args) => memory.get(...args),
      set: (...args) => memory.set(...args),
      delete: (...args) => memory.delete(...args),
      deletePrefix: (...args) => memory.deletePrefix(...args),
      decide: async (...args) => {
        const decision = await memory.decide(...args);
        if (!decision.allowed && refusals++ === 0) controller.abort();
        return decision;
      },
    };
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({
      providers: { p: adapter },
      governance: { store, now: clock.now, limits: [{ name: 'rpm', requests: { perMinute: 1 }, mode: 'queue', maxWaitMs: 120_000 }] },
    });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { signal: controller.signal })).rejects.toBeInstanceOf(AbortError);
    expect(adapter.calls).toHaveLength(1);
    expect(await limitCounter(memory, 'rpm', '*', MINUTE, clock.now())).toBe(1);
  });
});

describe('audit mode', () => {
  it('never blocks, reports each call over the limit with action audit, and still counts', async () => {
    const { gateway, a, events, store, clock } = limited([{ name: 'rpm', requests: { perMinute: 2 }, mode: 'audit' }]);
    for (let i = 0; i < 4; i++) await gateway.chat.completions.create({ model: 'p/m', messages });
    await flushEvents();
    expect(a.calls).toHaveLength(4);
    const exceeded = ofType(events.events, 'limit.exceeded');
    expect(exceeded.map((event) => event.action)).toEqual(['audit', 'audit']);
    expect(exceeded[0]).toMatchObject({ rule: 'rpm', key: '*', limit: '2 requests per minute' });
    expect(await limitCounter(store, 'rpm', '*', MINUTE, clock.now())).toBe(4);
  });

  it('an audited token limit settles to real use too', async () => {
    const { gateway, store, clock, events } = limited([{ name: 'tpm', tokens: { perMinute: 10 }, mode: 'audit' }], {
      usages: [
        { prompt_tokens: 3, completion_tokens: 4 },
        { prompt_tokens: 5, completion_tokens: 5 },
      ],
    });
    // Each reserves 7 + 13 = 20 > 10: reported, let through.
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 });
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 });
    await flushEvents();
    expect(await limitCounter(store, 'tpm', '*', MINUTE, clock.now())).toBe(17);
    expect(ofType(events.events, 'limit.exceeded').map((event) => event.action)).toEqual(['audit', 'audit']);
  });
});

describe('every matching rule', () => {
  it('applies and counts: both counters move', async () => {
    const { gateway, store, clock } = limited(
      [
        { name: 'rpm', requests: { perMinute: 10 } },
        { name: 'tpm', by: 'principal', tokens: { perMinute: 1000 } },
      ],
      { usages: [{ prompt_tokens: 8, completion_tokens: 2 }] },
    );
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 50 }, { principal: { id: 'u1' } });
    await flushEvents();
    expect(await limitCounter(store, 'rpm', '*', MINUTE, clock.now())).toBe(1);
    expect(await limitCounter(store, 'tpm', 'u1', MINUTE, clock.now())).toBe(10);
  });

  it('is atomic: when one refuses, none is charged', async () => {
    const { gateway, a, store, clock } = limited([
      { name: 'shared', requests: { perMinute: 10 } },
      { name: 'per-user', by: 'principal', requests: { perMinute: 1 } },
    ]);
    const u1 = { principal: { id: 'u1' } };
    await gateway.chat.completions.create({ model: 'p/m', messages }, u1);
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, u1)).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'per-user' });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, u1)).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'per-user' });
    expect(await limitCounter(store, 'shared', '*', MINUTE, clock.now())).toBe(1);
    expect(await limitCounter(store, 'per-user', 'u1', MINUTE, clock.now())).toBe(1);
    expect(a.calls).toHaveLength(1);
  });

  it("by: 'principal' gives each principal its own counter", async () => {
    const { gateway, store, clock } = limited([{ name: 'per-user', by: 'principal', requests: { perMinute: 2 } }]);
    for (const id of ['u1', 'u1', 'u2']) await gateway.chat.completions.create({ model: 'p/m', messages }, { principal: { id } });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { principal: { id: 'u1' } })).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'per-user' });
    await gateway.chat.completions.create({ model: 'p/m', messages }, { principal: { id: 'u2' } });
    expect(await limitCounter(store, 'per-user', 'u1', MINUTE, clock.now())).toBe(2);
    expect(await limitCounter(store, 'per-user', 'u2', MINUTE, clock.now())).toBe(2);
  });

  it("by: 'team' counts a principal of two teams against both, and a refusal by one charges neither", async () => {
    const { gateway, a, store, clock, events } = limited([{ name: 'per-team', by: 'team', requests: { perMinute: 2 } }]);
    const as = (id: string, teams: string[]) => ({ principal: { id, teams } });
    const counter = (team: string) => limitCounter(store, 'per-team', team, MINUTE, clock.now());
    await gateway.chat.completions.create({ model: 'p/m', messages }, as('alice', ['red', 'blue']));
    expect([await counter('red'), await counter('blue')]).toEqual([1, 1]);
    await gateway.chat.completions.create({ model: 'p/m', messages }, as('bob', ['blue']));
    expect([await counter('red'), await counter('blue')]).toEqual([1, 2]);
    // Blue is full: carol (red and blue) is refused, and red is not charged for her.
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, as('carol', ['red', 'blue']))).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'per-team' });
    expect([await counter('red'), await counter('blue')]).toEqual([1, 2]);
    await gateway.chat.completions.create({ model: 'p/m', messages }, as('dave', ['red']));
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, as('dave', ['red']))).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'per-team' });
    expect([await counter('red'), await counter('blue')]).toEqual([2, 2]);
    expect(a.calls).toHaveLength(3);
    await flushEvents();
    expect(ofType(events.events, 'limit.exceeded').map((event) => event.key)).toEqual(['blue', 'red']);
  });

  it('a per-model limit is decided per target: a fallback whose first target is full goes to the second', async () => {
    const { gateway, a, b, store, clock, events } = limited([{ name: 'p-a', when: { models: 'p/a' }, requests: { perMinute: 1 } }], { routes: { smart: { fallback: ['p/a', 'q/b'] } } });
    await gateway.chat.completions.create({ model: 'smart', messages });
    expect([a.calls.length, b.calls.length]).toEqual([1, 0]);
    const second = await gateway.chat.completions.create({ model: 'smart', messages }).withMeta();
    expect([a.calls.length, b.calls.length]).toEqual([1, 1]);
    expect(second.meta).toMatchObject({ provider: 'q', model: 'b' });
    expect(await limitCounter(store, 'p-a', '*', MINUTE, clock.now())).toBe(1);
    await flushEvents();
    expect(ofType(events.events, 'limit.exceeded')).toEqual([expect.objectContaining({ rule: 'p-a', action: 'reject' })]);
    // A direct call to the full target has nowhere else to go.
    await expect(gateway.chat.completions.create({ model: 'p/a', messages })).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'p-a' });
    expect(a.calls).toHaveLength(1);
  });

  it("by: 'model' keeps a counter per target the call is sent to", async () => {
    const { gateway, a, b, store, clock } = limited([{ name: 'per-model', by: 'model', requests: { perMinute: 1 } }], { routes: { smart: { fallback: ['p/a', 'q/b'] } } });
    await gateway.chat.completions.create({ model: 'smart', messages });
    await gateway.chat.completions.create({ model: 'smart', messages });
    expect([a.calls.length, b.calls.length]).toEqual([1, 1]);
    expect(await limitCounter(store, 'per-model', 'p/a', MINUTE, clock.now())).toBe(1);
    expect(await limitCounter(store, 'per-model', 'q/b', MINUTE, clock.now())).toBe(1);
    await expect(gateway.chat.completions.create({ model: 'smart', messages })).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'per-model' });
  });
});

describe('the cache', () => {
  it('a cache hit still counts against a request limit: governance runs before the cache', async () => {
    const { gateway, a, store, clock } = limited([{ name: 'rpm', requests: { perMinute: 2 } }], { cache: true });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    const hit = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    expect(hit.meta.served).toBe('middleware');
    expect(a.calls).toHaveLength(1);
    expect(await limitCounter(store, 'rpm', '*', MINUTE, clock.now())).toBe(2);
    await expect(gateway.chat.completions.create({ model: 'p/m', messages })).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'rpm' });
  });
});
