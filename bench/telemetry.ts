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
import { context, SpanKind, trace, type TracerProvider as ApiTracerProvider } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace';
import { createBatchingSink, createGateway, createJsonlSink, type EventSink, type GatewayConfig } from '@switchyard/core';
import { measureCases, type CaseRow } from './cpu-cases.js';
import { benchMessages, CHUNKS, instantAdapter } from './instant-adapter.js';

const adapter = instantAdapter;
const messages = benchMessages;

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
  const noChunkTimings = gateway({ telemetry: { tracerProvider, meterProvider, chunkTimings: false } });
  const batching = createBatchingSink({ name: 'bench', send: async () => undefined });
  const jsonl = createJsonlSink({ path: join(dir, 'usage.jsonl') });
  sinks.push(batching, jsonl);
  const withBatching = gateway({ telemetry: { enabled: false }, sinks: [batching] });
  const withJsonl = gateway({ telemetry: { enabled: false }, sinks: [jsonl] });
  const chat = (g: ReturnType<typeof gateway>) => () => g.chat.completions.create({ model: 'p/gpt-4.1-mini', messages });
  // A sink's file and timers need the event loop: the loop yields to I/O every 50 calls, as a server's would between requests.
  const chatYielding = (g: ReturnType<typeof gateway>) => async (i: number) => {
    if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
    return g.chat.completions.create({ model: 'p/gpt-4.1-mini', messages });
  };
  const sdkFloor = sdkWorkOf(tracerProvider, meterProvider);
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
      { name: `stream of ${CHUNKS} chunks, SDK, chunkTimings off`, calls: n / 4, op: stream(noChunkTimings) },
      { name: 'the SDK alone: the same spans and metric records, made directly', calls: n, op: sdkFloor },
      { name: 'chat, no sink (yielding to I/O every 50 calls)', calls: n, op: chatYielding(disabled) },
      { name: 'chat, a batching sink (send resolves at once)', calls: n, op: chatYielding(withBatching) },
      { name: 'chat, a JSONL sink (every event to a file)', calls: n, op: chatYielding(withJsonl) },
    ]);
  } finally {
    await Promise.all(sinks.map((sink) => sink.close()));
    await (tracerProvider as TracerProvider).shutdown();
    await meterProvider.shutdown();
    context.disable();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * What the SDK itself does for one non-stream call through the gateway, made directly: a request
 * span and an attempt span under it (their start and end attributes, two `context.with`), four
 * histogram records and a counter add with the same attributes. Telemetry's own cost is what the
 * gateway adds beyond this.
 */
function sdkWorkOf(tracerProvider: ApiTracerProvider, meterProvider: MeterProvider): () => Promise<void> {
  const tracer = tracerProvider.getTracer('bench');
  const meter = meterProvider.getMeter('bench');
  const tokens = meter.createHistogram('bench.tokens', { advice: { explicitBucketBoundaries: [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] } });
  const duration = meter.createHistogram('bench.duration', { unit: 's' });
  const cost = meter.createCounter('bench.cost');
  const sampled = { 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1-mini' };
  const end = (i: number) => ({ 'switchyard.outcome': 'success', 'gen_ai.response.id': `chatcmpl-${i}`, 'gen_ai.response.model': 'scripted-model', 'gen_ai.response.finish_reasons': ['stop'], 'gen_ai.usage.input_tokens': 20, 'gen_ai.usage.output_tokens': 8, 'switchyard.cost.usd': 0.0001, 'switchyard.provider': 'p', 'switchyard.attempt': 1, 'switchyard.attempt.reason': 'first' });
  let i = 0;
  return async () => {
    i++;
    const request = tracer.startSpan('chat p/gpt-4.1-mini', { attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'p/gpt-4.1-mini' } });
    const inRequest = trace.setSpan(context.active(), request);
    await context.with(inRequest, async () => {
      const attempt = tracer.startSpan('chat gpt-4.1-mini', { kind: SpanKind.CLIENT, attributes: sampled }, inRequest);
      await context.with(trace.setSpan(inRequest, attempt), async () => undefined);
      tokens.record(20, { ...sampled, 'gen_ai.response.model': 'scripted-model', 'gen_ai.token.type': 'input' });
      tokens.record(8, { ...sampled, 'gen_ai.response.model': 'scripted-model', 'gen_ai.token.type': 'output' });
      cost.add(0.0001, { ...sampled, 'gen_ai.response.model': 'scripted-model', 'switchyard.provider': 'p', 'switchyard.route': 'p/gpt-4.1-mini' });
      attempt.setAttributes(end(i));
      attempt.end();
    });
    duration.record(0.001, { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'p/gpt-4.1-mini', 'gen_ai.provider.name': 'openai', 'gen_ai.response.model': 'scripted-model' });
    request.setAttributes({ ...end(i), 'switchyard.route': 'p/gpt-4.1-mini', 'switchyard.request.id': `id-${i}`, 'switchyard.attempts': 1, 'switchyard.served': 'provider', 'switchyard.model': 'gpt-4.1-mini', 'switchyard.cache.hit': false, 'switchyard.route.strategy': 'target' });
    request.end();
  };
}

/** The added cost of each case over its baseline (telemetry disabled, same shape), in µs per call. */
export function telemetryDeltas(rows: readonly CaseRow[]): Array<{ case: string; addedMicros: number }> {
  const base = (name: string) => rows.find((row) => row.case === name)?.microsPerCall ?? Number.NaN;
  const baseline = (name: string) =>
    name.startsWith('stream') ? `stream of ${CHUNKS} chunks, telemetry disabled` : name.includes('sink') ? 'chat, no sink (yielding to I/O every 50 calls)' : name.startsWith('the SDK alone') ? '' : 'chat, telemetry disabled';
  return rows
    .filter((row) => !row.case.includes('telemetry disabled') && !row.case.startsWith('chat, no sink'))
    .map((row) => ({ case: row.case, addedMicros: baseline(row.case) === '' ? row.microsPerCall : row.microsPerCall - base(baseline(row.case)) }));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const rows = await measureTelemetry(process.argv.includes('--quick'));
  for (const row of rows) console.log(`${row.case.padEnd(52)} ${row.microsPerCall.toFixed(2)} µs`);
  for (const row of telemetryDeltas(rows)) console.log(`  added: ${row.case.padEnd(46)} ${row.addedMicros >= 0 ? '+' : ''}${row.addedMicros.toFixed(2)} µs${row.case.startsWith('stream') ? ` (${(row.addedMicros / CHUNKS).toFixed(2)} µs per chunk)` : ''}`);
}
