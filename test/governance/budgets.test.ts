// Budgets: streams and failures settle to what was used, audit, per-model budgets, downgrade, alerts and periods, the cache.
import { AbortError, BudgetExceededError, createGateway, ProviderError, type BudgetRule, type ChatCompletionChunk, type GatewayConfig, type LimitRule } from '@switchyard/core';
import { type CallContext } from '@switchyard/core/adapter';
import { chunksOf, completionOf, scriptedAdapter, type ScriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { rejectFirstAnswer } from '../gateway/helpers.js';
import { collectEvents, fakeClock, flushEvents, gate, INPUT_USD, limitCounter, messages, ofType, OUTPUT_USD, PROMPT_ESTIMATE, storeOn, until } from './helpers.js';

const START = Date.UTC(2026, 2, 10, 12);
const MINUTE = 60_000;
type Usage = { prompt_tokens: number; completion_tokens: number };

interface Setup {
  budgets: BudgetRule[];
  limits?: LimitRule[];
  providers?: Record<string, ScriptedAdapter>;
  models?: GatewayConfig['models'];
  catalog?: GatewayConfig['catalog'];
  extra?: Partial<GatewayConfig>;
  start?: number;
  timeZone?: string;
}

/** A governed gateway on a fake clock (the adapter `p` answers with 1 + 1 tokens unless given). */
function budgeted(setup: Setup) {
  const clock = fakeClock(setup.start ?? START);
  const store = storeOn(clock);
  const events = collectEvents();
  const providers = setup.providers ?? { p: scriptedAdapter({ chat: () => completionOf('ok', { prompt_tokens: 1, completion_tokens: 1 }) }) };
  const gateway = createGateway({
    providers,
    ...(setup.models ? { models: setup.models } : {}),
    catalog: setup.catalog ?? { 'p/m': { prices: { input: INPUT_USD, output: OUTPUT_USD } } },
    onEvent: events.onEvent,
    ...setup.extra,
    governance: { store, now: clock.now, budgets: setup.budgets, ...(setup.limits ? { limits: setup.limits } : {}), ...(setup.timeZone ? { timeZone: setup.timeZone } : {}) },
  });
  return { gateway, events, clock, store };
}

/** An adapter that answers each call with the next usage of `usages`. */
function answering(usages: Usage[]): ScriptedAdapter {
  const left = [...usages];
  return scriptedAdapter({ chat: () => completionOf('ok', left.shift() ?? { prompt_tokens: 1, completion_tokens: 1 }) });
}

const tokensAndUsd: BudgetRule[] = [
  { name: 'tok', tokens: 10_000, period: 'day' },
  { name: 'usd', usd: 100, period: 'day' },
];
const tpm: LimitRule[] = [{ name: 'tpm', tokens: { perMinute: 100_000 } }];

describe('what a call reserves', () => {
  it('the prompt estimate plus max_completion_tokens, max_tokens or defaultOutputTokens, times n', async () => {
    const held = gate();
    const p = scriptedAdapter({
      chat: async () => {
        await held.promise;
        return completionOf('ok');
      },
    });
    const reserving = async (params: Record<string, unknown>, defaultOutputTokens?: number) => {
      const clock = fakeClock(START);
      const gateway = createGateway({
        providers: { p },
        governance: { store: storeOn(clock), now: clock.now, budgets: [{ name: 'tok', tokens: 100_000, period: 'day' }], ...(defaultOutputTokens ? { defaultOutputTokens } : {}) },
      });
      const before = p.calls.length;
      const call = gateway.chat.completions.create({ model: 'p/m', messages, ...params });
      await until(() => p.calls.length === before + 1, 'the call to reach the provider');
      const { reserved } = await gateway.budgets.get('tok');
      return { reserved, call };
    };
    const calls = [];
    const cases: Array<[Record<string, unknown>, number | undefined, number]> = [
      [{}, undefined, PROMPT_ESTIMATE + 1024],
      [{}, 10, PROMPT_ESTIMATE + 10],
      [{ max_tokens: 50 }, undefined, PROMPT_ESTIMATE + 50],
      [{ max_tokens: 50, max_completion_tokens: 20 }, undefined, PROMPT_ESTIMATE + 20],
      [{ max_tokens: 50, n: 3 }, undefined, PROMPT_ESTIMATE + 150],
    ];
    for (const [params, defaultOutputTokens, expected] of cases) {
      const { reserved, call } = await reserving(params, defaultOutputTokens);
      expect(reserved).toBe(expected);
      calls.push(call);
    }
    held.open();
    await Promise.all(calls);
  });
});

describe('streams settle what they used', () => {
  /** The budgets and the token limit after a call: all three must show the same real use. */
  async function standing(gateway: ReturnType<typeof budgeted>['gateway'], store: ReturnType<typeof budgeted>['store'], now: number) {
    const [tok, usd] = [await gateway.budgets.get('tok'), await gateway.budgets.get('usd')];
    return { tokens: tok.spent, tokensReserved: tok.reserved, usd: usd.spent, usdReserved: usd.reserved, limit: await limitCounter(store, 'tpm', '*', MINUTE, now) };
  }

  it('a stream read to its end settles its usage chunk', async () => {
    const p = scriptedAdapter({
      stream: async function* () {
        yield* chunksOf(['a', 'b', 'c'], { prompt_tokens: 4, completion_tokens: 12 });
      },
    });
    const { gateway, store, clock } = budgeted({ budgets: tokensAndUsd, limits: tpm, providers: { p } });
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true, max_tokens: 100 });
    // In flight: 7 + 100 tokens reserved, and 7 × 2^-10 + 100 × 2^-9 USD.
    expect((await gateway.budgets.get('tok')).reserved).toBe(PROMPT_ESTIMATE + 100);
    expect((await gateway.budgets.get('usd')).reserved).toBe((PROMPT_ESTIMATE + 200) / 1024);
    for await (const _ of stream) {
      // read to the end
    }
    await flushEvents();
    expect(await standing(gateway, store, clock.now())).toEqual({ tokens: 16, tokensReserved: 0, usd: (4 + 24) / 1024, usdReserved: 0, limit: 16 });
  });

  it('a stream abandoned with break settles to the estimate of what it delivered', async () => {
    const p = scriptedAdapter({
      stream: async function* () {
        yield* chunksOf(['hi', ' there', ' and more'], { prompt_tokens: 4, completion_tokens: 12 });
      },
    });
    const { gateway, store, clock } = budgeted({ budgets: tokensAndUsd, limits: tpm, providers: { p } });
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true, max_tokens: 100 });
    for await (const _ of stream) break;
    await flushEvents();
    // No usage chunk came: the prompt is counted (7) and the one delivered piece, 'hi' (1 token): docs/cost.md.
    expect(await standing(gateway, store, clock.now())).toEqual({ tokens: 8, tokensReserved: 0, usd: (7 + 2) / 1024, usdReserved: 0, limit: 8 });
  });

  it('a stream aborted through its signal settles to the estimate of what it delivered', async () => {
    const p = scriptedAdapter({
      stream: async function* (_request, call: CallContext) {
        const [first] = chunksOf(['hi']);
        yield first as ChatCompletionChunk;
        await new Promise((_, reject) => call.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true }));
      },
    });
    const { gateway, store, clock } = budgeted({ budgets: tokensAndUsd, limits: tpm, providers: { p } });
    const controller = new AbortController();
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true, max_tokens: 100 }, { signal: controller.signal });
    const read = (async () => {
      for await (const _ of stream) controller.abort();
    })();
    await expect(read).rejects.toBeInstanceOf(AbortError);
    await flushEvents();
    expect(await standing(gateway, store, clock.now())).toEqual({ tokens: 8, tokensReserved: 0, usd: (7 + 2) / 1024, usdReserved: 0, limit: 8 });
  });
});

describe('calls that do not finish release their reservations', () => {
  it('a refused call reserves nothing, on any rule', async () => {
    const { gateway, store, clock, events } = budgeted({ budgets: [{ name: 'tok', tokens: 1000, period: 'day' }], limits: tpm });
    // 7 + 994 = 1 001 > 1 000.
    await expect(gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 994 })).rejects.toMatchObject({ name: 'BudgetExceededError', rule: 'tok', unit: 'tokens', limit: 1000, committed: 0 });
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 0, reserved: 0, remaining: 1000 });
    expect(await limitCounter(store, 'tpm', '*', MINUTE, clock.now())).toBe(0);
    await flushEvents();
    expect(ofType(events.events, 'budget.exceeded')).toEqual([expect.objectContaining({ rule: 'tok', action: 'block', committed: 0, limit: 1000 })]);
  });

  it('a call the provider fails releases its reservation', async () => {
    const p = scriptedAdapter({
      chat: () => {
        throw new ProviderError('bad request', { provider: 'p', model: 'm', retryable: false, status: 400 });
      },
    });
    const { gateway, store, clock } = budgeted({ budgets: tokensAndUsd, limits: tpm, providers: { p } });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 })).rejects.toBeInstanceOf(ProviderError);
    await flushEvents();
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 0, reserved: 0 });
    expect(await gateway.budgets.get('usd')).toMatchObject({ spent: 0, reserved: 0 });
    expect(await limitCounter(store, 'tpm', '*', MINUTE, clock.now())).toBe(0);
  });

  it('a failed call whose provider billed an answer counts that use', async () => {
    // The attempt middleware rejects the provider's answer after it was billed (10 + 5), and there is no retry.
    const p = answering([{ prompt_tokens: 10, completion_tokens: 5 }]);
    const { gateway, store, clock } = budgeted({ budgets: tokensAndUsd, limits: tpm, providers: { p }, extra: { middleware: [rejectFirstAnswer], routing: { retry: false } } });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 })).rejects.toBeInstanceOf(ProviderError);
    await flushEvents();
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 15, reserved: 0 });
    expect(await gateway.budgets.get('usd')).toMatchObject({ spent: (10 + 10) / 1024, reserved: 0 });
    expect(await limitCounter(store, 'tpm', '*', MINUTE, clock.now())).toBe(15);
  });

  it('a call retried after a billed answer counts both attempts', async () => {
    const p = answering([
      { prompt_tokens: 10, completion_tokens: 5 },
      { prompt_tokens: 10, completion_tokens: 6 },
    ]);
    const { gateway, store, clock } = budgeted({ budgets: tokensAndUsd, limits: tpm, providers: { p }, extra: { middleware: [rejectFirstAnswer], routing: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } } } });
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 });
    await flushEvents();
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 31, reserved: 0 });
    expect(await limitCounter(store, 'tpm', '*', MINUTE, clock.now())).toBe(31);
  });

  it('an aborted call releases its reservation', async () => {
    const p = scriptedAdapter({
      chat: (_request, call) => new Promise((_, reject) => call.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true })),
    });
    const { gateway, store, clock } = budgeted({ budgets: tokensAndUsd, limits: tpm, providers: { p } });
    const controller = new AbortController();
    const call = gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 }, { signal: controller.signal });
    await until(() => p.calls.length === 1, 'the call to reach the provider');
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 0, reserved: 20 });
    expect(await limitCounter(store, 'tpm', '*', MINUTE, clock.now())).toBe(20);
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(AbortError);
    await flushEvents();
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 0, reserved: 0 });
    expect(await gateway.budgets.get('usd')).toMatchObject({ spent: 0, reserved: 0 });
    expect(await limitCounter(store, 'tpm', '*', MINUTE, clock.now())).toBe(0);
  });
});

describe('audit mode', () => {
  it('never blocks, emits budget.exceeded with action audit, and still counts', async () => {
    const p = answering([
      { prompt_tokens: 10, completion_tokens: 10 },
      { prompt_tokens: 10, completion_tokens: 10 },
      { prompt_tokens: 10, completion_tokens: 10 },
    ]);
    const { gateway, events } = budgeted({ budgets: [{ name: 'tok', tokens: 30, period: 'day', mode: 'audit', alerts: [] }], providers: { p } });
    // Each reserves 7 + 13 = 20: the first fits (20 ≤ 30); the second finds 20 committed, the third 40.
    for (let i = 0; i < 3; i++) await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 });
    await flushEvents();
    expect(p.calls).toHaveLength(3);
    expect(ofType(events.events, 'budget.exceeded').map((event) => [event.action, event.committed])).toEqual([
      ['audit', 20],
      ['audit', 40],
    ]);
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 60, reserved: 0, remaining: 0 });
  });
});

describe('per-model budgets', () => {
  const fallback = { smart: { fallback: ['p/a', 'q/b'] } };
  const catalog = { 'p/a': { prices: { input: INPUT_USD, output: OUTPUT_USD } }, 'q/b': { prices: { input: INPUT_USD, output: OUTPUT_USD } } };

  it('are decided per target: a fallback whose first target has no budget left goes to the second', async () => {
    const p = answering([{ prompt_tokens: 10, completion_tokens: 10 }]);
    const q = answering([{ prompt_tokens: 10, completion_tokens: 10 }]);
    const { gateway, events } = budgeted({ budgets: [{ name: 'a-tokens', when: { models: 'p/a' }, tokens: 30, period: 'day' }], providers: { p, q }, models: fallback, catalog });
    await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 13 });
    expect(await gateway.budgets.get('a-tokens')).toMatchObject({ spent: 20, reserved: 0 });
    // 20 spent + 20 reserved > 30: p/a is skipped, q/b serves, and its use is not p/a's.
    const { meta } = await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 13 }).withMeta();
    expect(meta).toMatchObject({ provider: 'q', model: 'b' });
    expect([p.calls.length, q.calls.length]).toEqual([1, 1]);
    await flushEvents();
    expect(await gateway.budgets.get('a-tokens')).toMatchObject({ spent: 20, reserved: 0 });
    expect(ofType(events.events, 'budget.exceeded')).toEqual([expect.objectContaining({ rule: 'a-tokens', action: 'block', committed: 20 })]);
    await expect(gateway.chat.completions.create({ model: 'p/a', messages, max_tokens: 13 })).rejects.toBeInstanceOf(BudgetExceededError);
  });

  it("by: 'model' keeps a USD budget per target, priced at that target", async () => {
    const p = answering([{ prompt_tokens: 5, completion_tokens: 3 }]);
    const q = answering([{ prompt_tokens: 5, completion_tokens: 3 }]);
    // Each call reserves 7 × 2^-10 + 9 × 2^-9 = 25/1024 on the target it is sent to; $30/1024 holds one.
    const { gateway } = budgeted({ budgets: [{ name: 'per-model', by: 'model', usd: 30 / 1024, period: 'day' }], providers: { p, q }, models: fallback, catalog });
    await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 9 });
    await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 9 });
    expect([p.calls.length, q.calls.length]).toEqual([1, 1]);
    await flushEvents();
    expect(await gateway.budgets.get('per-model', 'p/a')).toMatchObject({ spent: 11 / 1024, reserved: 0 });
    expect(await gateway.budgets.get('per-model', 'q/b')).toMatchObject({ spent: 11 / 1024, reserved: 0 });
    await expect(gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 9 })).rejects.toMatchObject({ name: 'BudgetExceededError', rule: 'per-model' });
  });

  it('a target that failed is charged only what its own attempts used', async () => {
    const p = scriptedAdapter({
      chat: () => {
        throw new ProviderError('down', { provider: 'p', model: 'a', retryable: true, status: 503 });
      },
    });
    const q = answering([{ prompt_tokens: 10, completion_tokens: 10 }]);
    const { gateway } = budgeted({
      budgets: [
        { name: 'a-tokens', when: { models: 'p/a' }, tokens: 1000, period: 'day' },
        { name: 'b-tokens', when: { models: 'q/b' }, tokens: 1000, period: 'day' },
      ],
      providers: { p, q },
      models: fallback,
      catalog,
      extra: { routing: { retry: false } },
    });
    await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 13 });
    await flushEvents();
    expect(await gateway.budgets.get('a-tokens')).toMatchObject({ spent: 0, reserved: 0 });
    expect(await gateway.budgets.get('b-tokens')).toMatchObject({ spent: 20, reserved: 0 });
  });
});

describe('per-model budgets on a route that names a target twice', () => {
  it('reserve once for the target and settle its attempts once', async () => {
    let calls = 0;
    const p = scriptedAdapter({
      chat: () => {
        if (calls++ === 0) throw new ProviderError('down', { provider: 'p', model: 'a', retryable: true, status: 503 });
        return completionOf('ok', { prompt_tokens: 10, completion_tokens: 10 });
      },
    });
    const { gateway } = budgeted({
      budgets: [{ name: 'a-tokens', when: { models: 'p/a' }, tokens: 1000, period: 'day' }],
      providers: { p },
      models: { twice: { fallback: ['p/a', { target: 'p/a', retry: false }] } },
      extra: { routing: { retry: false } },
    });
    const { meta } = await gateway.chat.completions.create({ model: 'twice', messages, max_tokens: 13 }).withMeta();
    expect(meta.attempts).toBe(2);
    await flushEvents();
    // The failed attempt used nothing, the second 20.
    expect(await gateway.budgets.get('a-tokens')).toMatchObject({ spent: 20, reserved: 0 });
  });
});

describe('downgrade', () => {
  it('sends the call to the cheap route, emits budget.exceeded with action downgrade, and counts the spend on the exhausted budget', async () => {
    const dear = answering([{ prompt_tokens: 5, completion_tokens: 3 }]);
    const low = answering([{ prompt_tokens: 5, completion_tokens: 3 }]);
    const { gateway, events } = budgeted({
      // smart: 7 × 2^-8 + 9 × 2^-7 = 25/256 reserved, 5/256 + 6/256 = 11/256 spent; cheap: 11/4096 spent.
      budgets: [{ name: 'smart-usd', when: { routes: 'smart' }, usd: 30 / 256, period: 'day', onExhausted: { downgrade: 'cheap' } }],
      providers: { dear, low },
      models: { smart: 'dear/big', cheap: 'low/small' },
      catalog: { 'dear/big': { prices: { input: 2 ** -8, output: 2 ** -7 } }, 'low/small': { prices: { input: 2 ** -12, output: 2 ** -11 } } },
    });
    await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 9 });
    expect(await gateway.budgets.get('smart-usd')).toMatchObject({ spent: 11 / 256, reserved: 0 });
    // 11/256 + 25/256 > 30/256: downgraded.
    const { meta } = await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 9 }).withMeta();
    expect(meta).toMatchObject({ provider: 'low', model: 'small' });
    expect([dear.calls.length, low.calls.length]).toEqual([1, 1]);
    await flushEvents();
    expect(ofType(events.events, 'budget.exceeded')).toEqual([expect.objectContaining({ rule: 'smart-usd', action: 'downgrade', downgradeTo: 'cheap', unit: 'usd', committed: 11 / 256, limit: 30 / 256 })]);
    expect(await gateway.budgets.get('smart-usd')).toMatchObject({ spent: 11 / 256 + 11 / 4096, reserved: 0 });
  });

  it("spending of downgraded calls passes the exhausted budget's alert thresholds too", async () => {
    const dear = answering([{ prompt_tokens: 45, completion_tokens: 50 }]);
    const low = answering([{ prompt_tokens: 5, completion_tokens: 5 }]);
    const { gateway, events } = budgeted({
      budgets: [{ name: 'smart-tok', tokens: 100, period: 'day', alerts: [0.5, 1], onExhausted: { downgrade: 'cheap' } }],
      providers: { dear, low },
      models: { smart: 'dear/big', cheap: 'low/small' },
    });
    // Reserves 7 + 3 = 10, spends 95: past 0.5, short of 1.
    await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 3 });
    await flushEvents();
    expect(ofType(events.events, 'budget.threshold').map((event) => [event.threshold, event.spent])).toEqual([[0.5, 95]]);
    // 95 + 10 > 100: downgraded; its 10 tokens take the budget to 105, past 1.
    await gateway.chat.completions.create({ model: 'smart', messages, max_tokens: 3 });
    await flushEvents();
    expect(low.calls).toHaveLength(1);
    expect(await gateway.budgets.get('smart-tok')).toMatchObject({ spent: 105, reserved: 0 });
    expect(ofType(events.events, 'budget.threshold').map((event) => [event.threshold, event.spent])).toEqual([
      [0.5, 95],
      [1, 105],
    ]);
  });
});

describe('alerts and periods', () => {
  it('budget.threshold fires once per threshold per period; a new day in the time zone starts over', async () => {
    const p = answering([
      { prompt_tokens: 20, completion_tokens: 10 }, // 30
      { prompt_tokens: 20, completion_tokens: 5 }, // 55: passes 0.5
      { prompt_tokens: 5, completion_tokens: 5 }, // 65
      { prompt_tokens: 10, completion_tokens: 6 }, // 81: passes 0.8
      { prompt_tokens: 10, completion_tokens: 9 }, // 100: passes 1
      { prompt_tokens: 30, completion_tokens: 30 }, // the next day: 60, passes 0.5
    ]);
    // 23:30 UTC on 10 March is 08:30 on 11 March in Tokyo (UTC+9, no DST); that day ends at 15:00 UTC.
    const start = Date.UTC(2026, 2, 10, 23, 30);
    const tokyoDayEnd = Date.UTC(2026, 2, 11, 15);
    const { gateway, events, clock } = budgeted({ budgets: [{ name: 'tok', tokens: 100, period: 'day' }], providers: { p }, start, timeZone: 'Asia/Tokyo' });
    const thresholds = async () => {
      await flushEvents();
      return ofType(events.events, 'budget.threshold').map((event) => [event.threshold, event.spent, event.period]);
    };
    expect(await gateway.budgets.get('tok')).toMatchObject({ period: '2026-03-11', periodEndsAt: tokyoDayEnd, periodStartsAt: Date.UTC(2026, 2, 10, 15) });
    // Each call reserves 7 + 3 = 10.
    const call = () => gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 3 });
    await call();
    expect(await thresholds()).toEqual([]);
    await call();
    expect(await thresholds()).toEqual([[0.5, 55, '2026-03-11']]);
    await call();
    expect(await thresholds()).toEqual([[0.5, 55, '2026-03-11']]);
    await call();
    expect(await thresholds()).toEqual([
      [0.5, 55, '2026-03-11'],
      [0.8, 81, '2026-03-11'],
    ]);
    await call();
    const allThree = [
      [0.5, 55, '2026-03-11'],
      [0.8, 81, '2026-03-11'],
      [1, 100, '2026-03-11'],
    ];
    expect(await thresholds()).toEqual(allThree);
    expect(ofType(events.events, 'budget.threshold')[2]).toMatchObject({ rule: 'tok', key: '*', unit: 'tokens', limit: 100 });
    // Spent: refused, and no alert again.
    await expect(call()).rejects.toMatchObject({ name: 'BudgetExceededError', rule: 'tok', committed: 100, periodEndsAt: tokyoDayEnd });
    // Midnight UTC passes; in Tokyo it is still 11 March.
    clock.set(Date.UTC(2026, 2, 11, 0, 30));
    await expect(call()).rejects.toBeInstanceOf(BudgetExceededError);
    clock.set(tokyoDayEnd - 1);
    await expect(call()).rejects.toBeInstanceOf(BudgetExceededError);
    expect(await thresholds()).toEqual(allThree);

    clock.set(tokyoDayEnd);
    expect(await gateway.budgets.get('tok')).toMatchObject({ period: '2026-03-12', spent: 0, reserved: 0, remaining: 100 });
    await call();
    expect(await thresholds()).toEqual([...allThree, [0.5, 60, '2026-03-12']]);
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 60, reserved: 0 });
  });

  it('alerts read the budget when a token limit settles in the same call', async () => {
    const p = answering([{ prompt_tokens: 30, completion_tokens: 30 }]);
    const { gateway, events } = budgeted({ budgets: [{ name: 'tok', tokens: 100, period: 'day', alerts: [0.5] }], limits: tpm, providers: { p } });
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 3 });
    await flushEvents();
    expect(ofType(events.events, 'budget.threshold').map((event) => [event.rule, event.threshold, event.spent])).toEqual([['tok', 0.5, 60]]);
  });
});

describe('the cache', () => {
  it('a cache hit spends nothing', async () => {
    const p = answering([{ prompt_tokens: 5, completion_tokens: 3 }]);
    const { gateway } = budgeted({ budgets: tokensAndUsd, providers: { p }, extra: { cache: { exact: {} } } });
    await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 });
    await flushEvents();
    const after = { tok: await gateway.budgets.get('tok'), usd: await gateway.budgets.get('usd') };
    expect(after.tok).toMatchObject({ spent: 8, reserved: 0 });
    expect(after.usd).toMatchObject({ spent: (5 + 6) / 1024, reserved: 0 });
    const hit = await gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 13 }).withMeta();
    expect(hit.meta.served).toBe('middleware');
    expect(p.calls).toHaveLength(1);
    await flushEvents();
    expect(await gateway.budgets.get('tok')).toMatchObject({ spent: 8, reserved: 0 });
    expect(await gateway.budgets.get('usd')).toMatchObject({ spent: (5 + 6) / 1024, reserved: 0 });
  });
});
