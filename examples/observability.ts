/**
 * `pnpm example:observability`: OpenTelemetry spans and metrics, offline. The app registers the
 * OpenTelemetry SDK with its console exporters (as an app would register an OTLP exporter); two
 * mock providers answer. One call is made inside the app's own span, one is streamed, and one
 * falls back from a failing provider to the other: each is a request span with its attempt
 * spans under it, and the GenAI metrics and the gateway's counters are printed at the end.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { AggregationTemporality, ConsoleMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { ConsoleSpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

// 1. The app's own OpenTelemetry setup: the context manager makes the caller's span the parent.
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const resource = resourceFromAttributes({ 'service.name': 'example-app' });
const tracerProvider = new TracerProvider({ resource, spanProcessors: [new SimpleSpanProcessor({ exporter: new ConsoleSpanExporter() })] });
trace.setGlobalTracerProvider(tracerProvider);
const metricReader = new PeriodicExportingMetricReader({ exporter: new ConsoleMetricExporter({ temporalitySelector: () => AggregationTemporality.CUMULATIVE }), exportIntervalMillis: 60_000 });
const meterProvider = new MeterProvider({ resource, readers: [metricReader] });

// 2. Two mock OpenAI-compatible providers: "primary" fails with a 503 when told to.
const primary = await startMockServer();
const backup = await startMockServer();
const client = (url: string) => new OpenAI({ apiKey: 'sk-mock', baseURL: url, maxRetries: 0 });
const gateway = createGateway({
  providers: { primary: openai({ client: client(primary.baseURL) }), backup: openai({ client: client(backup.baseURL) }) },
  models: { fast: { fallback: ['primary/gpt-4.1-mini', 'backup/gpt-4.1-mini'] } },
  routing: { retry: false },
  // Spans use the global tracer provider registered above; metrics use this meter provider.
  telemetry: { meterProvider, captureContent: { maxChars: 1024 } },
});

// 3. A call inside the app's own span: the gateway's request span is its child.
const tracer = trace.getTracer('example-app');
await tracer.startActiveSpan('handle /ask', async (span) => {
  const answer = await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'What is OpenTelemetry?' }], temperature: 0.2 });
  console.log(`answer: ${answer.choices[0]?.message.content}`);
  span.end();
});

// 4. A stream: its spans end when the stream does.
let streamed = '';
for await (const chunk of await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'Stream, please.' }], stream: true })) {
  streamed += chunk.choices[0]?.delta.content ?? '';
}
console.log(`streamed: ${streamed}`);

// 5. A fallback: the primary answers 503, the backup serves; two attempt spans, the second with reason "fallback".
primary.enqueue({ kind: 'error', status: 503, message: 'overloaded' });
const { meta } = await gateway.chat.completions.create({ model: 'fast', messages: [{ role: 'user', content: 'And now?' }] }).withMeta();
console.log(`fallback: served by ${meta.provider}/${meta.model} after ${meta.attempts} attempts`);

// 6. Flush: the spans were printed as they ended; the metrics print now.
await metricReader.forceFlush();
await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown(), primary.close(), backup.close()]);
