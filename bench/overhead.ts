/**
 * The gateway's own CPU cost, without I/O: an adapter that answers at once, so that
 * every microsecond measured is the gateway's (validation, routing, chains, events, the
 * stream wrapper). Compared with calling the same adapter directly.
 */
import { createGateway, type ChatCompletionChunk, type Middleware, type ProviderAdapter } from '@switchyard/core';
import { chunksOf, completionOf } from '@switchyard/testing';

export interface OverheadRow {
  case: string;
  directMicros: number;
  gatewayMicros: number;
  overheadMicros: number;
}

const completion = completionOf('hello');
const chunks = chunksOf(Array.from({ length: 50 }, (_, i) => `w${i} `));
async function* replay(): AsyncGenerator<ChatCompletionChunk> {
  yield* chunks;
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

async function cpuMicrosPerOp(n: number, op: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(n, 5000); i++) await op(); // warm-up for the JIT
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) await op();
    const used = process.cpuUsage(before);
    samples.push((used.user + used.system) / n);
  }
  samples.sort((a, b) => a - b);
  return samples[2] as number;
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
  const directChat = await cpuMicrosPerOp(n, () => adapter.chat({ params: { model: 'm', messages } }, { requestId: '', signal: undefined }));
  const directStream = await cpuMicrosPerOp(n / 10, () => drain(adapter.stream({ params: { model: 'm', messages, stream: true } }, { requestId: '', signal: undefined })));
  const rows: OverheadRow[] = [];
  const add = (name: string, direct: number, gateway: number) =>
    rows.push({ case: name, directMicros: direct, gatewayMicros: gateway, overheadMicros: gateway - direct });
  add('chat, bare', directChat, await cpuMicrosPerOp(n, () => bare.chat.completions.create({ model: 'p/m', messages })));
  add('chat, 5 no-op middleware', directChat, await cpuMicrosPerOp(n, () => stacked.chat.completions.create({ model: 'p/m', messages })));
  add('chat, with an event listener', directChat, await cpuMicrosPerOp(n, () => listened.chat.completions.create({ model: 'p/m', messages })));
  add('stream of 50 chunks, bare', directStream, await cpuMicrosPerOp(n / 10, async () => drain(await bare.chat.completions.create({ model: 'p/m', messages, stream: true }))));
  add('stream of 50 chunks, 5 no-op middleware', directStream, await cpuMicrosPerOp(n / 10, async () => drain(await stacked.chat.completions.create({ model: 'p/m', messages, stream: true }))));
  return rows;
}
