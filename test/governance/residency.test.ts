import { ResidencyError, createGateway, type GatewayConfig, type RequestEndEvent, type AttemptEndEvent } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '@switchyard/core';
import { collectEvents, flushEvents } from '../gateway/helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

function setup(extra: Partial<GatewayConfig> = {}) {
  const us = scriptedAdapter({ chat: async () => completionOf('from us') });
  const eu = scriptedAdapter({ chat: async () => completionOf('from eu') });
  const plain = scriptedAdapter({ chat: async () => completionOf('from plain') });
  const events = collectEvents();
  const gateway = createGateway({
    providers: { us, eu, plain },
    regions: { us: 'us-east-1', eu: 'eu-west-1', 'eu/special': 'eu-central-1' },
    models: {
      chat: { loadbalance: ['us/m', 'eu/m'] },
      anywhere: { fallback: ['plain/m', 'us/m'] },
      pinned: { target: 'plain/m', region: 'eu-north-1' },
    },
    onEvent: events.onEvent,
    ...extra,
  });
  return { us, eu, plain, gateway, events };
}

describe('residency', () => {
  it('a call restricted to regions is only routed to targets in them, load balancing included; events say where', async () => {
    const { us, eu, gateway, events } = setup({ routing: { random: () => 0 } });
    // random 0 picks us/m first; the restriction leaves only eu/m.
    for (let i = 0; i < 5; i++) {
      const { data, meta } = await gateway.chat.completions.create({ model: 'chat', messages }, { regions: ['eu-*'] }).withMeta();
      expect(data.choices[0]?.message.content).toBe('from eu');
      expect(meta.region).toBe('eu-west-1');
      expect(meta.attemptHistory.map((attempt) => attempt.region)).toEqual(['eu-west-1']);
    }
    expect(us.calls).toHaveLength(0);
    expect(eu.calls).toHaveLength(5);
    await flushEvents();
    const end = events.events.find((event): event is RequestEndEvent => event.type === 'request.end');
    expect(end?.region).toBe('eu-west-1');
    expect(events.events.find((event): event is AttemptEndEvent => event.type === 'attempt.end')?.region).toBe('eu-west-1');
  });

  it('fails clearly, sending nothing, when no target qualifies; a target with no region never does', async () => {
    const { us, plain, gateway, events } = setup();
    const error = await gateway.chat.completions.create({ model: 'anywhere', messages }, { regions: ['eu-*'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResidencyError);
    expect(error).toMatchObject({ code: 'no_target_in_region', allowed: [['eu-*']] });
    expect(us.calls.length + plain.calls.length).toBe(0);
    await flushEvents();
    expect(events.events.some((event) => event.type === 'residency.denied')).toBe(true);
  });

  it('a fallback never leaves the allowed regions', async () => {
    const failing = scriptedAdapter({
      chat: async () => {
        throw new ProviderError('down', { provider: 'eu', model: 'm', status: 503, retryable: true });
      },
    });
    const us = scriptedAdapter({ chat: async () => completionOf('from us') });
    const gateway = createGateway({ providers: { eu: failing, us }, regions: { eu: 'eu-west-1', us: 'us-east-1' }, models: { r: { fallback: ['eu/m', 'us/m'] } }, routing: { retry: false } });
    await expect(gateway.chat.completions.create({ model: 'r', messages }, { regions: ['eu-*'] })).rejects.toMatchObject({ name: 'ProviderError' });
    expect(us.calls).toHaveLength(0);
    // Unrestricted, the fallback goes on to us/m.
    await expect(gateway.chat.completions.create({ model: 'r', messages })).resolves.toBeDefined();
    expect(us.calls).toHaveLength(1);
  });

  it('a route target region and a per-model region win over the provider region', async () => {
    const { plain, eu, gateway } = setup();
    await expect(gateway.chat.completions.create({ model: 'pinned', messages }, { regions: ['eu-north-1'] })).resolves.toBeDefined();
    expect(plain.calls).toHaveLength(1);
    await expect(gateway.chat.completions.create({ model: 'eu/special', messages }, { regions: ['eu-central-1'] })).resolves.toBeDefined();
    await expect(gateway.chat.completions.create({ model: 'eu/m', messages }, { regions: ['eu-central-1'] })).rejects.toBeInstanceOf(ResidencyError);
    expect(eu.calls).toHaveLength(1);
  });

  it('residency rules, scope regions and call regions all apply (each narrows)', async () => {
    const { us, eu, gateway } = setup({ governance: { residency: [{ name: 'eu-team', when: { teams: 'berlin' }, regions: ['eu-*'] }] } });
    const berlin = { principal: { id: 'b', teams: ['berlin'] } };
    await gateway.chat.completions.create({ model: 'chat', messages }, berlin);
    expect(eu.calls).toHaveLength(1);
    // The call cannot widen the rule: asking for us regions leaves nothing.
    await expect(gateway.chat.completions.create({ model: 'chat', messages }, { ...berlin, regions: ['us-*'] })).rejects.toBeInstanceOf(ResidencyError);
    const scoped = gateway.scope({ principal: { id: 'x' }, region: 'us-*' });
    await scoped.chat.completions.create({ model: 'chat', messages });
    expect(us.calls).toHaveLength(1);
    await expect(scoped.chat.completions.create({ model: 'chat', messages }, { regions: ['eu-*'] })).rejects.toBeInstanceOf(ResidencyError);
    expect(us.calls.length + eu.calls.length).toBe(2);
  });

  it('rejects a config region that is not a string', () => {
    expect(() => createGateway({ providers: { p: scriptedAdapter({}) }, regions: { p: 3 as never } })).toThrow(/regions\.p/);
  });
});
