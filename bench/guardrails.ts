/**
 * What guardrails cost in process: the gateway's CPU per call with the PII, secret and
 * prompt-injection guardrails on a 1 KB prompt and a 1 KB answer, and per streamed chunk on a
 * clean 100-chunk stream, against the same calls with no guardrails configured and with
 * guardrails configured that match no call. No I/O: the adapter answers at once.
 */
import { createGateway, type ChatCompletionChunk, type GuardrailOptions, type ProviderAdapter } from '@switchyard/core';
import { chunksOf, completionOf } from '@switchyard/testing';
import { measureCases, type CaseRow } from './cpu-cases.js';

/** About 1 KB of ordinary text: digits, versions, dates and prices included, nothing a guardrail should flag. */
const KB_TEXT =
  'The release notes for version 4.2.1 list three changes. First, the scheduler now retries a failed job up to 5 times, ' +
  'waiting 250 ms, then 500 ms, then 1 s between tries. Second, reports dated 2026-11-30 or later show totals in euros ' +
  'as well as dollars, so an invoice of $1,234.56 also reads as about 1.140,20 EUR. Third, the command line tool gained ' +
  'a --dry-run flag that prints what it would do without writing anything. Upgrading takes a few minutes: stop the ' +
  'service, install the new package, run the migration (it is idempotent), and start the service again. If the ' +
  'migration reports a lock held by another process, wait for that process to finish rather than removing the lock ' +
  'by hand. Questions about the upgrade can go to the platform channel; the on-call engineer answers within one ' +
  'working day. Known issue: on machines with more than 64 cores the progress bar may redraw twice per second.';
const CHUNKS = 100;
const pieces = Array.from({ length: CHUNKS }, (_, i) => KB_TEXT.slice(i * 10, i * 10 + 10));

const adapter: ProviderAdapter = {
  provider: 'instant',
  capabilities: { stream: true, tools: true, images: true, jsonSchema: true, embeddings: false, reasoning: false },
  chat: async () => completionOf(KB_TEXT, { prompt_tokens: 250, completion_tokens: 250 }),
  stream: async function* (): AsyncGenerator<ChatCompletionChunk> {
    yield* chunksOf(pieces);
  },
};
const messages = [{ role: 'user' as const, content: KB_TEXT }];

const pii: GuardrailOptions = { name: 'pii', type: 'pii' };
const secrets: GuardrailOptions = { name: 'secrets', type: 'secrets' };
const injection: GuardrailOptions = { name: 'injection', type: 'prompt-injection', on: 'both', roles: ['user'] };

export async function measureGuardrails(quick: boolean): Promise<CaseRow[]> {
  const n = quick ? 1000 : 4000;
  const gateway = (guardrails?: GuardrailOptions[]) => createGateway({ providers: { p: adapter }, ...(guardrails ? { guardrails } : {}) });
  const bare = gateway();
  const unmatched = gateway([{ ...pii, when: { teams: 'nobody' } }]);
  const cases = [
    { label: 'PII', guarded: gateway([pii]) },
    { label: 'secrets', guarded: gateway([secrets]) },
    { label: 'injection', guarded: gateway([injection]) },
    { label: 'PII + secrets + injection', guarded: gateway([pii, secrets, injection]) },
  ];
  const chat = (g: ReturnType<typeof gateway>) => () => g.chat.completions.create({ model: 'p/m', messages });
  const stream = (g: ReturnType<typeof gateway>) => async () => {
    for await (const chunk of await g.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }], stream: true })) void chunk;
  };
  return measureCases([
    { name: 'chat 1 KB in + 1 KB out, no guardrails', calls: n, op: chat(bare) },
    { name: 'chat, guardrails configured, none matches', calls: n, op: chat(unmatched) },
    ...cases.map(({ label, guarded }) => ({ name: `chat 1 KB in + 1 KB out, ${label} on input and output`, calls: n, op: chat(guarded) })),
    { name: `stream of ${CHUNKS} chunks, no guardrails`, calls: n / 10, op: stream(bare) },
    ...cases.map(({ label, guarded }) => ({ name: `stream of ${CHUNKS} chunks, ${label} on output`, calls: n / 10, op: stream(guarded) })),
  ]);
}
