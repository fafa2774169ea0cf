import { ProviderError, createGateway, type ChatCompletionCreateParamsNonStreaming, type GatewayEvent, type RequestEndEvent } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { cacheEvents, drain, flushEvents, manualNow, streamSummary } from './helpers.js';

const QUESTION = 'What is the capital of France?';
const NEAR = "What's the capital of France?";
const FAR = 'What is the capital of Germany?';

/** The embeddings model's answers, by input: the test decides every similarity. */
const VECTORS: Record<string, number[]> = {
  [QUESTION]: [1, 0, 0],
  // cos ≈ 0.99 with QUESTION
  [NEAR]: [0.99, 0.141, 0],
  // cos = 0.8 with QUESTION
  [FAR]: [0.8, 0.6, 0],
};

interface Setup {
  threshold?: number;
  when?: { routes?: string[]; principals?: string[]; maxTemperature?: number };
  now?: () => number;
  ttlMs?: number;
  exact?: boolean;
  chat?: () => ReturnType<typeof completionOf>;
}

function semanticGateway(setup: Setup = {}) {
  let answers = 0;
  const chat = scriptedAdapter({
    chat: () => {
      answers++;
      return setup.chat ? setup.chat() : completionOf(`Paris (${answers}).`);
    },
    stream: async function* () {
      answers++;
      yield* chunksOf(['Par', `is (${answers}).`]);
    },
  });
  const embedder = scriptedAdapter({
    embed: (request) => {
      const input = request.params.input;
      const text = typeof input === 'string' ? input : '';
      return { object: 'list', model: 'embed', data: [{ object: 'embedding', index: 0, embedding: VECTORS[text] ?? [0, 0, 1] }], usage: { prompt_tokens: 5, total_tokens: 5 } };
    },
  });
  const collected = cacheEvents();
  const all: GatewayEvent[] = [];
  const gateway = createGateway({
    providers: { p: chat, e: embedder },
    models: { fast: 'p/m', embed: 'e/embed' },
    catalog: { 'p/m': { prices: { input: 0.000001, output: 0.000002 } } },
    cache: {
      ...(setup.exact === true ? { exact: {} } : {}),
      semantic: { embeddings: { model: 'embed' }, threshold: setup.threshold, when: setup.when, now: setup.now, ttlMs: setup.ttlMs },
    },
    onEvent: (event) => {
      all.push(event);
      collected.onEvent(event);
    },
  });
  return { gateway, chat, embedder, answers: () => answers, all, ...collected };
}

const ask = (content: string, extra: Partial<ChatCompletionCreateParamsNonStreaming> = {}): ChatCompletionCreateParamsNonStreaming => ({
  model: 'fast',
  temperature: 0,
  messages: [{ role: 'user', content }],
  ...extra,
});

describe('the semantic cache', () => {
  it('answers a near-duplicate question above the threshold without a provider call', async () => {
    const { gateway, chat, embedder, of } = semanticGateway({ now: manualNow().now });
    const first = await gateway.chat.completions.create(ask(QUESTION)).withMeta();
    const second = await gateway.chat.completions.create(ask(NEAR)).withMeta();
    await flushEvents();
    expect(chat.calls).toHaveLength(1);
    expect(embedder.calls).toHaveLength(2);
    expect(second.data.choices[0]?.message.content).toBe('Paris (1).');
    expect(first.meta.served).toBe('provider');
    expect(second.meta).toMatchObject({ served: 'middleware', attempts: 0, outcome: 'success' });
    expect(second.meta.cost?.usd ?? 0).toBe(0);
    const [hit] = of('cache.hit');
    expect(hit).toMatchObject({ cache: 'semantic', namespace: 'default', provider: 'p', model: 'm', ageMs: 0 });
    expect(hit?.similarity).toBeCloseTo(0.99, 2);
    expect(hit?.usage).toMatchObject({ inputTokens: 3, outputTokens: 2 });
    expect(hit?.savedUsd).toBeCloseTo(3 * 0.000001 + 2 * 0.000002, 12);
    expect(of('cache.store')).toHaveLength(1);
    expect(of('cache.store')[0]?.cache).toBe('semantic');
  });

  it('misses below the threshold', async () => {
    const { gateway, chat, of } = semanticGateway();
    await gateway.chat.completions.create(ask(QUESTION));
    const other = await gateway.chat.completions.create(ask(FAR)).withMeta();
    await flushEvents();
    expect(chat.calls).toHaveLength(2);
    expect(other.meta.served).toBe('provider');
    expect(of('cache.hit')).toHaveLength(0);
    expect(of('cache.miss')).toHaveLength(2);
  });

  it('honours a lower threshold', async () => {
    const { gateway, chat } = semanticGateway({ threshold: 0.75 });
    await gateway.chat.completions.create(ask(QUESTION));
    await gateway.chat.completions.create(ask(FAR));
    expect(chat.calls).toHaveLength(1);
  });

  it.each<[string, Partial<ChatCompletionCreateParamsNonStreaming>]>([
    ['a system prompt', { messages: [{ role: 'system', content: 'Answer in French.' }, { role: 'user', content: NEAR }] }],
    ['a tool set', { tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object', properties: {} } } }] }],
    ['a response format', { response_format: { type: 'json_object' } }],
    ['a temperature', { temperature: 0.5 }],
    ['a model', { model: 'p/m' }],
  ])('never answers under another %s (the scope)', async (_what, extra) => {
    const { gateway, chat, of } = semanticGateway({ when: { maxTemperature: 1 } });
    await gateway.chat.completions.create(ask(QUESTION));
    await gateway.chat.completions.create(ask(NEAR, extra));
    await flushEvents();
    expect(chat.calls).toHaveLength(2);
    expect(of('cache.hit')).toHaveLength(0);
  });

  it('is used only by the requests the config allows: temperature, route, principal', async () => {
    const { gateway, chat, embedder } = semanticGateway({ when: { routes: ['fa*'], principals: ['team-a:*'] } });
    const principal = { id: 'team-a:alice' };
    // Unset temperature counts as 1: sampling, not allowed at the default maxTemperature 0.
    await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: QUESTION }] }, { principal });
    await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: QUESTION }] }, { principal });
    // Another route, and no principal or another one.
    await gateway.chat.completions.create(ask(QUESTION, { model: 'p/m' }), { principal });
    await gateway.chat.completions.create(ask(QUESTION));
    await gateway.chat.completions.create(ask(QUESTION), { principal: { id: 'team-b:bob' } });
    expect(embedder.calls).toHaveLength(0);
    expect(chat.calls).toHaveLength(5);
    // Allowed: the first stores, the second hits.
    await gateway.chat.completions.create(ask(QUESTION), { principal });
    await gateway.chat.completions.create(ask(NEAR), { principal: { id: 'team-a:carol' } });
    expect(embedder.calls).toHaveLength(2);
    expect(chat.calls).toHaveLength(6);
  });

  it('runs after the exact cache: an exact hit makes no embeddings call and no semantic lookup', async () => {
    const { gateway, embedder, chat, of } = semanticGateway({ exact: true });
    await gateway.chat.completions.create(ask(QUESTION));
    await gateway.chat.completions.create(ask(QUESTION));
    await flushEvents();
    expect(chat.calls).toHaveLength(1);
    expect(embedder.calls).toHaveLength(1);
    expect(of('cache.hit').map((event) => event.cache)).toEqual(['exact']);
    expect(of('cache.miss').filter((event) => event.cache === 'semantic')).toHaveLength(1);
  });

  it('makes the embedding a call of its own, with its own request.end and usage', async () => {
    const { gateway, all } = semanticGateway();
    await gateway.chat.completions.create(ask(QUESTION), { principal: { id: 'alice' } });
    await flushEvents();
    const ends = all.filter((event): event is RequestEndEvent => event.type === 'request.end');
    expect(ends.map((event) => event.operation).sort()).toEqual(['chat', 'embeddings']);
    const embedding = ends.find((event) => event.operation === 'embeddings');
    expect(embedding).toMatchObject({ route: 'embed', outcome: 'success', principal: { id: 'alice' } });
    expect(embedding?.usage).toMatchObject({ inputTokens: 5 });
  });

  it('replays the stored answer to a stream request', async () => {
    const { gateway, chat } = semanticGateway();
    await gateway.chat.completions.create(ask(QUESTION));
    const stream = await gateway.chat.completions.create({ ...ask(NEAR), stream: true }).withMeta();
    const summary = streamSummary(await drain(stream.data));
    expect(chat.calls).toHaveLength(1);
    expect(summary.content[0]).toBe('Paris (1).');
    expect(summary.finish[0]).toBe('stop');
    expect((await stream.meta.finished).served).toBe('middleware');
  });

  it('stores a stream read to its end, and answers a later request from it', async () => {
    const { gateway, chat } = semanticGateway();
    await drain(await gateway.chat.completions.create({ ...ask(QUESTION), stream: true }));
    const second = await gateway.chat.completions.create(ask(NEAR));
    expect(chat.calls).toHaveLength(1);
    expect(second.choices[0]?.message.content).toBe('Paris (1).');
  });

  it('does not store a stream the caller stopped reading', async () => {
    const { gateway, chat } = semanticGateway();
    const stream = await gateway.chat.completions.create({ ...ask(QUESTION), stream: true });
    for await (const _chunk of stream) break;
    await gateway.chat.completions.create(ask(NEAR));
    expect(chat.calls).toHaveLength(2);
  });

  it('lets entries expire after ttlMs (an injected now), and a call may set its own', async () => {
    const clock = manualNow();
    const { gateway, chat, of } = semanticGateway({ now: clock.now, ttlMs: 1000 });
    await gateway.chat.completions.create(ask(QUESTION));
    clock.advance(999);
    await gateway.chat.completions.create(ask(NEAR));
    await flushEvents();
    expect(chat.calls).toHaveLength(1);
    expect(of('cache.hit')[0]?.ageMs).toBe(999);
    clock.advance(1);
    await gateway.chat.completions.create(ask(NEAR));
    expect(chat.calls).toHaveLength(2);
    // A call's own ttlMs: this entry lives 50 ms.
    clock.advance(1000);
    await gateway.chat.completions.create(ask(QUESTION), { cache: { ttlMs: 50 } });
    expect(chat.calls).toHaveLength(3);
    clock.advance(49);
    await gateway.chat.completions.create(ask(NEAR));
    expect(chat.calls).toHaveLength(3);
    clock.advance(1);
    await gateway.chat.completions.create(ask(NEAR));
    expect(chat.calls).toHaveLength(4);
  });

  it('never stores an error or a content-filtered answer', async () => {
    let fail = true;
    const { gateway, chat } = semanticGateway({
      chat: () => {
        if (fail) throw new ProviderError('upstream broke', { provider: 'p', model: 'm', status: 400, retryable: false });
        return { ...completionOf('[filtered]'), choices: [{ index: 0, message: { role: 'assistant', content: '[filtered]', refusal: null }, finish_reason: 'content_filter', logprobs: null }] };
      },
    });
    await expect(gateway.chat.completions.create(ask(QUESTION))).rejects.toBeInstanceOf(ProviderError);
    fail = false;
    // Nothing was stored for the error: the same question reaches the provider again.
    await gateway.chat.completions.create(ask(QUESTION));
    expect(chat.calls).toHaveLength(2);
    // Nor for the filtered answer.
    await gateway.chat.completions.create(ask(NEAR));
    expect(chat.calls).toHaveLength(3);
  });

  it('applies per-call noCache and noStore', async () => {
    const { gateway, chat } = semanticGateway();
    await gateway.chat.completions.create(ask(QUESTION), { cache: { noStore: true } });
    await gateway.chat.completions.create(ask(NEAR));
    expect(chat.calls).toHaveLength(2);
    await gateway.chat.completions.create(ask(QUESTION), { cache: { noCache: true } });
    expect(chat.calls).toHaveLength(3);
  });

  it('compares only within a namespace', async () => {
    const { gateway, chat } = semanticGateway();
    await gateway.chat.completions.create(ask(QUESTION), { cache: { namespace: 'a' } });
    await gateway.chat.completions.create(ask(NEAR), { cache: { namespace: 'b' } });
    expect(chat.calls).toHaveLength(2);
    await gateway.chat.completions.create(ask(NEAR), { cache: { namespace: 'a' } });
    expect(chat.calls).toHaveLength(2);
  });

  it('goes on without the cache when the embeddings call fails', async () => {
    const chat = scriptedAdapter({ chat: () => completionOf('Paris.') });
    const embedder = scriptedAdapter({
      embed: () => {
        throw new ProviderError('embeddings down', { provider: 'e', model: 'embed', status: 400, retryable: false });
      },
    });
    const gateway = createGateway({ providers: { p: chat, e: embedder }, cache: { semantic: { embeddings: { model: 'e/embed' } } } });
    const answer = await gateway.chat.completions.create(ask(QUESTION, { model: 'p/m' }));
    expect(answer.choices[0]?.message.content).toBe('Paris.');
  });
});
