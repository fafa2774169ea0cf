/**
 * `pnpm example:governance`: a platform team's governance config, offline. Two mock
 * OpenAI deployments, one in the US and one in the EU, answer every call with 500 prompt and
 * 200 completion tokens. Three teams share the gateway: research under a token limit and a
 * monthly USD budget, support under a per-person rate limit, growth under a small budget that
 * downgrades to a cheaper route once spent. A scoped client for an EU customer may only be
 * served in the EU. Each call prints what governance did: admitted (where, at what cost),
 * refused (by which rule), downgraded.
 */
import { createGateway, isGatewayError, type CallOptions, type ScopedClient } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer, type MockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const us = await startMockServer();
const eu = await startMockServer();
for (const server of [us, eu]) server.setFallback({ content: 'Done.', usage: { input: 500, output: 200 } });
const client = (server: MockServer) => new OpenAI({ apiKey: 'sk-mock', baseURL: server.baseURL });

const gateway = createGateway({
  providers: { openai: openai({ client: client(us) }), 'openai-eu': openai({ client: client(eu) }) },
  regions: { openai: 'us-east-1', 'openai-eu': 'eu-west-1' },
  models: {
    smart: 'openai/gpt-4.1',
    cheap: 'openai/gpt-4.1-mini',
    chat: { fallback: ['openai/gpt-4.1-mini', 'openai-eu/gpt-4.1-mini'] },
  },
  governance: {
    access: { rules: [{ name: 'no-contractors-on-smart', when: { roles: 'contractor', routes: 'smart' }, effect: 'deny' }] },
    limits: [
      { name: 'research-tpm', when: { teams: 'research' }, by: 'team', tokens: { perMinute: 20_000 } },
      { name: 'support-rpm', when: { teams: 'support' }, by: 'principal', requests: { perMinute: 2 } },
    ],
    budgets: [
      { name: 'research-monthly', when: { teams: 'research' }, by: 'team', usd: 500, period: 'month' },
      { name: 'growth-monthly', when: { teams: 'growth' }, usd: 0.005, period: 'month', onExhausted: { downgrade: 'cheap' } },
    ],
  },
});

// Governance tells what it did in events; the region of the target that served is on `request.end`.
const notes: string[] = [];
const regionOf = new Map<string, string | undefined>();
gateway.on('request.end', (e) => regionOf.set(e.requestId, e.region));
gateway.on('budget.threshold', (e) => notes.push(`budget '${e.rule}' passed ${e.threshold * 100}% ($${e.spent.toFixed(4)} of $${e.limit})`));
gateway.on('budget.exceeded', (e) => notes.push(`budget '${e.rule}' has no room: ${e.action === 'downgrade' ? `downgraded to '${e.downgradeTo}'` : e.action}`));
const settle = () => new Promise((resolve) => setImmediate(resolve));
let calls = 0;

async function ask(who: string, via: Pick<ScopedClient, 'chat'>, model: string, options?: CallOptions): Promise<void> {
  const label = `${who} → ${model}`.padEnd(30);
  calls++;
  try {
    const { meta } = await via.chat.completions.create({ model, messages: [{ role: 'user', content: 'Draft the weekly update.' }], max_tokens: 200 }, options).withMeta();
    await settle();
    console.log(`${label} admitted: ${meta.provider}/${meta.model} in ${regionOf.get(meta.requestId) ?? '(no region)'}, $${meta.cost?.usd?.toFixed(4)}`);
  } catch (error) {
    await settle();
    const rule = isGatewayError(error) && 'rule' in error ? ` by '${String(error.rule)}'` : '';
    console.log(`${label} refused${rule}: ${isGatewayError(error) ? `${error.name} (${error.code})` : String(error)}`);
  }
  for (const note of notes.splice(0)) console.log(`${''.padEnd(32)}${note}`);
}

const ann = { principal: { id: 'ann', teams: ['research'] } };
const sam = { principal: { id: 'sam', teams: ['support'] } };
const gus = { principal: { id: 'gus', teams: ['growth'] } };

console.log('Research: 20,000 tokens a minute for the team, and $500 a month.');
await ask('ann (research)', gateway, 'smart', ann);
console.log('Support: two calls a minute per person.');
for (let i = 0; i < 3; i++) await ask('sam (support)', gateway, 'chat', sam);
console.log("Growth: $0.005 a month, then 'cheap' instead of 'smart'.");
for (let i = 0; i < 3; i++) await ask('gus (growth)', gateway, 'smart', gus);
console.log('Contractors may not use smart.');
await ask('cy (contractor)', gateway, 'smart', { principal: { id: 'cy', roles: ['contractor'] } });

console.log("A scoped client for an EU customer: only 'chat', only in eu-*, its own $1 a day.");
const acme = gateway.scope({ id: 'acme-eu', principal: { id: 'acme-bot', teams: ['support'] }, models: ['chat'], region: 'eu-*', budget: { usd: 1, period: 'day' } });
await ask('acme-eu', acme, 'chat');
await ask('acme-eu', acme, 'smart');
await ask('acme-eu, regions us-*', acme, 'chat', { regions: ['us-*'] });
const spent = await acme.budget();
console.log(`${''.padEnd(32)}scope budget: $${spent?.spent.toFixed(4)} spent of $${spent?.limit} (${spent?.period})`);
acme.revoke();
await ask('acme-eu, revoked', acme, 'chat');

const growth = await gateway.budgets.get('growth-monthly');
const research = await gateway.budgets.get('research-monthly', 'research');
console.log(`Budgets: growth $${growth.spent.toFixed(4)} of $${growth.limit} in ${growth.period}; research $${research.spent.toFixed(4)} of $${research.limit}.`);
console.log(`The providers saw ${us.requests.length + eu.requests.length} requests for ${calls} calls: a refused call sends nothing.`);
await Promise.all([us.close(), eu.close()]);
