import { createGateway, createMemoryStore, type GatewayConfig } from '@switchyard/core';
import { scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { configError } from '../gateway/helpers.js';

const providers = { p: scriptedAdapter({}) };
const issuesOf = (governance: unknown, extra: Partial<GatewayConfig> = {}) =>
  configError(() => createGateway({ providers, ...extra, governance: governance as GatewayConfig['governance'] })).issues;

describe('governance config', () => {
  it('accepts a full config', () => {
    expect(() =>
      createGateway({
        providers,
        models: { cheap: 'p/small' },
        regions: { p: 'eu-west-1' },
        governance: {
          store: createMemoryStore(),
          timeZone: 'Europe/Berlin',
          defaultOutputTokens: 512,
          access: { default: 'deny', rules: [{ name: 'in', when: { teams: ['a', 'b'], models: { not: 'p/big*' } }, effect: 'allow' }] },
          limits: [{ name: 'rpm', by: 'team', requests: { perMinute: 60, perDay: 1000 }, tokens: { perMinute: 10_000, count: 'output' }, mode: 'queue', maxWaitMs: 2000 }],
          budgets: [{ name: 'monthly', by: 'team', usd: 100, period: 'month', alerts: [0.5, 0.9], onExhausted: { downgrade: 'cheap' } }],
          residency: [{ name: 'eu', when: { metadata: { tenant: 'eu-*' } }, regions: ['eu-*'] }],
        },
      }),
    ).not.toThrow();
  });

  it('reports every problem with its path', () => {
    const issues = issuesOf({
      access: { default: 'maybe', rules: [{ name: 'x', effect: 'allow', whem: {} }] },
      limits: [
        { name: 'a', requests: {} },
        { name: 'a', requests: { perMinute: 0 } },
        { name: 'b', requests: { perMinute: 1 }, maxWaitMs: 10 },
        { name: 'c' },
      ],
      budgets: [
        { name: 'u', usd: 1, tokens: 2, period: 'day' },
        { name: 'v', usd: 1, period: 'year' },
        { name: 'w', usd: 1, period: 'day', by: 'model', onExhausted: { downgrade: 'p/x' } },
        { name: 'z', usd: 1, period: 'day', onExhausted: { downgrade: 'nowhere' } },
      ],
      residency: [{ name: 'r', regions: [] }],
      timeZone: 'Mars/Olympus',
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'governance.access.default',
        'governance.access.rules.0',
        'governance.limits.0.requests',
        'governance.limits.1.requests.perMinute',
        'governance.limits.1.name',
        'governance.limits.2.maxWaitMs',
        'governance.limits.3',
        'governance.budgets.0',
        'governance.budgets.1.period',
        'governance.budgets.2.onExhausted',
        'governance.residency.0.regions',
        'governance.timeZone',
      ]),
    );
    expect(issues.find((issue) => issue.path === 'governance.access.rules.0')?.message).toMatch(/whem.*did you mean 'when'/);
    expect(issues.find((issue) => issue.path === 'governance.limits.1.name')?.message).toMatch(/duplicate limit name 'a'/);
  });

  it('a downgrade route must exist', () => {
    const issues = issuesOf({ budgets: [{ name: 'z', usd: 1, period: 'day', onExhausted: { downgrade: 'nowhere' } }] });
    expect(issues).toEqual([expect.objectContaining({ path: 'governance.budgets.0.onExhausted.downgrade', message: expect.stringMatching(/'nowhere' is neither/) })]);
  });

  it('per-call metadata must be strings of bounded size, and regions a non-empty list', async () => {
    const gateway = createGateway({ providers: { p: scriptedAdapter({ chat: async () => { throw new Error('not reached'); } }) } });
    const messages = [{ role: 'user' as const, content: 'hi' }];
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { metadata: { n: 1 as never } })).rejects.toThrow(/options\.metadata\.n: metadata values must be strings/);
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { metadata: { k: 'x'.repeat(1025) } })).rejects.toThrow(/at most 1024 characters/);
    const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { metadata: many })).rejects.toThrow(/at most 64 metadata entries/);
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { regions: [] })).rejects.toThrow(/options\.regions/);
    await expect(gateway.chat.completions.create({ model: 'p/m', messages }, { principal: { id: 'a', team: ['x'] } as never })).rejects.toThrow(/options\.principal/);
  });
});
