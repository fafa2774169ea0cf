// 1,000 calls at once against a budget or a rate limit: the atomic reservation admits exactly what fits.
import { BudgetExceededError, createGateway, RateLimitedError } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, fakeClock, flushEvents, gate, INPUT_USD, limitCounter, messages, ofType, outcomes, OUTPUT_USD, PROMPT_ESTIMATE, storeOn, until } from './helpers.js';

const CALLS = 1000;
// A day in UTC that starts at a multiple of 60 000 ms (every day does): 2026-03-10T00:00:00Z.
const DAY_START = Date.UTC(2026, 2, 10);

/** A gateway whose one model answers with `usage` once `held` opens, and a budget or limit config. */
function heldGateway(governance: { budgets?: unknown[]; limits?: unknown[] }, usage: { prompt_tokens: number; completion_tokens: number }) {
  const clock = fakeClock(DAY_START + 12 * 3_600_000);
  const store = storeOn(clock);
  const held = gate();
  const adapter = scriptedAdapter({
    chat: async () => {
      await held.promise;
      return completionOf('ok', usage);
    },
  });
  const events = collectEvents();
  const gateway = createGateway({
    providers: { p: adapter },
    catalog: { 'p/m': { prices: { input: INPUT_USD, output: OUTPUT_USD } } },
    onEvent: events.onEvent,
    governance: { store, now: clock.now, ...(governance as object) },
  });
  return { gateway, adapter, held, events, clock, store };
}

describe('1,000 concurrent calls against a budget', () => {
  it('a USD budget admits exactly floor(limit / E) while all are in flight, and settles to admitted × C', async () => {
    // Each call reserves E = 7 prompt tokens × 2^-10 + 9 (max_tokens) × 2^-9 = 25/1024 USD,
    // and really costs C = 5 × 2^-10 + 3 × 2^-9 = 11/1024 USD.
    const E = (PROMPT_ESTIMATE * 1 + 9 * 2) / 1024;
    const C = (5 + 3 * 2) / 1024;
    expect(E).toBe(25 / 1024);
    const limit = 10; // = 10 240/1024: floor(10 240 / 25) = 409 fit (409 × 25 = 10 225), a 410th would need 10 250.
    const admitted = 409;
    const { gateway, adapter, held, events } = heldGateway({ budgets: [{ name: 'usd-day', usd: limit, period: 'day' }] }, { prompt_tokens: 5, completion_tokens: 3 });

    const calls = Array.from({ length: CALLS }, () => gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 9 }));
    const settledEarly: unknown[] = [];
    for (const call of calls) call.catch((error: unknown) => settledEarly.push(error));
    await until(() => adapter.calls.length === admitted && settledEarly.length === CALLS - admitted, 'every call to be admitted or refused');

    // Nothing has settled: the reservations in flight are all that is committed.
    expect(await gateway.budgets.get('usd-day')).toMatchObject({ spent: 0, reserved: (admitted * 25) / 1024, remaining: (10_240 - admitted * 25) / 1024, limit });
    expect(settledEarly.every((error) => error instanceof BudgetExceededError && error.rule === 'usd-day')).toBe(true);

    held.open();
    const { fulfilled, rejected } = await outcomes(calls);
    await flushEvents();
    expect(fulfilled).toHaveLength(admitted);
    expect(rejected).toHaveLength(CALLS - admitted);
    expect(adapter.calls).toHaveLength(admitted);
    const state = await gateway.budgets.get('usd-day');
    expect(state.spent).toBe(admitted * C);
    expect(state.spent).toBe((admitted * 11) / 1024);
    expect(state.reserved).toBe(0);
    expect(state.remaining).toBe(limit - (admitted * 11) / 1024);
    const exceeded = ofType(events.events, 'budget.exceeded');
    expect(exceeded).toHaveLength(CALLS - admitted);
    expect(exceeded.every((event) => event.rule === 'usd-day' && event.action === 'block' && event.unit === 'usd' && event.key === '*')).toBe(true);
    expect(E * admitted).toBeLessThanOrEqual(limit);
  });

  it('a token budget admits exactly floor(limit / E) and settles to the real tokens', async () => {
    // E = 7 + 13 = 20 tokens; C = 4 + 9 = 13 tokens. 5 000 / 20 = 250 fit exactly.
    const { gateway, adapter, held, events } = heldGateway({ budgets: [{ name: 'tok-day', tokens: 5000, period: 'day' }] }, { prompt_tokens: 4, completion_tokens: 9 });
    const calls = Array.from({ length: CALLS }, () => gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 }));
    const refused: unknown[] = [];
    for (const call of calls) call.catch((error: unknown) => refused.push(error));
    await until(() => adapter.calls.length === 250 && refused.length === 750, 'every call to be admitted or refused');
    expect(await gateway.budgets.get('tok-day')).toMatchObject({ spent: 0, reserved: 5000, remaining: 0 });

    held.open();
    const { fulfilled, rejected } = await outcomes(calls);
    await flushEvents();
    expect(fulfilled).toHaveLength(250);
    expect(rejected.every((error) => error instanceof BudgetExceededError && error.rule === 'tok-day' && error.unit === 'tokens' && error.limit === 5000)).toBe(true);
    expect(await gateway.budgets.get('tok-day')).toMatchObject({ spent: 250 * 13, reserved: 0, remaining: 5000 - 250 * 13 });
    expect(ofType(events.events, 'budget.exceeded')).toHaveLength(750);
  });

  it('a model that ignores max_tokens (C > E) overspends by at most admitted × (C − E)', async () => {
    // E = 7 × 2^-10 + 1 × 2^-9 = 9/1024; the model writes 50 tokens anyway: C = 7/1024 + 100/1024 = 107/1024.
    // Limit $1 = 1 024/1024: floor(1 024 / 9) = 113 fit (113 × 9 = 1 017).
    const admitted = 113;
    const { gateway, adapter, held } = heldGateway({ budgets: [{ name: 'usd-total', usd: 1, period: 'total' }] }, { prompt_tokens: 7, completion_tokens: 50 });
    const calls = Array.from({ length: CALLS }, () => gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 1 }));
    const refused: unknown[] = [];
    for (const call of calls) call.catch((error: unknown) => refused.push(error));
    await until(() => adapter.calls.length === admitted && refused.length === CALLS - admitted, 'every call to be admitted or refused');
    held.open();
    const { fulfilled } = await outcomes(calls);
    await flushEvents();
    expect(fulfilled).toHaveLength(admitted);

    const state = await gateway.budgets.get('usd-total');
    expect(state.spent).toBe((admitted * 107) / 1024);
    expect(state.reserved).toBe(0);
    expect(state.remaining).toBe(0);
    // Overspend = 113 × 107/1024 − 1 = 11 067/1024, within the bound 113 × (107 − 9)/1024 = 11 074/1024.
    const overspend = state.spent - 1;
    expect(overspend).toBe(11_067 / 1024);
    expect(overspend).toBeLessThanOrEqual((admitted * (107 - 9)) / 1024);
    // The budget is spent: the next call is refused, naming what is committed.
    await expect(gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 1 })).rejects.toMatchObject({
      name: 'BudgetExceededError',
      rule: 'usd-total',
      committed: (admitted * 107) / 1024,
      periodEndsAt: undefined,
    });
  });
});

describe('1,000 concurrent calls against a request limit', () => {
  it('admits exactly N per window; each rejection says when the window ends, emits limit.exceeded and sends nothing', async () => {
    // 12 345 ms into a minute window: it ends 47 655 ms later.
    const { gateway, adapter, held, events, clock, store } = heldGateway({ limits: [{ name: 'rpm', requests: { perMinute: 37 } }] }, { prompt_tokens: 1, completion_tokens: 1 });
    const windowStart = DAY_START + 12 * 3_600_000;
    clock.set(windowStart + 12_345);
    const calls = Array.from({ length: CALLS }, () => gateway.chat.completions.create({ model: 'p/m', messages }));
    const refused: unknown[] = [];
    for (const call of calls) call.catch((error: unknown) => refused.push(error));
    await until(() => adapter.calls.length === 37 && refused.length === CALLS - 37, 'every call to be admitted or refused');
    await flushEvents();

    expect(refused.every((error) => error instanceof RateLimitedError)).toBe(true);
    for (const error of refused as RateLimitedError[]) {
      expect(error).toMatchObject({ rule: 'rpm', limit: '37 requests per minute', retryAfterMs: 47_655 });
    }
    const exceeded = ofType(events.events, 'limit.exceeded');
    expect(exceeded).toHaveLength(CALLS - 37);
    expect(exceeded.every((event) => event.action === 'reject' && event.rule === 'rpm' && event.key === '*' && event.retryAfterMs === 47_655)).toBe(true);
    // Every refused call ended without an attempt.
    const refusedEnds = events.ends().filter((end) => end.outcome === 'error');
    expect(refusedEnds).toHaveLength(CALLS - 37);
    expect(refusedEnds.every((end) => end.attempts === 0)).toBe(true);
    expect(await limitCounter(store, 'rpm', '*', 60_000, clock.now())).toBe(37);

    // The retry time is truthful: 1 ms before the window ends there is still no room, at its end there is.
    clock.advance(47_654);
    await expect(gateway.chat.completions.create({ model: 'p/m', messages })).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 1 });
    clock.advance(1);
    const next = Array.from({ length: 100 }, () => gateway.chat.completions.create({ model: 'p/m', messages }));
    const nextRefused: unknown[] = [];
    for (const call of next) call.catch((error: unknown) => nextRefused.push(error));
    await until(() => adapter.calls.length === 74 && nextRefused.length === 63, 'the next window to admit 37 more');
    expect(nextRefused.every((error) => error instanceof RateLimitedError && error.retryAfterMs === 60_000)).toBe(true);
    held.open();
    expect((await outcomes([...calls, ...next])).fulfilled).toHaveLength(74);
  });

  it('a token limit admits concurrent calls until the reservations would pass it, and counts the real tokens after', async () => {
    // E = 7 + 13 = 20 tokens each; 110 tokens per minute hold 5 reservations (100), a 6th would make 120.
    // Real use: 3 + 30 = 33 tokens each, more than reserved.
    const { gateway, adapter, held, store, clock } = heldGateway({ limits: [{ name: 'tpm', tokens: { perMinute: 110 } }] }, { prompt_tokens: 3, completion_tokens: 30 });
    const calls = Array.from({ length: CALLS }, () => gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 }));
    const refused: unknown[] = [];
    for (const call of calls) call.catch((error: unknown) => refused.push(error));
    await until(() => adapter.calls.length === 5 && refused.length === CALLS - 5, 'every call to be admitted or refused');
    expect(await limitCounter(store, 'tpm', '*', 60_000, clock.now())).toBe(100);
    expect(refused.every((error) => error instanceof RateLimitedError && error.rule === 'tpm' && error.limit === '110 tokens per minute')).toBe(true);
    held.open();
    await outcomes(calls);
    await flushEvents();
    // The counter holds what the five really used: 5 × 33, over the limit by no more than 5 × (33 − 20) − (110 − 100).
    expect(await limitCounter(store, 'tpm', '*', 60_000, clock.now())).toBe(165);
  });
});
