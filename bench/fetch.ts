/**
 * What `gateway.fetch` costs: the `openai` SDK calling through it, against the same SDK over a
 * localhost HTTP hop (a node:http server in this process that answers each request through the
 * same gateway: what a proxy in front of the gateway costs), with the direct gateway call and
 * the SDK over a fetch returning canned bodies (the SDK's own cost) as references. CPU µs per call (client and server alike, one process) and p50 wall-clock latency,
 * non-stream and a stream of 20 chunks. The provider side answers at once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import OpenAI from 'openai';
import { createGateway } from '@switchyard/core';
import { measureCases, type CaseRow } from './cpu-cases.js';
import { benchMessages, CHUNKS, instantAdapter } from './instant-adapter.js';
import { median } from './stats.js';

const adapter = instantAdapter;
const messages = benchMessages;
const model = 'p/gpt-4.1-mini';

/** Answers every request by handing it to `fetch` and writing its Response back. */
function proxyServer(fetch: typeof globalThis.fetch) {
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => {
      void (async () => {
        const response = await fetch(`http://localhost${req.url ?? '/'}`, { method: req.method ?? 'GET', body: Buffer.concat(parts).toString('utf8') });
        res.writeHead(response.status, Object.fromEntries(response.headers));
        const reader = response.body?.getReader();
        for (let part = await reader?.read(); part && !part.done; part = await reader?.read()) res.write(part.value);
        res.end();
      })().catch(() => res.destroy());
    });
  });
}

/** p50 wall-clock ms of `calls` sequential calls of `op`. */
async function p50Ms(calls: number, op: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    await op();
    times.push(performance.now() - start);
  }
  return median(times);
}

export interface LatencyRow {
  case: string;
  p50Ms: number;
}

export interface FetchBench {
  cpu: CaseRow[];
  latency: LatencyRow[];
}

async function run(quick: boolean): Promise<FetchBench> {
  const n = quick ? 500 : 2000;
  const gateway = createGateway({ providers: { p: adapter } });
  const server = proxyServer(gateway.fetch);
  // Longer than any pause of the run: a server closing an idle keep-alive socket as the client reuses it resets the call.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const inProcess = new OpenAI({ baseURL: 'http://switchyard.local/v1', apiKey: 'unused', fetch: gateway.fetch, maxRetries: 0 });
  const overHttp = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused', maxRetries: 0 });

  // The SDK's own floor: a fetch that returns the same bodies, already made, with no gateway behind it.
  const completionBody = JSON.stringify(await gateway.chat.completions.create({ model, messages }));
  let sseText = '';
  for await (const chunk of await gateway.chat.completions.create({ model, messages, stream: true })) sseText += `data: ${JSON.stringify(chunk)}\n\n`;
  sseText += 'data: [DONE]\n\n';
  const canned: typeof globalThis.fetch = async (_input, init) => {
    const streamed = typeof init?.body === 'string' && init.body.includes('"stream":true');
    return new Response(streamed ? sseText : completionBody, { headers: { 'content-type': streamed ? 'text/event-stream' : 'application/json' } });
  };
  const floor = new OpenAI({ baseURL: 'http://switchyard.local/v1', apiKey: 'unused', fetch: canned, maxRetries: 0 });

  const chat = (client: OpenAI) => () => client.chat.completions.create({ model, messages });
  const stream = (client: OpenAI) => async () => {
    for await (const chunk of await client.chat.completions.create({ model, messages, stream: true })) void chunk;
  };
  const cases = [
    { name: 'chat, direct gateway call', op: () => gateway.chat.completions.create({ model, messages }) },
    { name: 'chat, openai SDK over a canned fetch (SDK floor)', op: chat(floor) },
    { name: 'chat, openai SDK through gateway.fetch', op: chat(inProcess) },
    { name: 'chat, openai SDK over a localhost HTTP hop', op: chat(overHttp) },
    {
      name: `stream of ${CHUNKS}, direct gateway call`,
      op: async () => {
        for await (const chunk of await gateway.chat.completions.create({ model, messages, stream: true })) void chunk;
      },
    },
    { name: `stream of ${CHUNKS}, openai SDK over a canned fetch (SDK floor)`, op: stream(floor) },
    { name: `stream of ${CHUNKS}, openai SDK through gateway.fetch`, op: stream(inProcess) },
    { name: `stream of ${CHUNKS}, openai SDK over a localhost HTTP hop`, op: stream(overHttp) },
  ];
  try {
    const cpu = await measureCases(cases.map((c) => ({ name: c.name, calls: n, op: c.op })));
    const latency: LatencyRow[] = [];
    for (const c of cases) latency.push({ case: c.name, p50Ms: await p50Ms(n, c.op) });
    return { cpu, latency };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** CPU µs and p50 latency per call of each case. */
export function measureFetch(quick: boolean): Promise<FetchBench> {
  return run(quick);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { cpu, latency } = await run(process.argv.includes('--quick'));
  for (const row of cpu) {
    const p50 = latency.find((l) => l.case === row.case)?.p50Ms ?? Number.NaN;
    console.log(`${row.case.padEnd(60)} ${row.microsPerCall.toFixed(1).padStart(8)} µs CPU   p50 ${(p50 * 1000).toFixed(0).padStart(6)} µs`);
  }
}
