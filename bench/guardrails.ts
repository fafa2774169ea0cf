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

export interface StreamDelayRow {
  case: string;
  /** Characters that had arrived from the provider but not reached the caller, when each chunk reached it: the largest. */
  maxHeldChars: number;
  meanHeldChars: number;
  /** Chunks a character waited for, past the one it came in: the largest. */
  maxChunksLate: number;
}

/**
 * How late a guarded stream's text reaches the caller, chunk by chunk, against the same
 * stream unguarded: the provider streams a 1 KB paragraph (clean, or with an email address, a
 * phone number and a card number in it) in 4-character chunks; after each chunk the caller has
 * received, the characters the provider had sent but the caller has not are counted.
 */
export async function measureStreamDelay(): Promise<StreamDelayRow[]> {
  const withPii = `${KB_TEXT.slice(0, 400)} Write to jane.roe@acme-mail.org or call +1 415 555 2671; card 4111 1111 1111 1111 was charged. ${KB_TEXT.slice(400, 900)}`;
  let pieces: string[] = [];
  let sent = 0;
  const provider: ProviderAdapter = {
    ...adapter,
    stream: async function* (): AsyncGenerator<ChatCompletionChunk> {
      for (const chunk of chunksOf(pieces)) {
        sent += chunk.choices[0]?.delta.content?.length ?? 0;
        yield chunk;
      }
    },
  };
  const measure = async (name: string, text: string, guardrails: GuardrailOptions[] | undefined): Promise<StreamDelayRow> => {
    pieces = Array.from({ length: Math.ceil(text.length / 4) }, (_, i) => text.slice(i * 4, i * 4 + 4));
    const gateway = createGateway({ providers: { p: provider }, ...(guardrails ? { guardrails } : {}) });
    sent = 0;
    let received = 0;
    const held: number[] = [];
    // For each character: the chunk index at which the provider sent it and at which the caller got it.
    const sentAt: number[] = [];
    let late = 0;
    let chunkIndex = 0;
    for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      while (sentAt.length < sent) sentAt.push(chunkIndex);
      const got = chunk.choices[0]?.delta.content?.length ?? 0;
      for (let c = received; c < received + got; c++) late = Math.max(late, chunkIndex - (sentAt[c] ?? chunkIndex));
      received += got;
      held.push(sent - received);
      chunkIndex++;
    }
    return { case: name, maxHeldChars: Math.max(...held), meanHeldChars: held.reduce((a, b) => a + b, 0) / held.length, maxChunksLate: late };
  };
  const pii: GuardrailOptions[] = [{ name: 'pii', type: 'pii', on: 'output' }];
  const piiAndSecrets: GuardrailOptions[] = [...pii, { name: 'secrets', type: 'secrets', on: 'output' }];
  return [
    await measure('clean 1 KB, no guardrails', KB_TEXT, undefined),
    await measure('clean 1 KB, PII redaction (all kinds) on output', KB_TEXT, pii),
    await measure('clean 1 KB, PII + secrets on output', KB_TEXT, piiAndSecrets),
    // Redacted text is shorter than what it replaces: past the first redaction, held counts run high by the difference.
    await measure('with an email, a phone and a card, PII on output', withPii, pii),
  ];
}
