/**
 * `pnpm example:report`: a usage report, offline. A gateway on a mock OpenAI server writes its
 * usage events with a JSONL sink; a few calls (two principals, teams, tags, a fallback, a cache
 * hit); then the gateway is closed and `@switchyard/cli`'s report reads the file and prints the
 * text report (what `npx switchyard report usage.jsonl` prints).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReport, renderText } from '@switchyard/cli';
import { createGateway, createJsonlSink } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const server = await startMockServer();
server.setFallback({ content: 'Done.', usage: { input: 1200, output: 150 } });
const dir = await mkdtemp(join(tmpdir(), 'switchyard-report-example-'));
const path = join(dir, 'usage.jsonl');

const client = new OpenAI({ apiKey: 'sk-mock', baseURL: server.baseURL, maxRetries: 0 });
const gateway = createGateway({
  providers: { openai: openai({ client }), backup: openai({ client }) },
  models: { smart: { fallback: ['openai/gpt-4.1', 'backup/gpt-4.1-mini'] } },
  routing: { retry: { retries: 0 } },
  cache: { exact: {} },
  sinks: [createJsonlSink({ path, flushIntervalMs: 50 })],
});

const ana = { id: 'ana', teams: ['support', 'search'] };
const bo = { id: 'bo', teams: ['billing'] };
const ask = (content: string) => [{ role: 'user' as const, content }];
await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages: ask('Summarise ticket 1') }, { principal: ana, tags: ['tickets'] });
await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages: ask('Summarise ticket 1') }, { principal: ana, tags: ['tickets'] }); // a cache hit
await gateway.chat.completions.create({ model: 'openai/gpt-4.1-mini', messages: ask('Draft an invoice note') }, { principal: bo });
server.enqueue({ kind: 'error', status: 503 }); // the first target of 'smart' fails: the call falls back
await gateway.chat.completions.create({ model: 'smart', messages: ask('Classify this email') }, { principal: bo, tags: ['triage'] });
await gateway.close();
await server.close();

const report = await createReport({ inputs: [path], by: ['principal', 'team', 'model', 'day'] });
process.stdout.write(renderText(report));
await rm(dir, { recursive: true, force: true });
