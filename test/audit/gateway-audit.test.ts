import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, createGateway, verifyAuditLog, type ChatCompletionChunk } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gate } from '../cache/helpers.js';

const KEY = 'k'.repeat(32);
const EMAIL = 'jane.roe@acme-mail.org';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function lines(path: string): Promise<Array<Record<string, unknown>>> {
  const text = await readFile(path, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the audit trail of a gateway', () => {
  it('writes one chained record per request with who, what served, every decision, usage, cost and outcome', async () => {
    const path = join(dir, 'audit.jsonl');
    const provider = scriptedAdapter({ chat: () => completionOf('ok', { prompt_tokens: 10, completion_tokens: 5 }) });
    const gateway = createGateway({
      providers: { p: provider },
      regions: { p: 'eu' },
      catalog: { 'p/m': { prices: { input: 2 ** -10, output: 2 ** -9 } } },
      governance: { access: { rules: [{ name: 'no-interns', when: { teams: 'interns' }, effect: 'deny' }] } },
      guardrails: [{ name: 'pii', type: 'pii', on: 'input', entities: ['email'] }],
      audit: { log: createAuditLog({ path, key: KEY }) },
    });
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: `write to ${EMAIL}` }] }, { principal: { id: 'ana', teams: ['staff'] }, tags: ['support'] });
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }] }, { principal: { id: 'ian', teams: ['interns'] } }).catch(() => undefined);
    await gateway.close();

    expect(await verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: true, lines: 2 });
    const [served, denied] = await lines(path);
    expect(served).toMatchObject({
      seq: 1,
      operation: 'chat',
      route: 'p/m',
      principal: { id: 'ana', teams: ['staff'] },
      tags: ['support'],
      provider: 'p',
      model: 'm',
      region: 'eu',
      outcome: 'success',
      attempts: 1,
      usage: { inputTokens: 10, outputTokens: 5 },
      decisions: [{ kind: 'guardrail', guardrail: 'pii', phase: 'input', verdict: 'redact', enforced: true, findings: { email: 1 } }],
      error: null,
    });
    expect(served?.cost).toMatchObject({ usd: expect.any(Number) });
    expect(served).not.toHaveProperty('content');
    expect(denied).toMatchObject({ seq: 2, outcome: 'error', error: { code: 'access_denied' }, decisions: [{ kind: 'access', rule: 'no-interns', decision: 'deny' }] });
    // No content was asked for: the redacted address is not in the log, nor the original.
    expect(await readFile(path, 'utf8')).not.toContain('jane.roe');
  });

  it('with content: records the request as the guardrails left it and the answer as the caller got it, never what a block refused', async () => {
    const path = join(dir, 'audit.jsonl');
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('Sure, [EMAIL_1] it is.') }) },
      guardrails: [
        { name: 'pii', type: 'pii', entities: ['email'], redaction: 'reversible' },
        { name: 'no-codes', type: 'regex', on: 'input', deny: [{ name: 'code', pattern: 'CODE-\\d+' }] },
      ],
      audit: { log: createAuditLog({ path, key: KEY }), content: true },
    });
    const answer = await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: `mail ${EMAIL}` }] });
    expect(answer.choices[0]?.message.content).toBe(`Sure, ${EMAIL} it is.`);
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'secret CODE-1234' }] }).catch(() => undefined);
    await gateway.close();
    const [first, blocked] = await lines(path);
    // The caller got the address back; the record keeps the answer as the model gave it, redacted.
    expect(first?.content).toEqual({ input: [{ role: 'user', text: 'mail [EMAIL_1]' }], output: [{ text: 'Sure, [EMAIL_1] it is.' }] });
    expect(blocked).toMatchObject({ outcome: 'error', error: { code: 'guardrail_blocked' }, content: null });
    expect(await readFile(path, 'utf8')).not.toContain('CODE-1234');
    expect(await readFile(path, 'utf8')).not.toContain('jane.roe');
  });

  it('a reload that adds guardrails and keeps the log records no content they blocked', async () => {
    const path = join(dir, 'audit.jsonl');
    const log = createAuditLog({ path, key: KEY });
    const providers = { p: scriptedAdapter({ chat: () => completionOf('ok') }) };
    const gateway = createGateway({ providers, audit: { log, content: true } });
    gateway.reload({ providers, audit: { log, content: true }, guardrails: [{ name: 'no-codes', type: 'regex', deny: ['CODE-\\d+'] }] });
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'secret CODE-1234' }] }).catch(() => undefined);
    await gateway.close();
    expect(await lines(path)).toMatchObject([{ error: { code: 'guardrail_blocked' }, content: null }]);
    expect(await readFile(path, 'utf8')).not.toContain('CODE-1234');
  });

  it('an audit-mode redactor leaves the text as it was, so no content is recorded for it', async () => {
    const path = join(dir, 'audit.jsonl');
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) },
      guardrails: [{ name: 'pii', type: 'pii', mode: 'audit', entities: ['email'] }],
      audit: { log: createAuditLog({ path, key: KEY }), content: true },
    });
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: `mail ${EMAIL}` }] });
    await gateway.close();
    expect(await readFile(path, 'utf8')).not.toContain('jane.roe');
  });

  it('an audit-mode redactor that finds something in the answer, whole or streamed, keeps the whole call’s content out', async () => {
    const path = join(dir, 'audit.jsonl');
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf(`write to ${EMAIL}`), stream: async function* () { yield* chunksOf(['write to ', EMAIL]); } }) },
      guardrails: [{ name: 'pii', type: 'pii', mode: 'audit', on: 'output', entities: ['email'] }],
      audit: { log: createAuditLog({ path, key: KEY }), content: true },
    });
    const plain = await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'who?' }] });
    expect(plain.choices[0]?.message.content).toBe(`write to ${EMAIL}`);
    let streamed = '';
    for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'who?' }], stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
    expect(streamed).toBe(`write to ${EMAIL}`);
    await gateway.close();
    expect(await lines(path)).toMatchObject([{ outcome: 'success', content: null }, { outcome: 'success', content: null }]);
    expect(await readFile(path, 'utf8')).not.toContain('jane.roe');
  });

  it('a budget alert that settles after the request ended adds no second record', async () => {
    const path = join(dir, 'audit.jsonl');
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('ok', { prompt_tokens: 10, completion_tokens: 10 }) }) },
      governance: { budgets: [{ name: 'tiny', tokens: 30, period: 'day', alerts: [0.5] }] },
      audit: { log: createAuditLog({ path, key: KEY }) },
    });
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }], max_tokens: 5 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await gateway.close({ timeoutMs: 60_000 });
    expect(await lines(path)).toMatchObject([{ outcome: 'success' }]);
  });

  it('a reload to another log: each request is recorded in the log of the config it ran on, once', async () => {
    const first = join(dir, 'a.jsonl');
    const second = join(dir, 'b.jsonl');
    const answer = gate<void>();
    const providers = { p: scriptedAdapter({ chat: async (request) => (JSON.stringify(request.params).includes('slow') && (await answer.promise), completionOf('ok')) }) };
    const gateway = createGateway({ providers, audit: { log: createAuditLog({ path: first, key: KEY }) } });
    const slow = gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'slow' }] });
    gateway.reload({ providers, audit: { log: createAuditLog({ path: second, key: KEY }) } });
    const fast = await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'fast' }] });
    answer.open();
    await slow;
    await gateway.close();
    const ids = async (path: string) => (await lines(path)).map((record) => record.requestId);
    const fastId = (await ids(second))[0];
    expect(await ids(second)).toHaveLength(1);
    expect(await ids(first)).toHaveLength(1);
    expect(await ids(first)).not.toContain(fastId);
    void fast;
  });

  it('records a stream when it ends, with its content', async () => {
    const path = join(dir, 'audit.jsonl');
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ stream: async function* () { yield* chunksOf(['hel', 'lo']); } }) },
      audit: { log: createAuditLog({ path, key: KEY }), content: true },
    });
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const chunk of stream) void chunk;
    await gateway.close();
    const [record] = await lines(path);
    expect(record).toMatchObject({ stream: true, outcome: 'success', content: { input: [{ role: 'user', text: 'hi' }], output: [{ text: 'hello' }] } });
  });

  it('close() waits for a call in flight and writes its record', async () => {
    const path = join(dir, 'audit.jsonl');
    const answer = gate<void>();
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: async () => (await answer.promise, completionOf('late')) }) },
      audit: { log: createAuditLog({ path, key: KEY }) },
    });
    const call = gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }] });
    const closed = gateway.close();
    answer.open();
    await call;
    await closed;
    expect(await lines(path)).toMatchObject([{ outcome: 'success' }]);
  });

  it('close() past its time bound records a call still open as unfinished, so no request goes unrecorded', async () => {
    const path = join(dir, 'audit.jsonl');
    const never = gate<ChatCompletionChunk>();
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: async () => (await never.promise, completionOf('never')) }) },
      audit: { log: createAuditLog({ path, key: KEY }) },
    });
    const call = gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }] }, { principal: { id: 'ana' } });
    await gateway.close({ timeoutMs: 10 });
    expect(await lines(path)).toMatchObject([{ outcome: 'unfinished', route: 'p/m', principal: { id: 'ana' } }]);
    never.open(undefined as never);
    await call.catch(() => undefined);
  });

  it('a reload that keeps the log keeps one chain', async () => {
    const path = join(dir, 'audit.jsonl');
    const log = createAuditLog({ path, key: KEY });
    const config = { providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) }, audit: { log } };
    const gateway = createGateway(config);
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'a' }] });
    gateway.reload({ ...config, audit: { log, content: true } });
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'b' }] });
    await gateway.close();
    expect(await verifyAuditLog(path, { key: KEY })).toMatchObject({ ok: true, lines: 2 });
    const records = await lines(path);
    expect(records[1]).toMatchObject({ content: { input: [{ text: 'b' }] } });
  });
});
