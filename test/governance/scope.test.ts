import { AccessDeniedError, ConfigError, ScopeRevokedError, createGateway, InvalidRequestError, type RequestStartEvent } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents } from '../gateway/helpers.js';
import { gate } from '../cache/helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

function setup() {
  const a = scriptedAdapter({ chat: async () => completionOf('from a'), embed: async () => ({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [1, 0] }], model: 'e', usage: { prompt_tokens: 1, total_tokens: 1 } }) });
  const b = scriptedAdapter({ chat: async () => completionOf('from b') });
  const events = collectEvents();
  const gateway = createGateway({
    providers: { a, b },
    models: { fast: 'a/mini', smart: { fallback: ['b/big', 'a/mini'] }, sneaky: 'b/big', emb: 'a/embed' },
    onEvent: events.onEvent,
  });
  return { a, b, gateway, events };
}

describe('scoped clients', () => {
  it('reach only their models: by route, alias, fallback or direct target', async () => {
    const { a, b, gateway } = setup();
    const scope = gateway.scope({ principal: { id: 'app-1' }, models: ['a/mini'] });
    // fast is an alias of a listed target.
    await expect(scope.chat.completions.create({ model: 'fast', messages })).resolves.toBeDefined();
    // smart falls back from b/big (not listed) to a/mini: only a/mini is tried.
    const { data } = await scope.chat.completions.create({ model: 'smart', messages }).withMeta();
    expect(data.choices[0]?.message.content).toBe('from a');
    // sneaky is an alias of b/big; b/big itself is not listed either.
    await expect(scope.chat.completions.create({ model: 'sneaky', messages })).rejects.toBeInstanceOf(AccessDeniedError);
    await expect(scope.chat.completions.create({ model: 'b/big', messages })).rejects.toMatchObject({ rule: `scope:${scope.id}:models` });
    expect(b.calls).toHaveLength(0);
    expect(a.calls).toHaveLength(2);
  });

  it('a middleware that rewrites the model cannot take a scoped call outside the list', async () => {
    const b = scriptedAdapter({ chat: async () => completionOf('from b') });
    const a = scriptedAdapter({ chat: async () => completionOf('from a') });
    const gateway = createGateway({
      providers: { a, b },
      models: { chat: 'a/mini' },
      middleware: [{ name: 'upgrade', request: (ctx, next) => ((ctx.params = { ...ctx.params, model: 'b/big' }), next()) }],
    });
    const scope = gateway.scope({ models: ['chat'] });
    await expect(scope.chat.completions.create({ model: 'chat', messages })).rejects.toBeInstanceOf(AccessDeniedError);
    expect(b.calls).toHaveLength(0);
  });

  it('a listed route may use every target it names', async () => {
    const { b, gateway } = setup();
    const scope = gateway.scope({ models: ['smart'] });
    const { data } = await scope.chat.completions.create({ model: 'smart', messages }).withMeta();
    expect(data.choices[0]?.message.content).toBe('from b');
    expect(b.calls).toHaveLength(1);
    await expect(scope.chat.completions.create({ model: 'fast', messages })).rejects.toBeInstanceOf(AccessDeniedError);
  });

  it('calls as its principal with its tags and metadata; per-call options cannot change them', async () => {
    const { gateway, events } = setup();
    const scope = gateway.scope({ id: 'key-1', principal: { id: 'svc', teams: ['t1'] }, teams: ['t2'], tags: ['scoped'], metadata: { tenant: 'acme' } });
    await scope.chat.completions.create({ model: 'fast', messages }, { tags: ['extra'], metadata: { feature: 'x' } });
    await flushEvents();
    const start = events.events.find((event): event is RequestStartEvent => event.type === 'request.start');
    expect(start?.principal).toEqual({ id: 'svc', teams: ['t1', 't2'] });
    expect(start?.tags).toEqual(['scoped', 'extra']);
    expect(start?.metadata).toEqual({ feature: 'x', tenant: 'acme' });
    await expect(scope.chat.completions.create({ model: 'fast', messages }, { principal: { id: 'admin' } })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(scope.chat.completions.create({ model: 'fast', messages }, { metadata: { tenant: 'other' } })).rejects.toThrow(/options\.metadata\.tenant/);
  });

  it('revoke: later calls fail with ScopeRevokedError; a call in flight finishes', async () => {
    const held = gate();
    const slow = scriptedAdapter({ chat: async () => (await held.promise, completionOf('late')) });
    const gateway = createGateway({ providers: { s: slow } });
    const scope = gateway.scope({ id: 'tenant-9' });
    const inFlight = scope.chat.completions.create({ model: 's/m', messages });
    await new Promise((resolve) => setImmediate(resolve));
    scope.revoke();
    expect(scope.revoked).toBe(true);
    const refused = await scope.chat.completions.create({ model: 's/m', messages }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ScopeRevokedError);
    expect(refused).toMatchObject({ code: 'scope_revoked', scope: 'tenant-9' });
    held.open();
    await expect(inFlight).resolves.toMatchObject({ choices: [{ message: { content: 'late' } }] });
    expect(slow.calls).toHaveLength(1);
    // The gateway itself is unaffected.
    await expect(gateway.chat.completions.create({ model: 's/m', messages })).resolves.toBeDefined();
  });

  it('its own limits and budget count every call of the scope; embeddings go through it too', async () => {
    const { gateway } = setup();
    const scope = gateway.scope({ id: 'quota', limits: { requests: { perMinute: 2 } }, budget: { tokens: 1000, period: 'total' } });
    await scope.embeddings.create({ model: 'emb', input: 'x' });
    await scope.chat.completions.create({ model: 'fast', messages, max_tokens: 5 });
    await expect(scope.chat.completions.create({ model: 'fast', messages, max_tokens: 5 })).rejects.toMatchObject({ name: 'RateLimitedError', rule: 'scope:quota:limits' });
    // completionOf reports 3 + 2 tokens; the embedding 1.
    expect(await scope.budget()).toMatchObject({ spent: 6, reserved: 0, remaining: 994, limit: 1000, unit: 'tokens' });
    // Another scope with another id has its own counters.
    const other = gateway.scope({ id: 'other', limits: { requests: { perMinute: 2 } } });
    await expect(other.chat.completions.create({ model: 'fast', messages })).resolves.toBeDefined();
    expect(await other.budget()).toBeUndefined();
  });

  it('rejects invalid scope options at creation with every problem', () => {
    const { gateway } = setup();
    let error: unknown;
    try {
      gateway.scope({ principal: { id: '' }, models: [], metadata: { n: 1 as never }, limits: { requests: { perMinut: 3 } as never }, region: [] } as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const paths = (error as ConfigError).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['scope.principal.id', 'scope.models', 'scope.metadata.n', 'scope.region']));
  });
});
