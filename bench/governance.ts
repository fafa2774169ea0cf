/**
 * What governance costs in process: the gateway's CPU per call with access rules, two rate
 * limits and a budget configured (in-memory store; limits high enough never to refuse), against
 * the same calls on a bare gateway, and a gateway with governance configured but no rule
 * matching the call. No I/O: the adapter answers at once, so every microsecond is the gateway's.
 */
import { createGateway, createMemoryStore, type ProviderAdapter } from '@switchyard/core';
import { completionOf } from '@switchyard/testing';
import { measureCases, type CaseRow } from './cpu-cases.js';

const adapter: ProviderAdapter = {
  provider: 'instant',
  capabilities: { stream: true, tools: true, images: true, jsonSchema: true, embeddings: false, reasoning: false },
  chat: async () => ({ ...completionOf('ok', { prompt_tokens: 20, completion_tokens: 8 }) }),
  stream: async function* () {
    // unused
  },
};
const messages = [
  { role: 'system' as const, content: 'You are helpful.' },
  { role: 'user' as const, content: 'Summarise the quarterly report in two sentences.' },
];
/** A different question of about 60 words for each call. */
const question = (i: number) => `Question ${i}: ` + Array.from({ length: 60 }, (_, word) => `word${(i * 7 + word) % 997}`).join(' ');
const catalog = { 'p/m': { prices: { input: 2.5e-6, output: 1e-5 } } };
const access = {
  default: 'deny' as const,
  rules: [
    { name: 'contractors-out', when: { principals: 'contractor-*' }, effect: 'deny' as const },
    { name: 'interns-no-premium', when: { roles: 'intern', routes: 'premium' }, effect: 'deny' as const },
    { name: 'teams-in', when: { teams: ['research', 'support', 'growth'] }, effect: 'allow' as const },
  ],
};
const HIGH = 1e12;

export async function measureGovernance(quick: boolean): Promise<CaseRow[]> {
  const n = quick ? 5000 : 20000;
  const principal = { id: 'ann', teams: ['research'], roles: ['staff'] };
  const bare = createGateway({ providers: { p: adapter }, catalog });
  const accessOnly = createGateway({ providers: { p: adapter }, catalog, governance: { access } });
  const governed = createGateway({
    providers: { p: adapter },
    catalog,
    governance: {
      store: createMemoryStore(),
      access,
      limits: [
        { name: 'per-principal-rpm', by: 'principal', requests: { perMinute: HIGH, perDay: HIGH } },
        { name: 'per-team-tpm', by: 'team', tokens: { perMinute: HIGH } },
      ],
      budgets: [{ name: 'team-daily', by: 'team', usd: HIGH, period: 'day' }],
    },
  });
  const unmatched = createGateway({
    providers: { p: adapter },
    catalog,
    governance: { limits: [{ name: 'other-team', when: { teams: 'growth' }, requests: { perMinute: HIGH } }] },
  });
  const call = (gateway: ReturnType<typeof createGateway>) => () => gateway.chat.completions.create({ model: 'p/m', messages, max_tokens: 64 }, { principal });
  const main = await measureCases([
    { name: 'chat, no governance configured', calls: n, op: call(bare) },
    { name: 'chat, governance configured, no rule matches the call', calls: n, op: call(unmatched) },
    { name: 'chat, 3 access rules (default deny)', calls: n, op: call(accessOnly) },
    { name: 'chat, 3 access rules + 2 rate limits + a USD budget', calls: n, op: call(governed) },
  ]);
  // The prompt estimate remembers texts it counted (a system prompt, a conversation's history);
  // a new question is counted afresh. Measured apart, against the same new questions on the bare
  // gateway, so that their garbage does not land on the cases above.
  const asked = (gateway: ReturnType<typeof createGateway>) => (i: number) =>
    gateway.chat.completions.create({ model: 'p/m', messages: [messages[0] as (typeof messages)[number], { role: 'user', content: question(i) }], max_tokens: 64 }, { principal });
  const fresh = await measureCases([
    { name: 'a new 60-word question every call, no governance', calls: n, op: asked(bare) },
    { name: 'a new 60-word question every call, access + 2 limits + a budget', calls: n, op: asked(governed) },
  ]);
  return [...main, ...fresh];
}
