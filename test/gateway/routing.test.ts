import {
  ProviderError,
  TimeoutError,
  UnavailableError,
  createGateway,
  type ChatCompletionChunk,
  type GatewayConfig,
  type GatewayEvent,
} from '@switchyard/core';
import { type CallContext } from '@switchyard/core/adapter';
import { chunksOf, completionOf, scriptedAdapter, type ScriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents, manualClock } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];
const fail = (status: number, extra: Partial<ConstructorParameters<typeof ProviderError>[1]> = {}) =>
  new ProviderError(`failed with ${status}`, { provider: 'x', model: 'm', status, retryable: status === 429 || status >= 500, ...extra });

/** An adapter that plays a script of outcomes, one per call, and then keeps answering. */
function scripted(name: string, outcomes: Array<Error | string>) {
  let call = 0;
  return scriptedAdapter({
    provider: name,
    chat: () => {
      const outcome = outcomes[call++] ?? 'ok';
      if (outcome instanceof Error) throw outcome;
      return completionOf(`${name}:${outcome}`);
    },
  });
}

const noJitter = { minDelayMs: 0, maxDelayMs: 0 };
const gatewayWith = (providers: Record<string, ScriptedAdapter>, extra: Partial<GatewayConfig> = {}) => {
  const events = collectEvents();
  const gateway = createGateway({ providers, onEvent: events.onEvent, ...extra, routing: { retry: noJitter, random: () => 0, ...extra.routing } });
  return { gateway, events };
};

const content = (completion: { choices: Array<{ message: { content: string | null } }> }) => completion.choices[0]?.message.content;
const ofType = <T extends GatewayEvent['type']>(events: GatewayEvent[], type: T) => events.filter((event) => event.type === type) as Array<Extract<GatewayEvent, { type: T }>>;

describe('retries', () => {
  it('retries a retryable failure on the same target and succeeds', async () => {
    const a = scripted('a', [fail(503), fail(500)]);
    const { gateway, events } = gatewayWith({ a });
    const { data, meta } = await gateway.chat.completions.create({ model: 'a/m', messages }).withMeta();
    expect(content(data)).toBe('a:ok');
    expect(meta.attempts).toBe(3);
    await flushEvents();
    expect(ofType(events.events, 'attempt.retry').map((e) => [e.attempt, e.error.status])).toEqual([
      [1, 503],
      [2, 500],
    ]);
  });

  it('does not retry a bad request, and stops after the configured retries', async () => {
    const a = scripted('a', [fail(400)]);
    const { gateway } = gatewayWith({ a });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ status: 400, attempts: 1 });
    const b = scripted('b', [fail(500), fail(500), fail(500), fail(500)]);
    const limited = gatewayWith({ b }, { routing: { retry: { ...noJitter, retries: 1 } } }).gateway;
    await expect(limited.chat.completions.create({ model: 'b/m', messages })).rejects.toMatchObject({ status: 500, attempts: 2 });
    expect(b.calls).toHaveLength(2);
  });

  it('lets a call turn retries off or change them', async () => {
    const a = scripted('a', [fail(500), fail(500)]);
    const { gateway } = gatewayWith({ a });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages }, { retry: false })).rejects.toMatchObject({ attempts: 1 });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages }, { retry: { retries: 0 } })).rejects.toMatchObject({ attempts: 1 });
  });

  it('takes retry settings from the route, a target inside it, or the call, in that order of precedence', async () => {
    const a = scripted('a', [fail(503), fail(503)]);
    const b = scripted('b', [fail(503), fail(503)]);
    const c = scripted('c', []);
    const { gateway } = gatewayWith(
      { a, b, c },
      { models: { r: { fallback: ['a/m', { target: 'b/m', retry: { ...noJitter, retries: 3 } }, 'c/m'], retry: false } } },
    );
    const { data, meta } = await gateway.chat.completions.create({ model: 'r', messages }).withMeta();
    expect(content(data)).toBe('b:ok');
    expect([a.calls.length, b.calls.length, c.calls.length]).toEqual([1, 3, 0]);
    expect(meta.attempts).toBe(4);
    const d = scripted('d', [fail(503)]);
    const once = gatewayWith({ d }, { models: { r: { fallback: ['d/m'], retry: false } } }).gateway;
    expect(content(await once.chat.completions.create({ model: 'r', messages }, { retry: { ...noJitter, retries: 1 } }))).toBe('d:ok');
  });

  it('honours Retry-After (capped) and reports the wait', async () => {
    const a = scripted('a', [fail(429, { retryAfterMs: 20 })]);
    const { gateway, events } = gatewayWith({ a });
    expect(content(await gateway.chat.completions.create({ model: 'a/m', messages }))).toBe('a:ok');
    await flushEvents();
    expect(ofType(events.events, 'attempt.retry')[0]?.delayMs).toBe(20);
    const b = scripted('b', [fail(429, { retryAfterMs: 60_000 })]);
    const capped = gatewayWith({ b }, { routing: { retry: { ...noJitter, maxRetryAfterMs: 1000 } } }).gateway;
    await expect(capped.chat.completions.create({ model: 'b/m', messages })).rejects.toMatchObject({ status: 429, attempts: 1 });
  });

  it('spends a per-deployment retry budget so an outage does not become a retry storm', async () => {
    const a = scripted('a', Array.from({ length: 20 }, () => fail(503)));
    const clock = manualClock();
    const { gateway } = gatewayWith({ a }, { clock, routing: { retryBudget: { capacity: 2, refillPerSecond: 0 }, breaker: false } });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ attempts: 3 });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ attempts: 1 });
    expect(a.calls).toHaveLength(4);
  });
});

describe('fallback', () => {
  it('moves to the next target on a retryable failure or a deployment 401, and says why', async () => {
    const a = scripted('a', [fail(401)]);
    const b = scripted('b', [fail(503), fail(503), fail(503)]);
    const c = scripted('c', []);
    const { gateway, events } = gatewayWith({ a, b, c }, { models: { smart: { fallback: ['a/m', 'b/m', 'c/m'] } } });
    const { data, meta } = await gateway.chat.completions.create({ model: 'smart', messages }).withMeta();
    expect(content(data)).toBe('c:ok');
    expect(meta).toMatchObject({ provider: 'c', attempts: 5 });
    await flushEvents();
    expect(ofType(events.events, 'request.fallback').map((e) => [e.from, e.to, e.error.status])).toEqual([
      ['a/m', 'b/m', 401],
      ['b/m', 'c/m', 503],
    ]);
  });

  it('does not fall back on a bad request, and takes a custom trigger', async () => {
    const a = scripted('a', [fail(400), fail(400)]);
    const b = scripted('b', []);
    const { gateway } = gatewayWith({ a, b }, { models: { smart: { fallback: ['a/m', 'b/m'] } } });
    await expect(gateway.chat.completions.create({ model: 'smart', messages })).rejects.toMatchObject({ status: 400 });
    expect(b.calls).toHaveLength(0);
    const custom = gatewayWith({ a, b }, { models: { smart: { fallback: ['a/m', 'b/m'] } }, routing: { fallbackOn: () => true } }).gateway;
    expect(content(await custom.chat.completions.create({ model: 'smart', messages }))).toBe('b:ok');
  });

  it('skips targets that cannot do what the request needs', async () => {
    const blind = scriptedAdapter({ provider: 'blind', capabilities: { images: false }, chat: () => completionOf('blind') });
    const seeing = scripted('seeing', []);
    const { gateway } = gatewayWith({ blind, seeing }, { models: { vision: { fallback: ['blind/m', 'seeing/m'] } } });
    const image = [{ role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url: 'data:image/png;base64,AA==' } }] }];
    expect(content(await gateway.chat.completions.create({ model: 'vision', messages: image }))).toBe('seeing:ok');
    expect(blind.calls).toHaveLength(0);
    expect(content(await gateway.chat.completions.create({ model: 'vision', messages }))).toBe('blind');
    await expect(gateway.chat.completions.create({ model: 'blind/m', messages: image })).rejects.toMatchObject({ name: 'UnsupportedFeatureError', feature: 'image input' });
  });

  it('merges per-target params into the request', async () => {
    const a = scripted('a', []);
    const { gateway } = gatewayWith({ a }, { models: { short: { target: 'a/m', params: { max_tokens: 5, temperature: 0 } } } });
    await gateway.chat.completions.create({ model: 'short', messages, temperature: 1 });
    expect(a.calls[0]?.params).toMatchObject({ model: 'm', max_tokens: 5, temperature: 0 });
  });

  it('load-balances by weight with the injected randomness, falling back within the group', async () => {
    const a = scripted('a', [fail(500), fail(500), fail(500)]);
    const b = scripted('b', []);
    const random = (() => {
      const values = [0.9, 0.5];
      let i = 0;
      return () => values[i++ % values.length] as number;
    })();
    const { gateway } = gatewayWith({ a, b }, { models: { bulk: { loadbalance: [{ target: 'b/m', weight: 1 }, { target: 'a/m', weight: 3 }] } }, routing: { random } });
    expect(content(await gateway.chat.completions.create({ model: 'bulk', messages }))).toBe('b:ok');
    expect(a.calls).toHaveLength(3);
  });
});

describe('circuit breaker', () => {
  it('cools a failing deployment down, fails fast saying when to retry, and recovers through a probe', async () => {
    const clock = manualClock();
    const a = scripted('a', [fail(503), fail(503), fail(503)]);
    const { gateway, events } = gatewayWith({ a }, { clock, routing: { retry: false, breaker: { minimumRequests: 3, failureRateThreshold: 0.5, cooldownMs: 10_000 } } });
    for (let i = 0; i < 3; i++) await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toBeInstanceOf(ProviderError);
    const cooling = await gateway.chat.completions.create({ model: 'a/m', messages }).catch((e: unknown) => e);
    expect(cooling).toBeInstanceOf(UnavailableError);
    expect(cooling).toMatchObject({ retryable: true, retryAfterMs: 10_000, attempts: 0 });
    expect((cooling as Error).message).toMatch(/a\/m is cooling down.*Try again in 10 s/);
    expect(a.calls).toHaveLength(3);
    clock.advance(10_000);
    expect(content(await gateway.chat.completions.create({ model: 'a/m', messages }))).toBe('a:ok');
    await flushEvents();
    expect(events.events.filter((e) => e.type.startsWith('deployment.')).map((e) => e.type)).toEqual(['deployment.cooldown', 'deployment.probing', 'deployment.recovered']);
  });

  it('skips a cooling target in favour of the next one', async () => {
    const clock = manualClock();
    const a = scripted('a', [fail(503), fail(503)]);
    const b = scripted('b', []);
    const { gateway } = gatewayWith({ a, b }, { clock, models: { smart: { fallback: ['a/m', 'b/m'] } }, routing: { retry: false, breaker: { minimumRequests: 2 } } });
    await gateway.chat.completions.create({ model: 'smart', messages });
    await gateway.chat.completions.create({ model: 'smart', messages });
    await gateway.chat.completions.create({ model: 'smart', messages });
    expect(a.calls).toHaveLength(2);
    expect(b.calls).toHaveLength(3);
  });
});

describe('timeouts', () => {
  /** Never answers; rejects the way an SDK does once the call's signal aborts. */
  const untilAborted = (call: CallContext) =>
    new Promise<never>((_, reject) =>
      call.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true }),
    );
  const hang = (name: string) =>
    scriptedAdapter({
      provider: name,
      chat: (_r, call: CallContext) => untilAborted(call),
      stream: (_r, call: CallContext) => ({
        [Symbol.asyncIterator]: () => ({ next: () => untilAborted(call) }),
      }),
    });

  it('times out one attempt and falls back, while the call goes on', async () => {
    const slow = hang('slow');
    const b = scripted('b', []);
    const { gateway } = gatewayWith({ slow, b }, { models: { smart: { fallback: ['slow/m', 'b/m'] } }, routing: { retry: false } });
    const { data, meta } = await gateway.chat.completions.create({ model: 'smart', messages }, { attemptTimeout: 20 }).withMeta();
    expect(content(data)).toBe('b:ok');
    expect(meta.attempts).toBe(2);
  });

  it('times out a stream that sends no first chunk, and one that goes idle', async () => {
    const { gateway } = gatewayWith({ slow: hang('slow') }, { routing: { retry: false } });
    await expect(gateway.chat.completions.create({ model: 'slow/m', messages, stream: true }, { firstChunkTimeout: 20 })).rejects.toBeInstanceOf(TimeoutError);
    const stalls = scriptedAdapter({
      provider: 'stalls',
      stream: (_r, call: CallContext) => ({
        async *[Symbol.asyncIterator]() {
          yield chunksOf(['a'])[0] as ChatCompletionChunk;
          await new Promise((_, reject) => call.signal?.addEventListener('abort', () => reject(call.signal?.reason), { once: true }));
        },
      }),
    });
    const idle = gatewayWith({ stalls }, { routing: { retry: false } }).gateway;
    const stream = await idle.chat.completions.create({ model: 'stalls/m', messages, stream: true }, { idleTimeout: 30 });
    const error = await (async () => {
      for await (const _ of stream) {
        // the second chunk never comes
      }
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 30 });
  });
});

describe('streams', () => {
  it('retries and falls back before the first chunk, never after it', async () => {
    let first = 0;
    const flaky = scriptedAdapter({
      provider: 'flaky',
      stream: async function* () {
        if (first++ === 0) throw fail(503);
        yield* chunksOf(['x', 'y']);
      },
    });
    const { gateway } = gatewayWith({ flaky });
    const chunks: ChatCompletionChunk[] = [];
    for await (const chunk of await gateway.chat.completions.create({ model: 'flaky/m', messages, stream: true })) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content).filter(Boolean)).toEqual(['x', 'y']);

    let calls = 0;
    const cut = scriptedAdapter({
      provider: 'cut',
      stream: async function* () {
        calls++;
        yield* chunksOf(['a']).slice(0, 1);
        throw fail(503);
      },
    });
    const other = scriptedAdapter({ provider: 'other', stream: async function* () { yield* chunksOf(['b']); } });
    const routed = gatewayWith({ cut, other }, { models: { s: { fallback: ['cut/m', 'other/m'] } } }).gateway;
    const error = await (async () => {
      for await (const _ of await routed.chat.completions.create({ model: 's', messages, stream: true })) {
        // read until the cut
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'StreamInterruptedError' });
    expect(calls).toBe(1);
    expect(other.calls).toHaveLength(0);
  });
});

describe('strategies', () => {
  /** Plays back random draws. */
  const draws = (...values: number[]) => {
    let i = 0;
    return () => values[i++ % values.length] as number;
  };
  const timed = (name: string, clock: ReturnType<typeof manualClock>, ms: number) =>
    scriptedAdapter({
      provider: name,
      chat: () => {
        clock.advance(ms);
        return completionOf(name);
      },
    });

  it('latency: of two entries drawn, the faster by decayed average wins; unmeasured ones get tried', async () => {
    const clock = manualClock();
    const slow = timed('slow', clock, 100);
    const fast = timed('fast', clock, 10);
    // Each successful call draws twice: the first pick and the second choice.
    const { gateway } = gatewayWith({ slow, fast }, { clock, models: { lb: { loadbalance: ['slow/m', 'fast/m'], strategy: 'latency' } }, routing: { random: draws(0.1, 0.1, 0.9, 0.9, 0.1, 0.9, 0.9, 0.1) } });
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('slow'); // both draws: slow
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('fast'); // both draws: fast
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('fast'); // slow vs fast: fast is faster
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('fast'); // fast vs slow: the same
  });

  it('least-busy: of two entries drawn, the one with fewer calls in flight wins', async () => {
    let release: () => void = () => undefined;
    const busy = scriptedAdapter({ provider: 'busy', chat: () => new Promise((resolve) => (release = () => resolve(completionOf('busy')))) });
    const idle = scripted('idle', []);
    const { gateway } = gatewayWith({ busy, idle }, { models: { lb: { loadbalance: ['busy/m', 'idle/m'], strategy: 'least-busy' } }, routing: { random: draws(0.1, 0.1, 0.1, 0.9) } });
    const pending = gateway.chat.completions.create({ model: 'lb', messages });
    await new Promise((resolve) => setImmediate(resolve));
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('idle:ok');
    release();
    expect(content(await pending)).toBe('busy');
  });

  it('cost: the cheapest first by the price table, then the next cheapest', async () => {
    const dear = scripted('dear', []);
    const cheap = scripted('cheap', [fail(503)]);
    const { gateway } = gatewayWith(
      { dear, cheap },
      {
        models: { lb: { loadbalance: ['dear/big', 'cheap/small'], strategy: 'cost' } },
        routing: { retry: false, prices: { 'dear/big': { input: 10, output: 30 }, small: { input: 0.1, output: 0.4 } } },
      },
    );
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('dear:ok'); // cheap failed, then dear
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('cheap:ok');
    expect(cheap.calls).toHaveLength(2);
  });

  it('cost: prices from the model catalog (USD per token), config entries over the deprecated routing.prices', async () => {
    const dear = scripted('dear', []);
    const cheap = scripted('cheap', []);
    const unpriced = scripted('unpriced', []);
    const { gateway } = gatewayWith(
      { dear, cheap, unpriced },
      {
        models: { lb: { loadbalance: ['unpriced/m', 'dear/big', 'cheap/small'], strategy: 'cost' } },
        // routing.prices says dear is cheaper; the catalog entry for 'dear/big' overrides it.
        routing: { retry: false, prices: { 'dear/big': { input: 0.01, output: 0.01 }, small: { input: 0.1, output: 0.4 } } },
        catalog: { 'dear/big': { prices: { input: 10e-6, output: 30e-6 } } },
      },
    );
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('cheap:ok');
    expect(dear.calls).toHaveLength(0);
    expect(unpriced.calls).toHaveLength(0);
  });

  it('cost: prices equal per million tokens stay equal per token, so the order keeps its tie', async () => {
    const a = scripted('a', []);
    const b = scripted('b', []);
    const { gateway } = gatewayWith(
      { a, b },
      { models: { lb: { loadbalance: ['a/m', 'b/m'], strategy: 'cost' } }, routing: { prices: { 'a/m': { input: 0.1, output: 0.1 }, 'b/m': { input: 0.15, output: 0.05 } } } },
    );
    // Per token, unrounded, a would cost 2.0000000000000002e-7 and b 2e-7.
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('a:ok');
  });

  it('sticky sessions: the same metadata value keeps its entry', async () => {
    const a = scripted('a', []);
    const b = scripted('b', []);
    const { gateway } = gatewayWith({ a, b }, { models: { lb: { loadbalance: ['a/m', 'b/m'], sticky: 'session' } }, routing: { random: draws(0.9, 0) } });
    const ask = (session: string) => gateway.chat.completions.create({ model: 'lb', messages }, { metadata: { session } }).then(content);
    expect(await ask('s1')).toBe('b:ok');
    expect(await ask('s1')).toBe('b:ok');
    expect(await ask('s2')).toBe('a:ok');
    expect(await ask('s1')).toBe('b:ok');
  });

  it('conditional rules on metadata (with wildcards), principal, teams and roles, with a default', async () => {
    const pro = scripted('pro', []);
    const research = scripted('research', []);
    const basic = scripted('basic', []);
    const { gateway } = gatewayWith(
      { pro, research, basic },
      {
        models: {
          chat: {
            rules: [
              { when: { metadata: { tier: 'pro*' } }, route: 'pro/m' },
              { when: { teams: ['research'], roles: ['admin', 'lead'] }, route: 'research/m' },
              { when: { principal: 'svc-*' }, route: 'pro/m' },
            ],
            default: 'basic/m',
          },
          strict: { rules: [{ when: { metadata: { tier: 'pro' } }, route: 'pro/m' }] },
        },
      },
    );
    const ask = (options: object) => gateway.chat.completions.create({ model: 'chat', messages }, options).then(content);
    expect(await ask({ metadata: { tier: 'pro-plus' } })).toBe('pro:ok');
    expect(await ask({ principal: { id: 'u1', teams: ['research'], roles: ['lead'] } })).toBe('research:ok');
    expect(await ask({ principal: { id: 'u2', teams: ['research'], roles: ['member'] } })).toBe('basic:ok');
    expect(await ask({ principal: { id: 'svc-batch' } })).toBe('pro:ok');
    expect(await ask({})).toBe('basic:ok');
    await expect(gateway.chat.completions.create({ model: 'strict', messages })).rejects.toMatchObject({ name: 'UnavailableError', message: expect.stringMatching(/no rule matched/) });
  });
});

describe('priority, context windows and waiting for a cooldown', () => {
  it('priority: a target slower per output token than the SLA is tried after the others', async () => {
    const clock = manualClock();
    const slow = scriptedAdapter({ provider: 'slow', chat: () => (clock.advance(500), completionOf('slow', { prompt_tokens: 1, completion_tokens: 10 })) });
    const quick = scriptedAdapter({ provider: 'quick', chat: () => (clock.advance(50), completionOf('quick', { prompt_tokens: 1, completion_tokens: 10 })) });
    const { gateway } = gatewayWith({ slow, quick }, { clock, models: { p: { priority: ['slow/m', 'quick/m'], maxMsPerOutputToken: 20 } } });
    expect(content(await gateway.chat.completions.create({ model: 'p', messages }))).toBe('slow'); // unmeasured: first in order
    expect(content(await gateway.chat.completions.create({ model: 'p', messages }))).toBe('quick'); // 50 ms/token > 20: demoted
  });

  it('a prompt too long for one model falls back only to a larger context window', async () => {
    const tooLong = () => new ProviderError('This model maximum context length is 8192 tokens', { provider: 'x', model: 'm', status: 400, retryable: false, providerCode: 'context_length_exceeded' });
    const small = scripted('small', [tooLong()]);
    const alsoSmall = scripted('alsosmall', []);
    const large = scripted('large', []);
    const { gateway } = gatewayWith(
      { small, alsoSmall, large },
      { models: { r: { fallback: ['small/m', 'alsoSmall/m', 'large/m'] } }, routing: { contextWindows: { 'small/m': 8192, 'alsoSmall/m': 8192, 'large/m': 200_000 } } },
    );
    expect(content(await gateway.chat.completions.create({ model: 'r', messages }))).toBe('large:ok');
    expect(alsoSmall.calls).toHaveLength(0);
  });

  it('context windows come from the model catalog: config entries, and built-in facts for known models', async () => {
    const tooLong = () => new ProviderError('prompt is too long', { provider: 'x', model: 'm', status: 400, retryable: false, providerCode: 'context_length_exceeded' });
    const small = scripted('small', [tooLong()]);
    const claude = scripted('claude', []);
    const custom = scripted('custom', []);
    const gemini = scripted('gemini', []);
    const { gateway } = gatewayWith(
      { small, claude, custom, gemini },
      {
        // Built in: gpt-4o 128k, claude-sonnet-4-5 200k (dated ids match their entries).
        models: { r: { fallback: ['small/gpt-4o-2024-08-06', 'claude/claude-sonnet-4-5-20250929', 'custom/m', 'gemini/gemini-2.5-flash'] } },
      },
    );
    expect(content(await gateway.chat.completions.create({ model: 'r', messages }))).toBe('claude:ok');
    const failing = scripted('failing', [tooLong()]);
    const second = gatewayWith(
      { failing, custom, gemini },
      {
        models: { r: { fallback: ['failing/claude-sonnet-4-5', 'custom/m', 'gemini/gemini-2.5-flash'] } },
        // The catalog entry wins over the deprecated routing.contextWindows.
        catalog: { 'custom/m': { contextWindow: 100_000 } },
        routing: { contextWindows: { 'custom/m': 10_000_000 } },
      },
    );
    expect(content(await second.gateway.chat.completions.create({ model: 'r', messages }))).toBe('gemini:ok');
    expect(custom.calls).toHaveLength(0);
  });

  it('waits for a cooling target when configured, instead of failing at once', async () => {
    const a = scripted('a', [fail(503)]);
    const { gateway } = gatewayWith({ a }, { routing: { retry: false, breaker: { minimumRequests: 1, cooldownMs: 20 }, waitForCooldownMs: 1000 } });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ status: 503 });
    expect(content(await gateway.chat.completions.create({ model: 'a/m', messages }))).toBe('a:ok');
  });

  it('keeps waiting when a timer wakes before the cooldown is over on the gateway clock', async () => {
    // A clock that runs at half the timers' speed: every wake-up comes "early", as one can under
    // load when the event loop's clock lags the monotonic one. The wait must go on, not fail.
    const start = performance.now();
    const slow = { now: () => start + (performance.now() - start) / 2 };
    const a = scripted('a', [fail(503)]);
    const { gateway } = gatewayWith({ a }, { clock: slow, routing: { retry: false, breaker: { minimumRequests: 1, cooldownMs: 20 }, waitForCooldownMs: 1000 } });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ status: 503 });
    expect(content(await gateway.chat.completions.create({ model: 'a/m', messages }))).toBe('a:ok');
  });
});

describe('review fixes', () => {
  it('idle timeout measures provider silence, not a slow reader', async () => {
    const eager = scriptedAdapter({
      provider: 'eager',
      stream: async function* () {
        yield* chunksOf(['a', 'b', 'c']);
      },
    });
    const { gateway } = gatewayWith({ eager }, { routing: { retry: false } });
    const stream = await gateway.chat.completions.create({ model: 'eager/m', messages, stream: true }, { idleTimeout: 20 });
    const seen: string[] = [];
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta.content ?? '');
      await new Promise((resolve) => setTimeout(resolve, 40));
    }
    expect(seen.filter(Boolean)).toEqual(['a', 'b', 'c']);
  });

  it('keeps retry defaults for options given as undefined', async () => {
    const a = scripted('a', Array.from({ length: 20 }, () => fail(503)));
    const { gateway } = gatewayWith({ a }, { routing: { retry: { retries: undefined, minDelayMs: 0, maxDelayMs: 0 }, breaker: false } });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ attempts: 3 });
  });

  it('keeps the weight of a route reference that also sets params', async () => {
    const a = scripted('a', []);
    const b = scripted('b', []);
    const { gateway } = gatewayWith(
      { a, b },
      { models: { fast: 'a/m', lb: { loadbalance: [{ target: 'fast', weight: 9, params: { temperature: 0 } }, 'b/m'] } }, routing: { random: () => 0.5 } },
    );
    expect(content(await gateway.chat.completions.create({ model: 'lb', messages }))).toBe('a:ok');
    expect(a.calls[0]?.params).toMatchObject({ temperature: 0 });
  });

  it('rejects a malformed signal as an invalid request, also when a timeout applies', async () => {
    const { gateway } = gatewayWith({ a: scripted('a', []) });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages }, { signal: {} as AbortSignal, timeout: 100 })).rejects.toMatchObject({
      name: 'InvalidRequestError',
      issues: [expect.objectContaining({ path: 'options.signal' })],
    });
  });
});

describe('half-open probes', () => {
  it('a call let in before the cooldown does not give away a running probe slot when it ends without a verdict', async () => {
    const clock = manualClock();
    const releases: Array<() => void> = [];
    let mode: 'fail' | 'hang' = 'hang';
    const flaky = scriptedAdapter({
      provider: 'flaky',
      chat: (_r, call: CallContext) => {
        if (mode === 'fail') return Promise.reject(fail(503));
        return new Promise((resolve, reject) => {
          releases.push(() => resolve(completionOf('probe')));
          call.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })), { once: true });
        });
      },
    });
    const { gateway } = gatewayWith({ flaky }, { clock, routing: { retry: false, breaker: { minimumRequests: 2, cooldownMs: 1000, halfOpenMaxProbes: 1 } } });
    // An early call, admitted while the breaker is closed, hangs.
    const early = new AbortController();
    const earlyCall = gateway.chat.completions.create({ model: 'flaky/m', messages }, { signal: early.signal }).catch((e: unknown) => e);
    // Two failures open the breaker; after the cooldown one probe is let in and hangs.
    mode = 'fail';
    await gateway.chat.completions.create({ model: 'flaky/m', messages }).catch(() => undefined);
    await gateway.chat.completions.create({ model: 'flaky/m', messages }).catch(() => undefined);
    clock.advance(1000);
    mode = 'hang';
    const probeCall = gateway.chat.completions.create({ model: 'flaky/m', messages });
    await new Promise((resolve) => setImmediate(resolve));
    // The early call is aborted: it held no probe slot, so the probe's slot stays taken.
    early.abort();
    expect(await earlyCall).toMatchObject({ name: 'AbortError' });
    await expect(gateway.chat.completions.create({ model: 'flaky/m', messages })).rejects.toMatchObject({ name: 'UnavailableError' });
    releases.at(-1)?.();
    expect(content(await probeCall)).toBe('probe');
  });
});
