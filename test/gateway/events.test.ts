import { createGateway, type ChatCompletionChunk, type EventListener, type GatewayEvent, type RequestEndEvent } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it, vi } from 'vitest';
import { collectEvents, flushEvents, manualClock } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

describe('events', () => {
  it('emits start, attempt end and one terminal event with normalised usage and latency', async () => {
    const clock = manualClock();
    const events = collectEvents();
    const gateway = createGateway({
      providers: {
        p: scriptedAdapter({
          chat: () => {
            clock.advance(120);
            const completion = completionOf('ok', { prompt_tokens: 100, completion_tokens: 30 });
            completion.usage = {
              ...completion.usage!,
              prompt_tokens_details: { cached_tokens: 40, cache_write_tokens: 10 },
              completion_tokens_details: { reasoning_tokens: 12 },
            };
            return completion;
          },
        }),
      },
      models: { fast: 'p/m' },
      onEvent: events.onEvent,
      clock,
    });
    const principal = { id: 'user-1', teams: ['search'] };
    await gateway.chat.completions.create({ model: 'fast', messages }, { principal, metadata: { feature: 'chat' }, tags: ['beta'] });
    await flushEvents();
    expect(events.events.map((e) => e.type)).toEqual(['request.start', 'attempt.end', 'request.end']);
    const [start, attempt, end] = events.events;
    expect(start).toMatchObject({ route: 'fast', operation: 'chat', stream: false, principal, metadata: { feature: 'chat' }, tags: ['beta'] });
    expect(attempt).toMatchObject({ attempt: 1, provider: 'p', model: 'm', outcome: 'success', latencyMs: 120 });
    expect(end).toMatchObject({
      outcome: 'success',
      provider: 'p',
      model: 'm',
      attempts: 1,
      latencyMs: 120,
      timeToFirstChunkMs: undefined,
      principal,
      usage: { inputTokens: 100, outputTokens: 30, totalTokens: 130, cachedInputTokens: 40, cacheWriteInputTokens: 10, cacheWrite1hInputTokens: 0, reasoningTokens: 12 },
    });
    expect(new Set(events.events.map((e) => e.requestId)).size).toBe(1);
  });

  it('reports time to first chunk for streams', async () => {
    const clock = manualClock();
    const events = collectEvents();
    async function* slow(): AsyncGenerator<ChatCompletionChunk> {
      clock.advance(50);
      for (const chunk of chunksOf(['a', 'b'])) {
        yield chunk;
        clock.advance(10);
      }
    }
    const gateway = createGateway({ providers: { p: scriptedAdapter({ stream: slow }) }, onEvent: events.onEvent, clock });
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true });
    for await (const _ of stream) {
      // consume
    }
    await flushEvents();
    expect(events.ends()[0]).toMatchObject({ outcome: 'success', timeToFirstChunkMs: 50, latencyMs: 90, stream: true });
  });

  it('keeps the call working when a listener throws or rejects, and reports it', async () => {
    const onEventError = vi.fn();
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) },
      onEvent: () => {
        throw new Error('listener bug');
      },
      onEventError,
    });
    gateway.on('request.end', async () => {
      throw new Error('async listener bug');
    });
    const completion = await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(completion.choices[0]?.message.content).toBe('ok');
    await flushEvents();
    expect(onEventError.mock.calls.map(([error]) => (error as Error).message)).toEqual(
      expect.arrayContaining(['listener bug', 'async listener bug']),
    );
  });

  it('takes listeners that return anything; a rejecting thenable is reported like a rejecting promise', async () => {
    const onEventError = vi.fn();
    const usages: unknown[] = [];
    // The README's first example: `&&` makes it return `false | void`, which any listener may.
    const logUsage: EventListener = (event) => event.type === 'request.end' && usages.push(event.usage);
    const thenable = { then: (_resolve: unknown, reject: (reason: unknown) => void) => reject(new Error('thenable rejected')) };
    const gateway = createGateway({ providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) }, onEvent: logUsage, onEventError });
    gateway.on('request.end', () => 42);
    gateway.on('request.end', () => thenable);
    gateway.on('attempt.end', (event) => event.outcome === 'success' || Promise.reject(new Error('never')));
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await flushEvents();
    expect(usages).toEqual([expect.objectContaining({ totalTokens: 5 })]);
    expect(onEventError.mock.calls.map(([error]) => (error as Error).message)).toEqual(['thenable rejected']);
  });

  it('delivers the end of a call in flight across reload() to the new config listener and to on() listeners', async () => {
    let release: () => void = () => undefined;
    const slow = scriptedAdapter({ chat: () => new Promise((resolve) => (release = () => resolve(completionOf('old')))) });
    const seen: string[] = [];
    const tagged = (who: string) => (event: GatewayEvent) => void seen.push(`${who}:${event.type}`);
    const gateway = createGateway({ providers: { p: slow }, onEvent: tagged('old-config') });
    gateway.on('request.end', tagged('on'));
    const inFlight = gateway.chat.completions.create({ model: 'p/m', messages });
    await flushEvents();
    gateway.reload({ providers: { p: scriptedAdapter({ chat: () => completionOf('new') }) }, onEvent: tagged('new-config') });
    release();
    await inFlight;
    await flushEvents();
    // The old config's listener saw the call start and nothing after the reload; its end went to the new one.
    expect(seen).toEqual(['old-config:request.start', 'new-config:attempt.end', 'on:request.end', 'new-config:request.end']);
  });

  it('subscribes by type with gateway.on and unsubscribes', async () => {
    const gateway = createGateway({ providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) } });
    const ends: RequestEndEvent[] = [];
    const off = gateway.on('request.end', (event) => void ends.push(event));
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await flushEvents();
    off();
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await flushEvents();
    expect(ends).toHaveLength(1);
    expect(ends[0]?.usage?.totalTokens).toBe(5);
  });

  it('reports a failed attempt and a failed request with the error, once each', async () => {
    const events = collectEvents();
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => Promise.reject(new Error('adapter bug with secret prompt text')) }) },
      onEvent: events.onEvent,
    });
    await expect(gateway.chat.completions.create({ model: 'p/m', messages })).rejects.toThrow('adapter bug');
    await flushEvents();
    const attempt = events.events.find((e) => e.type === 'attempt.end');
    expect(attempt).toMatchObject({ outcome: 'error', error: { code: 'internal_error', name: 'Error' } });
    expect(events.ends()).toHaveLength(1);
    expect(events.ends()[0]).toMatchObject({ outcome: 'error', attempts: 1 });
    // A foreign error's message may hold anything, so events carry only its name.
    expect(JSON.stringify(events.events)).not.toContain('secret prompt text');
  });
});
