/**
 * `pnpm example:observability`: OpenTelemetry spans and metrics, offline. The app registers the
 * OpenTelemetry SDK (tracer provider, meter provider, AsyncLocalStorage context manager) with
 * the SDK's console exporters, as an app would register an OTLP exporter; two mock OpenAI
 * servers answer. Three calls: one inside the app's own span, one streamed, and one that falls
 * back from a failing provider to the other. The console exporters print each span as it ends
 * and the metrics at the end; then the same is summed up as a span tree and one line per metric
 * series. See docs/observability.md.
 */
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, ConsoleMetricExporter, MeterProvider, MetricReader, type Histogram } from '@opentelemetry/sdk-metrics';
import { ConsoleSpanExporter, InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

/** A reader collected on demand (an app would use a PeriodicExportingMetricReader with an OTLP exporter). */
class OnDemandReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

// 1. The app's own OpenTelemetry setup. The context manager makes the caller's span the parent of the gateway's.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const resource = resourceFromAttributes({ 'service.name': 'example-app' });
const kept = new InMemorySpanExporter(); // for the summary at the end
const tracerProvider = new TracerProvider({
  resource,
  spanProcessors: [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() }), new SimpleSpanProcessor({ exporter: kept })],
});
trace.setGlobalTracerProvider(tracerProvider);
const metricReader = new OnDemandReader();
const meterProvider = new MeterProvider({ resource, readers: [metricReader] });

// 2. Two mock OpenAI-compatible providers behind one route: "primary" first, "backup" when it fails.
const primary = await startMockServer();
const backup = await startMockServer();
primary.setFallback({ content: 'OpenTelemetry is a standard for traces, metrics and logs.', usage: { input: 14, output: 11 } });
backup.setFallback({ content: 'The backup answers.', usage: { input: 14, output: 4 } });
const client = (url: string) => new OpenAI({ apiKey: 'sk-mock', baseURL: url, maxRetries: 0 });
const gateway = createGateway({
  providers: { primary: openai({ client: client(primary.baseURL) }), backup: openai({ client: client(backup.baseURL) }) },
  models: { fast: { fallback: ['primary/gpt-4.1-mini', 'backup/gpt-4.1-mini'] } },
  routing: { retry: false },
  // Spans go to the global tracer provider registered above; metrics to this meter provider.
  // Content capture is off by default: on here, so the request spans show the messages.
  telemetry: { meterProvider, captureContent: { maxChars: 1024 } },
});

// 3. A call inside the app's own span: the gateway's request span is its child, the attempt span its grandchild.
const tracer = trace.getTracer('example-app');
await tracer.startActiveSpan('handle /ask', async (span) => {
  const answer = await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'What is OpenTelemetry?' }], temperature: 0.2 }, { principal: { id: 'ana', teams: ['support'] } });
  console.log(`>>> answer: ${answer.choices[0]?.message.content}`);
  span.end();
});

// 4. A stream: its spans stay open while it is read, and end with it.
let streamed = '';
for await (const chunk of await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'Stream, please.' }], stream: true })) {
  streamed += chunk.choices[0]?.delta.content ?? '';
}
console.log(`>>> streamed: ${streamed}`);

// 5. A fallback: the primary answers 503, the backup serves. Two sibling attempt spans, the second with reason "fallback".
primary.enqueue({ kind: 'error', status: 503, message: 'overloaded' });
const { meta } = await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'And now?' }] }).withMeta();
console.log(`>>> fallback: served by ${meta.provider}/${meta.model} after ${meta.attempts} attempts`);

// 6. The metrics, collected once: the console exporter prints them, then the summary below.
await gateway.close(); // waits for calls in flight (streams included): every span has ended
const { resourceMetrics } = await metricReader.collect();
await new Promise<void>((resolve) => new ConsoleMetricExporter().export(resourceMetrics, () => resolve()));

// 7. The same, in short: each trace as a tree, and one line per metric series.
const spans = kept.getFinishedSpans();
const attribute = (span: ReadableSpan, ...names: string[]) => names.flatMap((name) => (span.attributes[name] === undefined ? [] : [`${name}=${JSON.stringify(span.attributes[name])}`]));
const describe = (span: ReadableSpan) =>
  [
    `${span.name} [${SpanKind[span.kind]}${span.status.code === SpanStatusCode.ERROR ? ', ERROR' : ''}]`,
    ...attribute(span, 'switchyard.attempt.reason', 'switchyard.provider', 'error.type', 'switchyard.outcome', 'gen_ai.usage.input_tokens', 'gen_ai.usage.output_tokens', 'switchyard.usage.input_tokens', 'switchyard.usage.output_tokens', 'gen_ai.request.stream', 'switchyard.principal.id'),
    ...span.events.map((event) => `event ${event.name}`),
  ].join(' ');
const printTree = (span: ReadableSpan, depth: number): void => {
  console.log(`${'  '.repeat(depth)}${depth === 0 ? '' : '└─ '}${describe(span)}`);
  const children = spans.filter((child) => child.parentSpanContext?.spanId === span.spanContext().spanId).sort((a, b) => Number(a.attributes['switchyard.attempt'] ?? 0) - Number(b.attributes['switchyard.attempt'] ?? 0));
  for (const child of children) printTree(child, depth + 1);
};
console.log('\n=== spans, as trees ===');
for (const root of spans.filter((span) => span.parentSpanContext === undefined)) printTree(root, 0);

console.log('\n=== metrics, one line per series ===');
for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
  for (const point of metric.dataPoints) {
    const value = point.value as number | Histogram;
    const shown = typeof value === 'number' ? String(Number(value.toPrecision(4))) : `count=${value.count} sum=${Number(value.sum?.toPrecision(4))}`;
    const labels = Object.entries(point.attributes)
      .map(([key, item]) => `${key}=${String(item)}`)
      .join(' ');
    console.log(`${metric.descriptor.name} (${metric.descriptor.unit}) ${shown}  ${labels}`);
  }
}

// 8. Shut the SDK down (flushing) and the mock servers: the process exits at once.
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), primary.close(), backup.close()]);
