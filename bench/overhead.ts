/**
 * The gateway's own CPU cost, without I/O: an adapter that answers at once, so that
 * every microsecond measured is the gateway's (validation, routing, chains, events, the
 * stream wrapper), compared with calling the same adapter directly. One row runs the real
 * `openai` SDK over an in-memory fetch, compared with the direct SDK call: the whole
 * in-process cost of going through the gateway, the adapter's included.
 */
import { createGateway, type ChatCompletionChunk, type Middleware, type ProviderAdapter } from '@switchyard/core';
import type { CallContext } from '@switchyard/core/adapter';
import { openai } from '@switchyard/openai';
import { chunksOf, completionOf } from '@switchyard/testing';
import OpenAI from 'openai';
import { median } from './stats.js';

export interface OverheadRow {
  case: string;
  directMicros: number;
  gatewayMicros: number;
  overheadMicros: number;
}

const completion = completionOf('hello');
const chunks = chunksOf(Array.from({ length: 50 }, (_, i) => `w${i} `));
/** Fresh chunk objects per stream, as an SDK makes them: the gateway writes to the usage chunk it hides. */
async function* replay(): AsyncGenerator<ChatCompletionChunk> {
  for (const chunk of chunks) yield { ...chunk };
}
const adapter: ProviderAdapter = {
  provider: 'instant',
  capabilities: { stream: true, tools: true, images: true, jsonSchema: true, embeddings: false, reasoning: false },
  chat: async () => completion,
  stream: replay,
};
const messages = [
  { role: 'system' as const, content: 'You are helpful.' },
  { role: 'user' as const, content: 'Say fifty words please.' },
];

/** The real `openai` SDK over an in-memory fetch: the SDK's own work and ours, without sockets. */
const completionBody = JSON.stringify(completionOf(Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ')));
const inMemoryClient = new OpenAI({
  apiKey: 'sk-bench',
  baseURL: 'http://in-memory.invalid/v1',
  maxRetries: 0,
  fetch: async () => new Response(completionBody, { status: 200, headers: { 'content-type': 'application/json' } }),
});

/** CPU microseconds per call over `n` sequential calls. */
async function cpuMicros(n: number, op: () => Promise<unknown>): Promise<number> {
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) await op();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}

/**
 * Two operations measured in alternating rounds, so that heap growth and GC hit both alike;
 * medians of each and of the per-round differences.
 */
async function pairedCpuMicros(n: number, direct: () => Promise<unknown>, gateway: () => Promise<unknown>, rounds = 11): Promise<{ direct: number; gateway: number; overhead: number }> {
  // Warm-up for the JIT.
  for (let i = 0; i < Math.min(n, 5000); i++) {
    await direct();
    await gateway();
  }
  const samples: Array<{ direct: number; gateway: number }> = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) samples.push({ direct: await cpuMicros(n, direct), gateway: await cpuMicros(n, gateway) });
    else {
      const gatewayFirst = await cpuMicros(n, gateway);
      samples.push({ direct: await cpuMicros(n, direct), gateway: gatewayFirst });
    }
  }
  return {
    direct: median(samples.map((s) => s.direct)),
    gateway: median(samples.map((s) => s.gateway)),
    overhead: median(samples.map((s) => s.gateway - s.direct)),
  };
}

export async function measureOverhead(quick: boolean): Promise<OverheadRow[]> {
  const noop = (i: number): Middleware => ({ name: `noop-${i}`, request: (_c, next) => next(), attempt: (_c, next) => next() });
  const bare = createGateway({ providers: { p: adapter } });
  const stacked = createGateway({ providers: { p: adapter }, middleware: [0, 1, 2, 3, 4].map(noop) });
  const listened = createGateway({ providers: { p: adapter }, onEvent: () => undefined });
  const n = quick ? 5000 : 20000;
  const drain = async (stream: AsyncIterable<ChatCompletionChunk>) => {
    for await (const _ of stream) {
      // consume
    }
  };
  // What an adapter gets from the gateway, minus the record it writes to.
  const directCall: CallContext = { requestId: '', signal: undefined, response: () => undefined, warn: () => undefined, usage: () => undefined };
  const directChat = () => adapter.chat({ params: { model: 'm', messages } }, directCall);
  const directStream = () => drain(adapter.stream({ params: { model: 'm', messages, stream: true } }, directCall));
  const sdkGateway = createGateway({ providers: { openai: openai({ client: inMemoryClient }) } });
  const rows: OverheadRow[] = [];
  // Every row pairs the direct call with the gateway's in alternating rounds: measured apart,
  // heap growth and GC from the rows before made the later rows noisy by several µs.
  const add = async (name: string, calls: number, direct: () => Promise<unknown>, gateway: () => Promise<unknown>) => {
    const paired = await pairedCpuMicros(calls, direct, gateway);
    rows.push({ case: name, directMicros: paired.direct, gatewayMicros: paired.gateway, overheadMicros: paired.overhead });
  };
  await add('chat, bare', n, directChat, () => bare.chat.completions.create({ model: 'p/m', messages }));
  await add('chat, 5 no-op middleware', n, directChat, () => stacked.chat.completions.create({ model: 'p/m', messages }));
  await add('chat, with an event listener', n, directChat, () => listened.chat.completions.create({ model: 'p/m', messages }));
  await add(
    'chat over the openai SDK (in-memory fetch)',
    n / 2,
    () => inMemoryClient.chat.completions.create({ model: 'm', messages }),
    () => sdkGateway.chat.completions.create({ model: 'openai/m', messages }),
  );
  await add('stream of 50 chunks, bare', n / 10, directStream, async () => drain(await bare.chat.completions.create({ model: 'p/m', messages, stream: true })));
  await add('stream of 50 chunks, 5 no-op middleware', n / 10, directStream, async () => drain(await stacked.chat.completions.create({ model: 'p/m', messages, stream: true })));
  return rows;
}
