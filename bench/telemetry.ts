/**
 * What telemetry and sinks cost in process: the gateway's CPU per call, non-stream and a stream
 * of 20 chunks, with telemetry disabled, on with no OpenTelemetry SDK registered (the default
 * for an app without one), and with the SDK (spans to a no-op exporter through a batch
 * processor, metrics to a reader nobody collects), without and with content capture; and per
 * call with a batching sink and a JSONL sink. No I/O on the provider side: it answers at once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, type TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { createBatchingSink, createGateway, createJsonlSink, type ChatCompletionChunk, type EventSink, type GatewayConfig, type ProviderAdapter } from '@switchyard/core';
import { chunksOf, completionOf } from '@switchyard/testing';
import { measureCases, type CaseRow } from './cpu-cases.js';

const CHUNKS = 20;
const pieces = Array.from({ length: CHUNKS }, (_, i) => `piece ${i} `);
const adapter: ProviderAdapter = {
  provider: 'openai',
  capabilities: { stream: true, tools: true, images: true, jsonSchema: true, embeddings: false, reasoning: false },
  chat: async () => completionOf('A short answer of a few words.', { prompt_tokens: 20, completion_tokens: 8 }),
  stream: async function* (): AsyncGenerator<ChatCompletionChunk> {
    yield* chunksOf(pieces);
  },
};
const messages = [{ role: 'user' as const, content: 'What is the capital of Norway?' }];

/** Accepts every span and does nothing with it: what the SDK costs without an exporter's own work. */
const noopExporter: SpanExporter = {
  export: (_spans: ReadableSpan[], done) => done({ code: 0 }),
  shutdown: async () => undefined,
};

class IdleReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export async function measureTelemetry(quick: boolean): Promise<CaseRow[]> {
  const n = quick ? 2000 : 8000;
  // An app with the SDK registers a context manager; with none registered the API's default does nothing.
  const manager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(manager);
  const tracerProvider: ApiTracerProvider = new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: noopExporter, maxQueueSize: 100_000, scheduledDelayMillis: 50 })] });
  const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
  const dir = mkdtempSync(join(tmpdir(), 'sy-bench-sinks-'));
  const sinks: EventSink[] = [];
  const gateway = (config: Partial<GatewayConfig> = {}) => createGateway({ providers: { p: adapter }, ...config });
  const disabled = gateway({ telemetry: { enabled: false } });
  const noSdk = gateway();
  const sdk = gateway({ telemetry: { tracerProvider, meterProvider } });
  const content = gateway({ telemetry: { tracerProvider, meterProvider, captureContent: true } });
  const batching = createBatchingSink({ name: 'bench', send: async () => undefined });
  const jsonl = createJsonlSink({ path: join(dir, 'usage.jsonl') });
  sinks.push(batching, jsonl);
  const withBatching = gateway({ telemetry: { enabled: false }, sinks: [batching] });
  const withJsonl = gateway({ telemetry: { enabled: false }, sinks: [jsonl] });
  const chat = (g: ReturnType<typeof gateway>) => () => g.chat.completions.create({ model: 'p/gpt-4.1-mini', messages });
  const stream = (g: ReturnType<typeof gateway>) => async () => {
    for await (const chunk of await g.chat.completions.create({ model: 'p/gpt-4.1-mini', messages, stream: true, stream_options: { include_usage: true } })) void chunk;
  };
  try {
    return await measureCases([
      { name: 'chat, telemetry disabled', calls: n, op: chat(disabled) },
      { name: 'chat, telemetry on, no SDK registered', calls: n, op: chat(noSdk) },
      { name: 'chat, SDK with a no-op exporter', calls: n, op: chat(sdk) },
      { name: 'chat, SDK, content captured', calls: n, op: chat(content) },
      { name: `stream of ${CHUNKS} chunks, telemetry disabled`, calls: n / 4, op: stream(disabled) },
      { name: `stream of ${CHUNKS} chunks, no SDK registered`, calls: n / 4, op: stream(noSdk) },
      { name: `stream of ${CHUNKS} chunks, SDK with a no-op exporter`, calls: n / 4, op: stream(sdk) },
      { name: `stream of ${CHUNKS} chunks, SDK, content captured`, calls: n / 4, op: stream(content) },
      { name: 'chat, a batching sink (send resolves at once)', calls: n, op: chat(withBatching) },
      { name: 'chat, a JSONL sink (every event to a file)', calls: n, op: chat(withJsonl) },
    ]);
  } finally {
    await Promise.all(sinks.map((sink) => sink.close()));
    await (tracerProvider as TracerProvider).shutdown();
    await meterProvider.shutdown();
    context.disable();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The added cost of each case over its baseline (telemetry disabled, same shape), in µs per call. */
export function telemetryDeltas(rows: readonly CaseRow[]): Array<{ case: string; addedMicros: number }> {
  const base = (name: string) => rows.find((row) => row.case === name)?.microsPerCall ?? Number.NaN;
  return rows
    .filter((row) => !row.case.includes('telemetry disabled'))
    .map((row) => ({ case: row.case, addedMicros: row.microsPerCall - base(row.case.startsWith('stream') ? `stream of ${CHUNKS} chunks, telemetry disabled` : 'chat, telemetry disabled') }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureTelemetry(process.argv.includes('--quick'));
  for (const row of rows) console.log(`${row.case.padEnd(52)} ${row.microsPerCall.toFixed(2)} µs`);
  for (const row of telemetryDeltas(rows)) console.log(`  added: ${row.case.padEnd(46)} ${row.addedMicros >= 0 ? '+' : ''}${row.addedMicros.toFixed(2)} µs${row.case.startsWith('stream') ? ` (${(row.addedMicros / CHUNKS).toFixed(2)} µs per chunk)` : ''}`);
}
