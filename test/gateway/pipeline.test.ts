import {
  createGateway,
  mapChunks,
  type ChatCompletionChunk,
  type Middleware,
} from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { releasedStream } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

async function drain(stream: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const out: ChatCompletionChunk[] = [];
  for await (const chunk of stream) out.push(chunk);
  return out;
}

async function* yieldAll(chunks: ChatCompletionChunk[]) {
  yield* chunks;
}

describe('the pipeline', () => {
  it('runs request hooks once per call and attempt hooks once per try, in order, for every operation', async () => {
    const log: string[] = [];
    const tracer: Middleware = {
      name: 'tracer',
      async request(ctx, next) {
        log.push(`request:${ctx.operation}:${ctx.params.model}`);
        return next();
      },
      async attempt(ctx, next) {
        log.push(`attempt:${ctx.attempt}:${ctx.provider}:${ctx.params.model}`);
        return next();
      },
    };
    const adapter = scriptedAdapter({
      chat: () => completionOf('ok'),
      stream: () => yieldAll(chunksOf(['a'])),
      embed: () => ({ object: 'list', data: [], model: 'e', usage: { prompt_tokens: 1, total_tokens: 1 } }),
    });
    const gateway = createGateway({ providers: { p: adapter }, models: { fast: 'p/m1' }, middleware: [tracer] });
    await gateway.chat.completions.create({ model: 'fast', messages });
    await drain(await gateway.chat.completions.create({ model: 'p/m2', messages, stream: true }));
    await gateway.embeddings.create({ model: 'p/e1', input: 'x' });
    expect(log).toEqual([
      'request:chat:fast',
      'attempt:1:p:m1',
      'request:chat:p/m2',
      'attempt:1:p:m2',
      'request:embeddings:p/e1',
      'attempt:1:p:e1',
    ]);
  });

  it('lets a middleware change the request before routing and the params before the provider call', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({
      providers: { p: adapter },
      models: { cheap: 'p/small' },
      middleware: [
        {
          name: 'downgrade',
          async request(ctx, next) {
            if (ctx.operation === 'chat') ctx.params = { ...ctx.params, model: 'cheap' };
            return next();
          },
          async attempt(ctx, next) {
            if (ctx.operation === 'chat') ctx.params = { ...ctx.params, temperature: 0 };
            return next();
          },
        },
      ],
    });
    const { meta } = await gateway.chat.completions.create({ model: 'p/large', messages }).withMeta();
    expect(meta.model).toBe('small');
    expect(adapter.calls[0]?.params).toMatchObject({ model: 'small', temperature: 0, messages });
  });

  it('passes fields the gateway does not interpret through to the adapter unchanged', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({ providers: { p: adapter } });
    const params = {
      model: 'p/m',
      messages,
      service_tier: 'flex' as const,
      prompt_cache_key: 'k1',
      seed: 7,
      metadata: { team: 'a' },
      user: 'u1',
      reasoning_effort: 'low' as const,
    };
    await gateway.chat.completions.create(params);
    expect(adapter.calls[0]?.params).toEqual({ ...params, model: 'm' });
  });

  it('lets a middleware change the result, or answer without the provider', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('from provider') });
    const gateway = createGateway({
      providers: { p: adapter },
      middleware: [
        {
          name: 'shout',
          async request(_ctx, next) {
            const result = await next();
            if (result.kind !== 'completion') return result;
            const choice = result.completion.choices[0];
            if (choice) choice.message.content = choice.message.content?.toUpperCase() ?? null;
            return result;
          },
        },
        {
          name: 'canned',
          async request(ctx, next) {
            return ctx.metadata.canned ? { kind: 'completion', completion: completionOf('canned') } : next();
          },
        },
      ],
    });
    const live = await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(live.choices[0]?.message.content).toBe('FROM PROVIDER');
    const canned = await gateway.chat.completions.create({ model: 'p/m', messages }, { metadata: { canned: 'yes' } });
    expect(canned.choices[0]?.message.content).toBe('CANNED');
    expect(adapter.calls).toHaveLength(1);
  });

  it('lets a middleware see and change each stream chunk, and see the end', async () => {
    const ends: string[] = [];
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ stream: () => yieldAll(chunksOf(['a', 'b', 'secret', 'c'])) }) },
      middleware: [
        {
          name: 'filter',
          async request(_ctx, next) {
            const result = await next();
            if (result.kind !== 'stream') return result;
            return {
              kind: 'stream',
              stream: mapChunks(result.stream, {
                chunk: (chunk) =>
                  chunk.choices[0]?.delta.content === 'secret'
                    ? undefined
                    : { ...chunk, choices: chunk.choices.map((c) => ({ ...c, delta: { ...c.delta, content: c.delta.content?.toUpperCase() } })) },
                end: (reason) => void ends.push(reason),
              }),
            };
          },
        },
      ],
    });
    const chunks = await drain(await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }));
    expect(chunks.map((c) => c.choices[0]?.delta.content).filter(Boolean)).toEqual(['A', 'B', 'C']);
    expect(ends).toEqual(['done']);
  });

  it('reports an adapter without embeddings as an unsupported feature', async () => {
    const gateway = createGateway({ providers: { p: scriptedAdapter({}) } });
    await expect(gateway.embeddings.create({ model: 'p/e', input: 'x' })).rejects.toMatchObject({
      name: 'UnsupportedFeatureError',
      feature: 'embeddings',
      provider: 'p',
    });
  });
});

describe('a stream a middleware drops', () => {
  it('is released when the request ends', async () => {
    const { stream, released } = releasedStream();
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ stream }) },
      routing: { retry: false },
      middleware: [
        {
          name: 'rejects-streams',
          async attempt(_ctx, next) {
            await next();
            throw new Error('policy: no streams');
          },
        },
      ],
    });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages, stream: true })).rejects.toThrow('policy: no streams');
    await new Promise((resolve) => setImmediate(resolve));
    expect(released()).toBe(true);
  });
});
