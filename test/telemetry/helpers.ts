import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { AggregationTemporality, MeterProvider, MetricReader, type DataPoint, type Histogram, type MetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';

/** Spans as the SDK exports them, kept in memory; the caller's context follows async calls. */
export function tracing() {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  /** The spans ended so far (the processor exports each asynchronously: flushed first). */
  const spans = async (): Promise<ReadableSpan[]> => {
    await tracerProvider.forceFlush();
    return exporter.getFinishedSpans();
  };
  return {
    tracerProvider,
    tracer: tracerProvider.getTracer('test'),
    spans,
    reset: () => exporter.reset(),
    named: async (name: string) => (await spans()).filter((span) => span.name === name),
  };
}

class CollectingReader extends MetricReader {
  constructor() {
    super({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  }
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

/** Metrics read on demand. */
export function metering() {
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const collect = async (): Promise<MetricData[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
  };
  return {
    meterProvider,
    collect,
    metric: async (name: string) => (await collect()).find((metric) => metric.descriptor.name === name),
    /** The data points of `name`, each with its attributes. */
    points: async (name: string) => ((await collect()).find((metric) => metric.descriptor.name === name)?.dataPoints ?? []) as Array<DataPoint<number | Histogram>>,
  };
}

export const childrenOf = (spans: readonly ReadableSpan[], parent: ReadableSpan) => spans.filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId);
