// The `telemetry` config: which OpenTelemetry providers to use and whether to record content.
import type { MeterProvider, TracerProvider } from '@opentelemetry/api';
import { z } from 'zod';

export const DEFAULT_CONTENT_MAX_CHARS = 8_192;

export interface TelemetryContentOptions {
  /** The most characters each recorded attribute (input messages, output messages) may hold; longer content is cut and marked (default 8 192). */
  maxChars?: number | undefined;
  /** `attributes` (default): `gen_ai.input.messages` and friends on the request span; `events`: on a `gen_ai.client.inference.operation.details` span event instead. */
  as?: 'attributes' | 'events' | undefined;
}

export interface TelemetryOptions {
  /** `false` turns spans and metrics off (default `true`: on whenever an OpenTelemetry SDK is registered, or a provider is given here). */
  enabled?: boolean | undefined;
  /** The tracer provider to use (default: the global one, `trace.getTracerProvider()`, as registered when each call starts). */
  tracerProvider?: TracerProvider | undefined;
  /** The meter provider to use (default: the global one, `metrics.getMeterProvider()`). */
  meterProvider?: MeterProvider | undefined;
  /**
   * Record what was sent and answered on the request span, after the guardrails' redaction
   * (default `false`: no content). `true` is `{ maxChars: 8192, as: 'attributes' }`.
   */
  captureContent?: boolean | TelemetryContentOptions | undefined;
  /** Add the principal's id and teams to spans (`switchyard.principal.id`, `switchyard.principal.teams`; default `true`). */
  principal?: boolean | undefined;
  /**
   * Record `gen_ai.client.operation.time_per_output_chunk` for every streamed chunk (default
   * `true`). Each record costs the SDK a few µs (it hashes the attributes each time): turn it off
   * for long, busy streams.
   */
  chunkTimings?: boolean | undefined;
}

const hasMethod = (name: string) => (value: unknown) => typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)[name] === 'function';

const contentShape = {
  maxChars: z.number().int().min(256, 'must be at least 256').max(1_048_576, 'must be at most 1 048 576').optional(),
  as: z.enum(['attributes', 'events']).optional(),
};

export const telemetryOptionsSchema = z
  .object({
    enabled: z.boolean().optional(),
    tracerProvider: z.custom<TracerProvider>(hasMethod('getTracer'), 'must be an OpenTelemetry TracerProvider (with getTracer)').optional(),
    meterProvider: z.custom<MeterProvider>(hasMethod('getMeter'), 'must be an OpenTelemetry MeterProvider (with getMeter)').optional(),
    captureContent: z.union([z.boolean(), z.object(contentShape).strict()], 'must be true, false or { maxChars?, as? }').optional(),
    principal: z.boolean().optional(),
    chunkTimings: z.boolean().optional(),
  })
  .strict();
