/**
 * What `gateway.wrap(openaiClient)` adds: CPU per call of the scripted adapter alone, of a
 * direct gateway call, and of the same call through a wrapped `openai` client, non-stream and
 * a stream of 20 chunks. The adapter answers at once (no I/O), so the wrapper's own cost is
 * visible; the target is that it adds no more than the gateway's own overhead over the adapter.
 */
import { createGateway } from '@switchyard/core';
import type { ChatRequest } from '@switchyard/core/adapter';
import { recordingCallContext } from '@switchyard/testing';
import OpenAI from 'openai';
import { measureCases, type CaseRow } from './cpu-cases.js';
import { benchMessages, CHUNKS, instantAdapter } from './instant-adapter.js';

const adapter = instantAdapter;
const messages = benchMessages;
const model = 'p/gpt-4.1-mini';

export async function measureWrap(quick: boolean): Promise<CaseRow[]> {
  const n = quick ? 2000 : 8000;
  const gateway = createGateway({ providers: { p: adapter }, telemetry: { enabled: false } });
  // The client is never asked for anything: the route's provider is the scripted adapter.
  const wrapped = gateway.wrap(new OpenAI({ apiKey: 'sk-bench-not-used', baseURL: 'http://127.0.0.1:9/v1' }));
  const call = recordingCallContext();
  const chatRequest: ChatRequest = { params: { model: 'gpt-4.1-mini', messages } };
  const streamRequest: ChatRequest = { params: { model: 'gpt-4.1-mini', messages, stream: true } };
  const rows = await measureCases([
    { name: 'chat, the adapter alone', calls: n, op: () => adapter.chat(chatRequest, call) },
    { name: 'chat, direct gateway call', calls: n, op: () => gateway.chat.completions.create({ model, messages }) },
    { name: 'chat, through a wrapped openai client', calls: n, op: () => wrapped.chat.completions.create({ model, messages }) },
    {
      name: `stream of ${CHUNKS} chunks, the adapter alone`,
      calls: n / 4,
      op: async () => {
        for await (const chunk of adapter.stream(streamRequest, call)) void chunk;
      },
    },
    {
      name: `stream of ${CHUNKS} chunks, direct gateway call`,
      calls: n / 4,
      op: async () => {
        for await (const chunk of await gateway.chat.completions.create({ model, messages, stream: true })) void chunk;
      },
    },
    {
      name: `stream of ${CHUNKS} chunks, through a wrapped openai client`,
      calls: n / 4,
      op: async () => {
        for await (const chunk of await wrapped.chat.completions.create({ model, messages, stream: true })) void chunk;
      },
    },
  ]);
  await gateway.close();
  return rows;
}

/** For chat and the stream: the gateway's own overhead over the adapter, and what the wrapper adds over a direct gateway call, in µs per call. */
export function wrapDeltas(rows: readonly CaseRow[]): Array<{ shape: string; gatewayOverheadMicros: number; wrapAddedMicros: number }> {
  const micros = (name: string) => rows.find((row) => row.case === name)?.microsPerCall ?? Number.NaN;
  return ['chat', `stream of ${CHUNKS} chunks`].map((shape) => ({
    shape,
    gatewayOverheadMicros: micros(`${shape}, direct gateway call`) - micros(`${shape}, the adapter alone`),
    wrapAddedMicros: micros(`${shape}, through a wrapped openai client`) - micros(`${shape}, direct gateway call`),
  }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureWrap(process.argv.includes('--quick'));
  for (const row of rows) console.log(`${row.case.padEnd(52)} ${row.microsPerCall.toFixed(2)} µs`);
  for (const row of wrapDeltas(rows)) {
    console.log(`  ${row.shape.padEnd(20)} gateway over the adapter ${row.gatewayOverheadMicros.toFixed(2)} µs, wrap over the gateway ${row.wrapAddedMicros >= 0 ? '+' : ''}${row.wrapAddedMicros.toFixed(2)} µs`);
  }
}
