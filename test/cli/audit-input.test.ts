// The report reads the audit log a real gateway writes (createAuditLog): requests, tokens, cost, errors, fallbacks and cache hits from its lines.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReport } from '@switchyard/cli';
import { createAuditLog, createGateway, ProviderError } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let dir: string;
let path: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-report-audit-'));
  path = join(dir, 'audit.jsonl');
  const failing = scriptedAdapter({
    provider: 'openai',
    chat: () => {
      throw new ProviderError('upstream down', { provider: 'primary', model: 'gpt-4.1', status: 503, retryable: true });
    },
  });
  const healthy = scriptedAdapter({ provider: 'openai', chat: () => completionOf('ok', { prompt_tokens: 100, completion_tokens: 20 }) });
  const gateway = createGateway({
    providers: { primary: failing, backup: healthy },
    models: { smart: { fallback: ['primary/gpt-4.1', 'backup/gpt-4.1'] } },
    routing: { retry: { retries: 0 } },
    audit: { log: createAuditLog({ path, key: 'a test audit key of at least 32 bytes!!', sync: 'none' }) },
  });
  const messages = [{ role: 'user' as const, content: 'hi' }];
  await gateway.chat.completions.create({ model: 'smart', messages }, { principal: { id: 'ana', teams: ['support', 'search'] }, tags: ['beta'] });
  await gateway.chat.completions.create({ model: 'backup/gpt-4.1', messages }, { principal: { id: 'bo' } });
  await gateway.chat.completions.create({ model: 'primary/gpt-4.1', messages }, { principal: { id: 'bo' } }).catch(() => undefined);
  await gateway.close();
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('report over an audit log', () => {
  it('counts each line as a request, with its fallbacks from its decisions and its errors', async () => {
    const text = await readFile(path, 'utf8');
    const audit = text.trim().split('\n').map((line) => JSON.parse(line) as { usage: { inputTokens: number; outputTokens: number } | null; cost: { usd: number | null } | null; outcome: string });
    expect(audit).toHaveLength(3);
    const report = await createReport({ inputs: [path] });
    expect(report.malformed.count).toBe(0);
    expect(report.totals.requests).toBe(3);
    expect(report.totals.errors).toBe(audit.filter((line) => line.outcome === 'error').length);
    expect(report.totals.errors).toBe(1);
    expect(report.totals.fallbacks).toBe(1);
    expect(report.totals.inputTokens).toBe(audit.reduce((sum, line) => sum + (line.usage?.inputTokens ?? 0), 0));
    expect(report.totals.outputTokens).toBe(audit.reduce((sum, line) => sum + (line.usage?.outputTokens ?? 0), 0));
    expect(report.totals.costUsd).toBeCloseTo(audit.reduce((sum, line) => sum + (line.cost?.usd ?? 0), 0), 12);
    const teams = Object.fromEntries((report.groups.team ?? []).map((row) => [row.key, row.requests]));
    expect(teams).toEqual({ support: 1, search: 1, '(none)': 2 });
    const principals = Object.fromEntries((report.groups.principal ?? []).map((row) => [row.key, [row.requests, row.errors]]));
    expect(principals).toEqual({ ana: [1, 0], bo: [2, 1] });
    expect(report.groups.route?.map((row) => row.key).sort()).toEqual(['backup/gpt-4.1', 'primary/gpt-4.1', 'smart']);
    expect(report.groups.model?.find((row) => row.key === 'backup/gpt-4.1')?.requests).toBe(2);
    expect(report.groups.model?.find((row) => row.key === 'primary/gpt-4.1')?.errors).toBe(1);
  });
});
