/**
 * `pnpm bench`: the direct `openai` SDK call against the same call through the gateway
 * (bare, and with five no-op middleware), non-stream and stream, sequential and at
 * concurrency 64, all in one run against a mock upstream in another process. Rounds are
 * interleaved so that drift hits every variant alike; each figure is the median over rounds,
 * and each ratio the median of the per-round ratios (a variant against the direct call of
 * the same round).
 */
import { spawn, spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createGateway, type Middleware } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import OpenAI from 'openai';
import { measureOverhead, type OverheadRow } from './overhead.js';
import { measureCache } from './cache.js';
import { measureCost } from './cost.js';
import { measureGovernance } from './governance.js';
import { ruleMatchBench } from './rule-match.js';
import { measureGuardrails, measureStreamDelay } from './guardrails.js';
import { measureGuardrailDetectors } from './guardrail-detectors.js';
import { measureAuditLog } from './audit-log.js';
import { measureTelemetry, telemetryDeltas } from './telemetry.js';
import { measureWrap, wrapDeltas } from './wrap.js';
import { measureFetch } from './fetch.js';
import { measureVectorIndex } from './vector-index.js';
import { measureRouting, type RoutingRow } from './routing.js';
import { measure, median, type ScenarioStats } from './stats.js';

const here = dirname(fileURLToPath(import.meta.url));
const quick = process.argv.includes('--quick');
const flag = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const ROUNDS = Number(flag('rounds') ?? (quick ? 3 : 12));
/** `--only=concurrency` runs the scenarios whose name contains the text. */
const only = flag('only');
const messages = [{ role: 'user' as const, content: 'Say fifty words.' }];

async function startUpstream(): Promise<{ baseURL: string; stop: () => void }> {
  // On Linux the upstream gets its own core (taskset), so that the two processes do not
  // steal each other's time slices and the comparison is steadier.
  const command = [process.execPath, '--import', 'tsx', resolve(here, 'upstream.ts')];
  const pinned = process.platform === 'linux' && availableParallelism() > 1 && hasTaskset();
  const [file, ...args] = pinned ? ['taskset', '-c', '1', ...command] : command;
  if (pinned) spawnSync('taskset', ['-a', '-p', '-c', '0', String(process.pid)]);
  const child = spawn(file as string, args, {
    cwd: resolve(here, '..'),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const baseURL = await new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`upstream exited with ${code}`)));
  });
  return { baseURL, stop: () => child.kill('SIGTERM') };
}

function hasTaskset(): boolean {
  return spawnSync('taskset', ['--version']).status === 0;
}

const noop = (i: number): Middleware => ({
  name: `noop-${i}`,
  request: (_ctx, next) => next(),
  attempt: (_ctx, next) => next(),
});

type Variant = 'direct' | 'gateway' | 'gateway+5mw';
interface Result {
  shape: string;
  variant: Variant;
  stats: ScenarioStats;
  ratios: { p50: number; p99: number; throughput: number };
  cpuOverheadMicros: number;
}
interface Shape {
  name: string;
  stream: boolean;
  concurrency: number;
  requests: number;
}

const shapes: Shape[] = [
  { name: 'non-stream, sequential', stream: false, concurrency: 1, requests: quick ? 300 : 800 },
  { name: 'non-stream, concurrency 64', stream: false, concurrency: 64, requests: quick ? 1000 : 2000 },
  { name: 'stream (50 chunks), sequential', stream: true, concurrency: 1, requests: quick ? 100 : 300 },
  { name: 'stream (50 chunks), concurrency 64', stream: true, concurrency: 64, requests: quick ? 500 : 1000 },
];

async function main(): Promise<void> {
  const overhead = only ? [] : await measureOverhead(quick);
  const routing = only ? [] : await measureRouting(quick);
  const sections: Section[] = [];
  if (!only) {
    const perCall = (label: string, title: string, note: string, rows: Array<{ case: string; microsPerCall: number }>, digits: number): Section => {
      for (const row of rows) process.stderr.write(`${label}: ${row.case.padEnd(52)} ${row.microsPerCall.toFixed(digits)} µs\n`);
      return { title, note, header: ['case', 'CPU µs per call'], rows: rows.map((r) => [r.case, r.microsPerCall.toFixed(digits)]) };
    };
    sections.push(perCall('cost', 'Cost accounting per call (in process)', 'Always on: every call prices each attempt once.', measureCost(quick), 3));
    sections.push(
      perCall('cache', 'Exact cache: gateway CPU per call (in process, no I/O)', 'A real miss also waits for the provider, which a hit saves entirely.', await measureCache(quick), 2),
    );
    sections.push(
      perCall(
        'governance',
        'Governance: gateway CPU per call (in process, in-memory store)',
        'Access rules, rate limits and budgets decided before the call and settled at its end; limits set high enough never to refuse.',
        await measureGovernance(quick),
        2,
      ),
    );
    sections.push(
      perCall(
        'guardrails',
        'Guardrails: gateway CPU per call (in process, no I/O)',
        'A 1 KB prompt and a 1 KB answer, or a clean stream of 100 chunks (10 characters each): per streamed chunk is the stream row less the bare stream, over 100.',
        await measureGuardrails(quick),
        2,
      ),
    );
    const detectors = await measureGuardrailDetectors();
    for (const row of detectors) process.stderr.write(`detectors: ${row.name.padEnd(28)} ${row.usPerKb.toFixed(1)} µs/KB  pending ${row.pendingNs.toFixed(0)} ns\n`);
    sections.push({
      title: 'Guardrail detectors (in process)',
      note: '`find` over the false-positive corpus (docs, source comments, look-alike paragraphs: dense with numbers, dates and code), and `pending` on the tail of a growing text, as each streamed chunk asks it.',
      header: ['detectors', 'µs per KB (find)', 'ns per pending'],
      rows: detectors.map((row) => [row.name, row.usPerKb.toFixed(1), row.pendingNs.toFixed(0)]),
    });
    const delays = await measureStreamDelay();
    for (const row of delays) process.stderr.write(`stream delay: ${row.case.padEnd(52)} max ${row.maxHeldChars} chars, mean ${row.meanHeldChars.toFixed(1)}, ${row.maxChunksLate} chunks late\n`);
    sections.push({
      title: 'Guardrails: how late a guarded stream arrives (chunk by chunk)',
      note: 'A 1 KB answer in 4-character chunks: after each chunk the caller gets, the characters the provider had sent that the caller has not yet received.',
      header: ['case', 'max chars held', 'mean chars held', 'max chunks late'],
      rows: delays.map((row) => [row.case, String(row.maxHeldChars), row.meanHeldChars.toFixed(1), String(row.maxChunksLate)]),
    });
    const telemetry = await measureTelemetry(quick);
    for (const row of telemetry) process.stderr.write(`telemetry: ${row.case.padEnd(60)} ${row.microsPerCall.toFixed(2)} µs\n`);
    sections.push({
      title: 'Telemetry and sinks: gateway CPU per call (in process, no I/O on the provider side)',
      note: 'OpenTelemetry off, on with no SDK registered, and with the SDK (spans through a batch processor to a no-op exporter, metrics to a reader nobody collects); "the SDK alone" is the same spans and metric records made directly, without the gateway. Sinks: every event to a batching sink or a JSONL file, the loop yielding to I/O every 50 calls.',
      header: ['case', 'CPU µs per call', 'added µs'],
      rows: (() => {
        const added = new Map(telemetryDeltas(telemetry).map((row) => [row.case, row.addedMicros]));
        return telemetry.map((row) => [row.case, row.microsPerCall.toFixed(2), added.has(row.case) ? (added.get(row.case) ?? 0).toFixed(2) : '']);
      })(),
    });
    const wrap = await measureWrap(quick);
    for (const row of wrap) process.stderr.write(`wrap: ${row.case.padEnd(60)} ${row.microsPerCall.toFixed(2)} µs\n`);
    const wrapAdded = wrapDeltas(wrap);
    sections.push({
      title: 'gateway.wrap(): CPU per call through a wrapped openai client (in process, no I/O)',
      note: `A scripted adapter answering at once; "added" is over the row above (the gateway over the adapter alone; the wrapper over the direct gateway call). ${wrapAdded.map((row) => `${row.shape}: the gateway adds ${row.gatewayOverheadMicros.toFixed(1)} µs, the wrapper ${row.wrapAddedMicros.toFixed(1)} µs`).join('; ')}.`,
      header: ['case', 'CPU µs per call'],
      rows: wrap.map((row) => [row.case, row.microsPerCall.toFixed(2)]),
    });
    const fetchBench = await measureFetch(quick);
    for (const row of fetchBench.cpu) process.stderr.write(`fetch: ${row.case.padEnd(60)} ${row.microsPerCall.toFixed(1)} µs\n`);
    sections.push({
      title: 'gateway.fetch: the openai SDK in-process vs over a localhost HTTP hop',
      note: 'The same gateway behind both: through `gateway.fetch` (no socket), and through a node:http server in the same process that calls the gateway (what a proxy on localhost costs). "SDK floor" is the SDK over a fetch returning the same bodies ready-made.',
      header: ['case', 'CPU µs per call', 'p50 µs'],
      rows: fetchBench.cpu.map((row) => [row.case, row.microsPerCall.toFixed(1), ((fetchBench.latency.find((item) => item.case === row.case)?.p50Ms ?? Number.NaN) * 1000).toFixed(0)]),
    });
    const audit = await measureAuditLog(quick);
    for (const row of audit) process.stderr.write(`audit log: ${row.name.padEnd(52)} ${row.value.toFixed(1)} ${row.unit}\n`);
    sections.push({
      title: 'Audit log (this machine\'s file system)',
      note: 'One HMAC-chained line per record (a 600-byte record); group commit batches the lines that arrive while a write and fdatasync are in flight.',
      header: ['measure', 'value', 'unit'],
      rows: audit.map((row) => [row.name, row.value.toFixed(1), row.unit]),
    });
    const matches = await ruleMatchBench();
    for (const row of matches) process.stderr.write(`rule matching: ${String(row.rules).padStart(5)} rules  ${row.nsPerMatch.toFixed(0)} ns per call\n`);
    sections.push({
      title: 'Rule matching (in process)',
      note: 'One `RuleSet.matching(call)` over rules of a governance config: per-principal and per-team rules (indexed) with globs, metadata and `not` rules (tested for every call).',
      header: ['rules', 'ns per call'],
      rows: matches.map((row) => [String(row.rules), row.nsPerMatch.toFixed(0)]),
    });
    const vectors = await measureVectorIndex(quick);
    for (const row of vectors) process.stderr.write(`vector index: ${String(row.entries).padStart(6)} entries  p50 ${row.p50Ms.toFixed(3)} ms  p99 ${row.p99Ms.toFixed(3)} ms  recall ${row.recall.toFixed(3)}\n`);
    sections.push({
      title: 'Semantic cache: vector search (in process)',
      note: 'Cosine search over stored entries, queried with near-duplicates of stored ones (as a cache is) and with uniformly random vectors; recall@1 against exact search over the same entries.',
      header: ['entries', 'dimensions', 'p50 ms', 'p99 ms', 'recall@1 (near)', 'recall@1 (random)', 'random p50 ms', 'build ms', 'bytes per entry'],
      rows: vectors.map((r) => [
        String(r.entries),
        String(r.dimensions),
        r.p50Ms.toFixed(3),
        r.p99Ms.toFixed(3),
        r.recall.toFixed(3),
        r.randomRecall.toFixed(3),
        r.randomP50Ms.toFixed(3),
        r.buildMs.toFixed(0),
        r.bytesPerEntry.toFixed(0),
      ]),
    });
  }
  for (const row of routing) process.stderr.write(`routing: ${String(row.targets).padStart(4)} targets  ${row.microsPerCall.toFixed(2)} µs/call\n`);
  for (const row of overhead) process.stderr.write(`overhead: ${row.case.padEnd(40)} +${row.overheadMicros.toFixed(2)} µs\n`);
  const upstream = await startUpstream();
  try {
    const client = new OpenAI({ apiKey: 'sk-bench', baseURL: upstream.baseURL, maxRetries: 0 });
    const bare = createGateway({ providers: { openai: openai({ client }) } });
    const stacked = createGateway({ providers: { openai: openai({ client }) }, middleware: [0, 1, 2, 3, 4].map(noop) });

    const tasks: Record<Variant, (stream: boolean) => () => Promise<void>> = {
      direct: (stream) =>
        stream
          ? async () => {
              for await (const _ of await client.chat.completions.create({ model: 'gpt-bench', messages, stream: true })) {
                // consume
              }
            }
          : async () => {
              await client.chat.completions.create({ model: 'gpt-bench', messages });
            },
      gateway: (stream) => gatewayTask(bare, stream),
      'gateway+5mw': (stream) => gatewayTask(stacked, stream),
    };

    const results: Result[] = [];
    for (const shape of shapes.filter((s) => !only || s.name.includes(only))) {
      const rounds: Record<Variant, ScenarioStats[]> = { direct: [], gateway: [], 'gateway+5mw': [] };
      for (const variant of Object.keys(tasks) as Variant[]) await measure(tasks[variant](shape.stream), 100, shape.concurrency); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        const order = (Object.keys(tasks) as Variant[]).sort(() => (round % 2 === 0 ? 1 : -1));
        for (const variant of order) rounds[variant].push(await measure(tasks[variant](shape.stream), shape.requests, shape.concurrency));
      }
      for (const variant of Object.keys(rounds) as Variant[]) {
        const list = rounds[variant];
        const stats: ScenarioStats = {
          requests: shape.requests * ROUNDS,
          p50Ms: median(list.map((s) => s.p50Ms)),
          p99Ms: median(list.map((s) => s.p99Ms)),
          requestsPerSecond: median(list.map((s) => s.requestsPerSecond)),
          cpuMicrosPerRequest: median(list.map((s) => s.cpuMicrosPerRequest)),
        };
        const ratio = (pick: (s: ScenarioStats) => number) => median(list.map((s, i) => pick(s) / pick(rounds.direct[i] as ScenarioStats)));
        const ratios = { p50: ratio((s) => s.p50Ms), p99: ratio((s) => s.p99Ms), throughput: ratio((s) => s.requestsPerSecond) };
        const cpuOverheadMicros = median(list.map((s, i) => s.cpuMicrosPerRequest - (rounds.direct[i] as ScenarioStats).cpuMicrosPerRequest));
        results.push({ shape: shape.name, variant, stats, ratios, cpuOverheadMicros });
        process.stderr.write(`${shape.name.padEnd(36)} ${variant.padEnd(12)} p50 x${ratios.p50.toFixed(3)}  cpu ${cpuOverheadMicros >= 0 ? '+' : ''}${cpuOverheadMicros.toFixed(1)} µs\n`);
      }
    }
    report(results, overhead, routing, sections);
  } finally {
    upstream.stop();
  }
}

function gatewayTask(gateway: ReturnType<typeof createGateway>, stream: boolean): () => Promise<void> {
  return stream
    ? async () => {
        for await (const _ of await gateway.chat.completions.create({ model: 'openai/gpt-bench', messages, stream: true })) {
          // consume
        }
      }
    : async () => {
        await gateway.chat.completions.create({ model: 'openai/gpt-bench', messages });
      };
}

/** A table of its own in the results: one feature's figures. */
interface Section {
  title: string;
  note?: string;
  header: string[];
  rows: string[][];
}

function sectionTable(section: Section): string[] {
  return [
    `## ${section.title}`,
    '',
    ...(section.note ? [section.note, ''] : []),
    `| ${section.header.join(' | ')} |`,
    `|${section.header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`,
    ...section.rows.map((row) => `| ${row.join(' | ')} |`),
    '',
  ];
}

function report(results: Result[], overhead: OverheadRow[], routing: RoutingRow[], sections: Section[]): void {
  const rows = results.map(({ shape, variant, stats, ratios, cpuOverheadMicros }) => ({
    shape,
    variant,
    ...stats,
    p50Ratio: ratios.p50,
    p99Ratio: ratios.p99,
    throughputRatio: ratios.throughput,
    cpuOverheadMicros,
  }));
  const out = resolve(here, 'results');
  mkdirSync(out, { recursive: true });
  const meta = { date: new Date().toISOString(), node: process.version, rounds: ROUNDS, quick, only: only ?? null, cpus: availableParallelism() };
  // Only a full run replaces the committed results; quick or partial runs go beside them.
  const name = quick || only ? 'partial' : 'latest';
  writeFileSync(resolve(out, `${name}.json`), JSON.stringify({ meta, overhead, routing, sections, rows }, null, 2) + '\n');
  const table = [
    '## The gateway\'s own CPU per call (in process, no I/O)',
    '',
    'Direct: the same adapter called on its own; for the SDK row, the direct `openai` SDK call.',
    '',
    '| case | direct µs | through the gateway µs | gateway overhead µs |',
    '|---|---:|---:|---:|',
    ...overhead.map((r) => `| ${r.case} | ${r.directMicros.toFixed(2)} | ${r.gatewayMicros.toFixed(2)} | ${r.overheadMicros.toFixed(2)} |`),
    '',
    '## Routing cost against the size of a weighted group (in process, no I/O)',
    '',
    '| targets in the group | CPU µs per call | over a direct target µs |',
    '|---:|---:|---:|',
    ...routing.map((r) => `| ${r.targets} | ${r.microsPerCall.toFixed(2)} | ${r.overDirectMicros.toFixed(2)} |`),
    '',
    ...sections.flatMap(sectionTable),
    '## Against the direct `openai` SDK call (mock upstream in another process)',
    '',
    `Node ${process.version}, ${ROUNDS} interleaved rounds${quick ? ' (quick)' : ''}; medians over rounds. Ratios and CPU differences are medians of per-round comparisons with the direct SDK call.`,
    '',
    '| scenario | variant | p50 ms | p99 ms | req/s | CPU µs/req | p50 vs direct | p99 vs direct | CPU µs vs direct |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.shape} | ${r.variant} | ${r.p50Ms.toFixed(3)} | ${r.p99Ms.toFixed(3)} | ${r.requestsPerSecond.toFixed(0)} | ${r.cpuMicrosPerRequest.toFixed(1)} | ${r.p50Ratio.toFixed(3)} | ${r.p99Ratio.toFixed(3)} | ${r.cpuOverheadMicros >= 0 ? '+' : ''}${r.cpuOverheadMicros.toFixed(1)} |`,
    ),
    '',
  ].join('\n');
  writeFileSync(resolve(out, `${name}.md`), table);
  process.stdout.write(`\n${table}`);
}

await main();
