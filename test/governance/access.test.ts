import { AccessDeniedError, createGateway, type AccessDeniedEvent, type GatewayConfig } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents } from '../gateway/helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

function setup(governance: GatewayConfig['governance'], extra: Partial<GatewayConfig> = {}) {
  const a = scriptedAdapter({ chat: async () => completionOf('from a') });
  const b = scriptedAdapter({ chat: async () => completionOf('from b') });
  const events = collectEvents();
  const gateway = createGateway({
    providers: { a, b },
    models: { fast: 'a/mini', smart: { fallback: ['b/big', 'a/mini'] }, premium: 'b/big' },
    governance,
    onEvent: events.onEvent,
    ...extra,
  });
  const denials = async () => {
    await flushEvents();
    return events.events.filter((event): event is AccessDeniedEvent => event.type === 'access.denied');
  };
  return { a, b, gateway, denials };
}

describe('access rules', () => {
  it('a deny on a route refuses before anything is sent, naming the rule, with an event', async () => {
    const { a, b, gateway, denials } = setup({ access: { rules: [{ name: 'no-premium-for-interns', when: { roles: 'intern', routes: 'premium' }, effect: 'deny' }] } });
    const error = await gateway.chat.completions.create({ model: 'premium', messages }, { principal: { id: 'ann', roles: ['intern'] } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AccessDeniedError);
    expect(error).toMatchObject({ code: 'access_denied', rule: 'no-premium-for-interns', retryable: false });
    expect((error as Error).message).toContain("principal 'ann'");
    expect(a.calls.length + b.calls.length).toBe(0);
    expect(await denials()).toEqual([expect.objectContaining({ rule: 'no-premium-for-interns', route: 'premium' })]);
    // Another role is not matched by the rule.
    await expect(gateway.chat.completions.create({ model: 'premium', messages }, { principal: { id: 'bob', roles: ['staff'] } })).resolves.toBeDefined();
    expect(b.calls).toHaveLength(1);
  });

  it('default deny: only what an allow rule names gets through; a deny wins over an allow', async () => {
    const { a, b, gateway } = setup({
      access: {
        default: 'deny',
        rules: [
          { name: 'research-all', when: { teams: 'research' }, effect: 'allow' },
          { name: 'support-fast', when: { teams: 'support', routes: 'fast' }, effect: 'allow' },
          { name: 'no-contractors', when: { principals: 'contractor-*' }, effect: 'deny' },
        ],
      },
    });
    await expect(gateway.chat.completions.create({ model: 'premium', messages }, { principal: { id: 'r1', teams: ['research'] } })).resolves.toBeDefined();
    await expect(gateway.chat.completions.create({ model: 'fast', messages }, { principal: { id: 's1', teams: ['support'] } })).resolves.toBeDefined();
    await expect(gateway.chat.completions.create({ model: 'premium', messages }, { principal: { id: 's1', teams: ['support'] } })).rejects.toMatchObject({ rule: '(default deny)' });
    await expect(gateway.chat.completions.create({ model: 'fast', messages })).rejects.toMatchObject({ rule: '(default deny)' });
    await expect(gateway.chat.completions.create({ model: 'fast', messages }, { principal: { id: 'contractor-7', teams: ['research'] } })).rejects.toMatchObject({ rule: 'no-contractors' });
    expect(a.calls.length + b.calls.length).toBe(2);
  });

  it('a rule on models is decided per target: a denied target is skipped in a fallback, and one alone is refused', async () => {
    const { a, b, gateway, denials } = setup({ access: { rules: [{ name: 'no-big', when: { teams: 'growth', models: 'b/*' }, effect: 'deny' }] } });
    const growth = { principal: { id: 'g', teams: ['growth'] } };
    // smart = fallback [b/big, a/mini]: b/big is denied for growth, so a/mini serves.
    const { data, meta } = await gateway.chat.completions.create({ model: 'smart', messages }, growth).withMeta();
    expect(data.choices[0]?.message.content).toBe('from a');
    expect(meta.attempts).toBe(1);
    expect(b.calls).toHaveLength(0);
    // premium reaches only b/big: refused before anything is sent.
    await expect(gateway.chat.completions.create({ model: 'premium', messages }, growth)).rejects.toMatchObject({ name: 'AccessDeniedError', rule: 'no-big' });
    // and so is the direct target.
    await expect(gateway.chat.completions.create({ model: 'b/big', messages }, growth)).rejects.toMatchObject({ rule: 'no-big' });
    expect(b.calls).toHaveLength(0);
    expect(a.calls).toHaveLength(1);
    expect((await denials()).map((event) => event.rule)).toEqual(['no-big', 'no-big', 'no-big']);
  });

  it('default deny with an allow on models: only allowed targets are tried', async () => {
    const { a, b, gateway } = setup({ access: { default: 'deny', rules: [{ name: 'mini-only', when: { models: 'a/mini' }, effect: 'allow' }] } });
    const { data } = await gateway.chat.completions.create({ model: 'smart', messages }).withMeta();
    expect(data.choices[0]?.message.content).toBe('from a');
    expect(b.calls).toHaveLength(0);
    await expect(gateway.chat.completions.create({ model: 'premium', messages })).rejects.toMatchObject({ rule: '(default deny)' });
    expect(a.calls).toHaveLength(1);
  });

  it('runs before the exact cache: a denied caller never gets a cached answer', async () => {
    const { a, gateway } = setup(
      { access: { rules: [{ name: 'no-guests', when: { principals: 'guest' }, effect: 'deny' }] } },
      { cache: { exact: {} } },
    );
    await gateway.chat.completions.create({ model: 'fast', messages }, { principal: { id: 'member' } });
    const again = await gateway.chat.completions.create({ model: 'fast', messages }, { principal: { id: 'member' } }).withMeta();
    expect(again.meta.served).toBe('middleware');
    await expect(gateway.chat.completions.create({ model: 'fast', messages }, { principal: { id: 'guest' } })).rejects.toMatchObject({ rule: 'no-guests' });
    expect(a.calls).toHaveLength(1);
  });

  it('matches tags and metadata with globs and not', async () => {
    const { gateway } = setup({
      access: {
        rules: [
          { name: 'prod-needs-ticket', when: { tags: 'prod', metadata: { ticket: { not: 'JIRA-*' } } }, effect: 'deny' },
        ],
      },
    });
    await expect(gateway.chat.completions.create({ model: 'fast', messages }, { tags: ['prod'] })).rejects.toMatchObject({ rule: 'prod-needs-ticket' });
    await expect(gateway.chat.completions.create({ model: 'fast', messages }, { tags: ['prod'], metadata: { ticket: 'OPS-1' } })).rejects.toMatchObject({ rule: 'prod-needs-ticket' });
    await expect(gateway.chat.completions.create({ model: 'fast', messages }, { tags: ['prod'], metadata: { ticket: 'JIRA-12' } })).resolves.toBeDefined();
    await expect(gateway.chat.completions.create({ model: 'fast', messages }, { tags: ['dev'] })).resolves.toBeDefined();
  });

  it('a middleware that rewrites the model cannot route around a target rule', async () => {
    const { b, gateway } = setup(
      { access: { rules: [{ name: 'no-big', when: { models: 'b/*' }, effect: 'deny' }] } },
      { middleware: [{ name: 'upgrade', request: (ctx, next) => ((ctx.params = { ...ctx.params, model: 'premium' }), next()) }] },
    );
    await expect(gateway.chat.completions.create({ model: 'fast', messages })).rejects.toMatchObject({ rule: 'no-big' });
    expect(b.calls).toHaveLength(0);
  });
});
