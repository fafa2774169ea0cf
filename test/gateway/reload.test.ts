import { ConfigError, createGateway, type GatewayEvent } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { flushEvents } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];
const answering = (text: string) => scriptedAdapter({ provider: text, chat: () => completionOf(text) });

describe('gateway.reload', () => {
  it('new calls use the new config while a call in flight finishes on the old one', async () => {
    let release: () => void = () => undefined;
    const slowOld = scriptedAdapter({ provider: 'old', chat: () => new Promise((resolve) => (release = () => resolve(completionOf('old')))) });
    const gateway = createGateway({ providers: { p: slowOld }, models: { main: 'p/m' } });
    const inFlight = gateway.chat.completions.create({ model: 'main', messages });
    await new Promise((resolve) => setImmediate(resolve));
    gateway.reload({ providers: { q: answering('new') }, models: { main: 'q/m' } });
    expect((await gateway.chat.completions.create({ model: 'main', messages })).choices[0]?.message.content).toBe('new');
    release();
    expect((await inFlight).choices[0]?.message.content).toBe('old');
  });

  it('rejects a bad config with every problem and keeps the old one', async () => {
    const gateway = createGateway({ providers: { p: answering('old') }, models: { main: 'p/m' } });
    expect(() => gateway.reload({ providers: { p: answering('x') }, models: { main: 'nope/m', other: 'p' } })).toThrow(ConfigError);
    expect((await gateway.chat.completions.create({ model: 'main', messages })).choices[0]?.message.content).toBe('old');
  });

  it('keeps listeners added with on() and replaces the config listener', async () => {
    const first: string[] = [];
    const second: string[] = [];
    const kept: string[] = [];
    const gateway = createGateway({ providers: { p: answering('a') }, onEvent: (e: GatewayEvent) => void first.push(e.type) });
    gateway.on('request.end', (e) => void kept.push(e.requestId));
    gateway.reload({ providers: { p: answering('b') }, onEvent: (e: GatewayEvent) => void second.push(e.type) });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await flushEvents();
    expect(first).toEqual([]);
    expect(second).toContain('request.end');
    expect(kept).toHaveLength(1);
  });

  it('rotates credentials under steady load without dropping a request', async () => {
    // Each generation stands for a client with a new key; the old one keeps working for its calls.
    let generation = 0;
    const adapterFor = (n: number) =>
      scriptedAdapter({
        provider: `key-${n}`,
        chat: async () => {
          await new Promise((resolve) => setImmediate(resolve));
          return completionOf(`key-${n}`);
        },
      });
    const gateway = createGateway({ providers: { openai: adapterFor(0) }, models: { main: 'openai/gpt' } });
    let stop = false;
    const outcomes: string[] = [];
    const worker = async () => {
      while (!stop) {
        const completion = await gateway.chat.completions.create({ model: 'main', messages });
        outcomes.push(completion.choices[0]?.message.content ?? '');
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    for (let i = 0; i < 20; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gateway.reload({ providers: { openai: adapterFor(++generation) }, models: { main: 'openai/gpt' } });
    }
    stop = true;
    await Promise.all(workers);
    expect(outcomes.length).toBeGreaterThan(16);
    expect(outcomes.every((text) => text.startsWith('key-'))).toBe(true);
    expect(new Set(outcomes).size).toBeGreaterThan(2);
  });
});
