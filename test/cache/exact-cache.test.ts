import { ProviderError, createGateway, type ChatCompletion, type ChatCompletionChunk } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { cacheEvents, drain, flushEvents, manualNow, messages } from './helpers.js';

const answer = (content = 'Paris.') => completionOf(content, { prompt_tokens: 3, completion_tokens: 2 });

type Chunks = Iterable<ChatCompletionChunk> | AsyncIterable<ChatCompletionChunk>;

function cachedGateway(options: { chat?: () => ChatCompletion | Promise<ChatCompletion>; stream?: () => Chunks; now?: () => number; ttlMs?: number } = {}) {
  let calls = 0;
  const adapter = scriptedAdapter({
    chat: () => {
      calls++;
      return options.chat ? options.chat() : answer(`Paris (${calls}).`);
    },
    stream: async function* () {
      calls++;
      yield* options.stream ? options.stream() : chunksOf(['Par', 'is.']);
    },
    embed: (request) => {
      calls++;
      const input = request.params.input;
      const count = Array.isArray(input) ? input.length : 1;
      return { object: 'list', model: 'embed-model', data: Array.from({ length: count }, (_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, calls] })), usage: { prompt_tokens: 4, total_tokens: 4 } };
    },
  });
  const collected = cacheEvents();
  const gateway = createGateway({
    providers: { p: adapter },
    models: { fast: 'p/m' },
    catalog: { 'p/m': { prices: { input: 0.000001, output: 0.000002 } } },
    cache: { exact: { now: options.now, ttlMs: options.ttlMs } },
    onEvent: collected.onEvent,
  });
  return { gateway, adapter, calls: () => calls, ...collected };
}

describe('the exact cache', () => {
  it('answers an identical request from memory without a provider call, and bills nothing for it', async () => {
    const { gateway, calls } = cachedGateway();
    const first = await gateway.chat.completions.create({ model: 'fast', messages }).withMeta();
    const second = await gateway.chat.completions.create({ model: 'fast', messages }).withMeta();
    expect(calls()).toBe(1);
    expect(second.data).toEqual(first.data);
    expect(first.meta.served).toBe('provider');
    expect(second.meta).toMatchObject({ served: 'middleware', attempts: 0, totalUsage: undefined, outcome: 'success' });
    // The usage the answer reports, consumed by nobody this time.
    expect(second.meta.usage).toEqual(first.meta.usage);
    expect(second.meta.cost?.usd ?? 0).toBe(0);
  });

  it('is off unless configured: every call reaches the provider and gateway.cache does nothing', async () => {
    const adapter = scriptedAdapter({ chat: () => answer() });
    const gateway = createGateway({ providers: { p: adapter } });
    await gateway.chat.completions.create({ model: 'p/m', messages }, { cache: { ttlMs: 10 } });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(adapter.calls).toHaveLength(2);
    expect(gateway.cache.enabled).toBe(false);
    await expect(gateway.cache.invalidateNamespace('default')).resolves.toEqual({ memory: 0, store: 0 });
    await expect(gateway.cache.invalidate(gateway.cache.keyOf({ model: 'p/m', messages }))).resolves.toBe(false);
  });

  it('shares one entry between requests that differ only in key order, default values and fields that do not change the answer', async () => {
    const { gateway, calls } = cachedGateway();
    await gateway.chat.completions.create({ model: 'fast', messages, max_completion_tokens: 50 });
    await gateway.chat.completions.create({
      max_completion_tokens: 50,
      temperature: 1,
      top_p: 1,
      n: 1,
      presence_penalty: 0,
      frequency_penalty: 0,
      messages: [{ content: 'What is the capital of France?', role: 'user' }],
      user: 'someone-else',
      metadata: { run: '2' },
      store: false,
      service_tier: 'auto',
      model: 'fast',
    });
    expect(calls()).toBe(1);
    await gateway.chat.completions.create({ model: 'fast', messages, max_completion_tokens: 50, temperature: 0.2 });
    await gateway.chat.completions.create({ model: 'p/m', messages, max_completion_tokens: 50 });
    // Another temperature, and the same target by another name (the route is the key's), are other entries.
    expect(calls()).toBe(3);
  });

  it('hands every caller its own copy: changing a returned answer never changes the next hit', async () => {
    const { gateway } = cachedGateway();
    const miss = await gateway.chat.completions.create({ model: 'fast', messages });
    const original = structuredClone(miss);
    (miss.choices[0] as ChatCompletion['choices'][number]).message.content = 'changed by the first caller';
    const hit = await gateway.chat.completions.create({ model: 'fast', messages });
    expect(hit).toEqual(original);
    (hit.choices[0] as ChatCompletion['choices'][number]).message.content = 'changed by the second caller';
    if (hit.usage) hit.usage.prompt_tokens = 999;
    await expect(gateway.chat.completions.create({ model: 'fast', messages })).resolves.toEqual(original);
  });

  it('expires an entry ttlMs after it was stored, by its own clock, and a call may set its own ttlMs', async () => {
    const clock = manualNow();
    const { gateway, calls } = cachedGateway({ now: clock.now, ttlMs: 60_000 });
    await gateway.chat.completions.create({ model: 'fast', messages });
    clock.advance(59_999);
    await gateway.chat.completions.create({ model: 'fast', messages });
    expect(calls()).toBe(1);
    clock.advance(1);
    await gateway.chat.completions.create({ model: 'fast', messages }, { cache: { ttlMs: 1000 } });
    expect(calls()).toBe(2);
    clock.advance(999);
    await gateway.chat.completions.create({ model: 'fast', messages });
    expect(calls()).toBe(2);
    clock.advance(1);
    await gateway.chat.completions.create({ model: 'fast', messages });
    expect(calls()).toBe(3);
  });

  it('keeps memory within maxBytes and maxEntries, dropping the least recently used', async () => {
    const bounded = async (exact: { maxBytes?: number; maxEntries?: number }) => {
      const adapter = scriptedAdapter({ chat: () => answer() });
      const gateway = createGateway({ providers: { p: adapter }, cache: { exact } });
      const ask = (content: string) => gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content }] });
      const stored = cacheEvents();
      gateway.on('cache.store', stored.onEvent);
      await ask('a');
      await flushEvents();
      const bytes = stored.events[0]?.bytes ?? 0;
      return { adapter, ask, bytes };
    };
    // Room for one entry of this size, not two: 'b' pushes 'a' out.
    const probe = await bounded({});
    const byBytes = await bounded({ maxBytes: Math.floor(probe.bytes * 1.5) });
    await byBytes.ask('b');
    await byBytes.ask('b');
    await byBytes.ask('a');
    expect(byBytes.adapter.calls).toHaveLength(3);
    const byCount = await bounded({ maxEntries: 2 });
    await byCount.ask('b');
    await byCount.ask('a');
    await byCount.ask('c');
    await byCount.ask('a');
    await byCount.ask('b');
    expect(byCount.adapter.calls).toHaveLength(4);
  });

  it('caches embeddings, keyed by their own fields', async () => {
    const { gateway, calls } = cachedGateway();
    const first = await gateway.embeddings.create({ model: 'fast', input: ['a', 'b'] }).withMeta();
    const second = await gateway.embeddings.create({ model: 'fast', input: ['a', 'b'], encoding_format: 'float', user: 'u' }).withMeta();
    expect(calls()).toBe(1);
    expect(second.data).toEqual(first.data);
    expect(second.meta).toMatchObject({ served: 'middleware', totalUsage: undefined, usage: { inputTokens: 4 } });
    await gateway.embeddings.create({ model: 'fast', input: ['a', 'b'], dimensions: 2 });
    await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'a' }] });
    expect(calls()).toBe(3);
  });

  it('caches an answer with several choices (n > 1) and gives every choice back', async () => {
    const two: ChatCompletion = { ...answer(), choices: [0, 1].map((index) => ({ index, message: { role: 'assistant' as const, content: `answer ${index}`, refusal: null }, finish_reason: 'stop' as const, logprobs: null })) };
    const { gateway, calls } = cachedGateway({ chat: () => two });
    await gateway.chat.completions.create({ model: 'fast', messages, n: 2 });
    const hit = await gateway.chat.completions.create({ model: 'fast', messages, n: 2 });
    const replay = await drain(await gateway.chat.completions.create({ model: 'fast', messages, n: 2, stream: true }));
    expect(calls()).toBe(1);
    expect(hit).toEqual(two);
    expect(replay.flatMap((c) => c.choices.map((choice) => [choice.index, choice.delta.content]).filter(([, text]) => text))).toEqual([
      [0, 'answer 0'],
      [1, 'answer 1'],
    ]);
  });

  it('never caches a failure', async () => {
    let fail = true;
    const { gateway, calls, of } = cachedGateway({
      chat: () => {
        if (fail) throw new ProviderError('overloaded', { provider: 'p', model: 'm', status: 400, retryable: false });
        return answer();
      },
    });
    await expect(gateway.chat.completions.create({ model: 'fast', messages })).rejects.toBeInstanceOf(ProviderError);
    fail = false;
    await gateway.chat.completions.create({ model: 'fast', messages });
    expect(calls()).toBe(2);
    await flushEvents();
    expect(of('cache.store')).toHaveLength(1);
  });

  it('never caches an answer that was filtered', async () => {
    const filtered: ChatCompletion = { ...answer(), choices: [{ index: 0, message: { role: 'assistant', content: '', refusal: null }, finish_reason: 'content_filter', logprobs: null }] };
    const { gateway, calls } = cachedGateway({ chat: () => filtered });
    await gateway.chat.completions.create({ model: 'fast', messages });
    await gateway.chat.completions.create({ model: 'fast', messages });
    expect(calls()).toBe(2);
  });

  it('never caches a stream that was cut, left early, aborted, or ended without a finish reason', async () => {
    const pieces = ['Par', 'is', '.'];
    const cut = async function* () {
      yield* chunksOf(pieces).slice(0, 2);
      throw new ProviderError('connection reset', { provider: 'p', model: 'm', retryable: true });
    };
    const unfinished = async function* () {
      yield* chunksOf(pieces).filter((chunk) => !chunk.choices.some((choice) => choice.finish_reason));
    };
    let script: () => Chunks = cut;
    const { gateway, calls, of } = cachedGateway({ stream: () => script() });
    const stream = () => gateway.chat.completions.create({ model: 'fast', messages, stream: true });

    await expect(drain(await stream())).rejects.toThrow(/interrupted/);
    script = () => chunksOf(pieces);
    for await (const _ of await stream()) break;
    const controller = new AbortController();
    const aborted = await gateway.chat.completions.create({ model: 'fast', messages, stream: true }, { signal: controller.signal });
    await aborted.next();
    controller.abort();
    await expect(drain(aborted)).rejects.toThrow();
    script = unfinished;
    await drain(await stream());
    expect(calls()).toBe(4);
    await flushEvents();
    expect(of('cache.store')).toHaveLength(0);
    // A whole stream is stored, and then answers a completion call.
    script = () => chunksOf(pieces);
    await drain(await stream());
    await gateway.chat.completions.create({ model: 'fast', messages });
    expect(calls()).toBe(5);
  });

  it('noStore: a call looks up but does not store; noCache: a call skips the lookup and stores its fresh answer', async () => {
    const { gateway, calls } = cachedGateway();
    const create = (cache?: { noStore?: boolean; noCache?: boolean }) => gateway.chat.completions.create({ model: 'fast', messages }, { cache });
    await create({ noStore: true });
    await create({ noStore: true });
    expect(calls()).toBe(2);
    const stored = await create();
    expect(calls()).toBe(3);
    await expect(create({ noStore: true })).resolves.toEqual(stored);
    const fresh = await create({ noCache: true });
    expect(calls()).toBe(4);
    expect(fresh).not.toEqual(stored);
    await expect(create()).resolves.toEqual(fresh);
    expect(calls()).toBe(4);
  });

  it('invalidates one entry, or a whole namespace, from memory', async () => {
    const { gateway, calls } = cachedGateway();
    const ask = (content: string, namespace?: string) => gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content }] }, namespace ? { cache: { namespace } } : undefined);
    await ask('one');
    await ask('two');
    await ask('one', 'v1');
    await ask('two', 'v1');
    expect(calls()).toBe(4);
    await expect(gateway.cache.invalidate(gateway.cache.keyOf({ model: 'fast', messages: [{ role: 'user', content: 'one' }] }))).resolves.toBe(true);
    await expect(gateway.cache.invalidateNamespace('v1')).resolves.toEqual({ memory: 2, store: 0 });
    await ask('two');
    expect(calls()).toBe(4);
    await ask('one');
    await ask('one', 'v1');
    await ask('two', 'v1');
    expect(calls()).toBe(7);
  });

  it('keeps namespaces apart', async () => {
    const { gateway, calls } = cachedGateway();
    await gateway.chat.completions.create({ model: 'fast', messages }, { cache: { namespace: 'a' } });
    await gateway.chat.completions.create({ model: 'fast', messages }, { cache: { namespace: 'b' } });
    await gateway.chat.completions.create({ model: 'fast', messages }, { cache: { namespace: 'a' } });
    await gateway.chat.completions.create({ model: 'fast', messages });
    expect(calls()).toBe(3);
  });

  it('emits cache.miss, cache.store and cache.hit with the key, the usage, what the hit saved and its age, and no content', async () => {
    const clock = manualNow();
    const { gateway, events } = cachedGateway({ now: clock.now });
    const miss = await gateway.chat.completions.create({ model: 'fast', messages }).withMeta();
    clock.advance(1500);
    const hit = await gateway.chat.completions.create({ model: 'fast', messages }).withMeta();
    await flushEvents();
    const key = gateway.cache.keyOf({ model: 'fast', messages });
    const common = { cache: 'exact', namespace: 'default', key };
    expect(events).toEqual([
      expect.objectContaining({ type: 'cache.miss', requestId: miss.meta.requestId, coalesced: false, ...common }),
      expect.objectContaining({ type: 'cache.store', requestId: miss.meta.requestId, bytes: expect.any(Number), ...common }),
      expect.objectContaining({
        type: 'cache.hit',
        requestId: hit.meta.requestId,
        ...common,
        usage: miss.meta.usage,
        // 3 input tokens at $1 and 2 output tokens at $2 per million.
        savedUsd: expect.closeTo(0.000007, 12),
        ageMs: 1500,
        provider: 'p',
        model: 'm',
        tier: 'memory',
      }),
    ]);
    const text = JSON.stringify(events);
    expect(text).not.toContain('capital');
    expect(text).not.toContain('Paris');
  });
});
