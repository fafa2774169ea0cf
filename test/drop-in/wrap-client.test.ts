// gateway.wrap() itself: which clients it takes, and that a wrapped client is never wrapped again or built into an adapter.
import { ConfigError, createGateway, type RequestStartEvent } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';

const client = () => new OpenAI({ apiKey: 'sk-test', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 });

describe('gateway.wrap()', () => {
  it('refuses an object that is no SDK client it knows, saying which it takes', () => {
    const gateway = createGateway({ providers: { main: scriptedAdapter({}) } });
    expect(() => gateway.wrap({ chat: {} })).toThrow(/takes an `openai` client .* or an `@anthropic-ai\/sdk` client/);
  });

  it('refuses to wrap a client it already wrapped: every call would go through the gateway twice', () => {
    const real = client();
    const gateway = createGateway({ providers: { openai: openai({ client: real }) } });
    const wrapped = gateway.wrap(real);
    expect(() => gateway.wrap(wrapped)).toThrow(/already wrapped/);
    // A client a wrapped client's withOptions() made is wrapped too.
    expect(() => gateway.wrap(wrapped.withOptions({ timeout: 1000 }))).toThrow(/already wrapped/);
  });

  it('refuses a config whose adapter is built on a wrapped client, which would loop', () => {
    const real = client();
    const gateway = createGateway({ providers: { openai: openai({ client: real }) } });
    const wrapped = gateway.wrap(real);
    expect(() => createGateway({ providers: { loop: openai({ client: wrapped }) } })).toThrow(ConfigError);
    expect(() => gateway.reload({ providers: { loop: openai({ client: wrapped }) } })).toThrow(/providers\.loop.*gateway\.wrap\(\) returned/);
  });

  it('a scoped client wraps and fetches as its scope: its principal, tags and model list hold for every call', async () => {
    const starts: RequestStartEvent[] = [];
    const gateway = createGateway({
      providers: { main: scriptedAdapter({ chat: () => completionOf('hi') }) },
      models: { fast: 'main/m', other: 'main/n' },
      onEvent: (event) => void (event.type === 'request.start' && starts.push(event)),
    });
    const scoped = gateway.scope({ principal: { id: 'ana' }, tags: ['team-a'], models: ['fast'] });
    const wrapped = scoped.wrap(client());
    expect((await wrapped.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] })).choices[0]?.message.content).toBe('hi');
    const viaFetch = new OpenAI({ apiKey: 'unused', baseURL: 'http://switchyard.local/v1', fetch: scoped.fetch, maxRetries: 0 });
    await viaFetch.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'x' }] });
    expect(starts.map((event) => [event.principal?.id, event.tags])).toEqual([
      ['ana', ['team-a']],
      ['ana', ['team-a']],
    ]);
    // Outside the scope's models: refused as the SDK's permission error, by both doors.
    await expect(wrapped.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 403 });
    await expect(viaFetch.chat.completions.create({ model: 'other', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({ status: 403 });
    expect(scoped.fetch).toBe(scoped.fetch);
  });
});
