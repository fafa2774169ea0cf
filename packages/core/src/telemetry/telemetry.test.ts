import { metrics, trace } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { afterEach, describe, expect, it } from 'vitest';
import { EventBus } from '../events/event-bus.js';
import type { CallRecord } from '../pipeline/call-record.js';
import { OtelHandles } from './otel-handles.js';
import { Telemetry } from './telemetry.js';

const deps = (events: EventBus) => ({ events, contentGuarded: () => true, redactAnswer: (_ctx: unknown, text: string) => text });

afterEach(() => {
  trace.disable();
  metrics.disable();
});

describe('OtelHandles', () => {
  it('finds no tracer and no meter while no SDK is registered, and the global ones once one is', () => {
    const handles = new OtelHandles(undefined, undefined);
    expect(handles.tracer()).toBeUndefined();
    expect(handles.instruments()).toBeUndefined();
    trace.setGlobalTracerProvider(new TracerProvider());
    metrics.setGlobalMeterProvider(new MeterProvider());
    expect(handles.tracer()).toBeDefined();
    const instruments = handles.instruments();
    expect(instruments).toBeDefined();
    // Made once per meter provider.
    expect(handles.instruments()).toBe(instruments);
    trace.disable();
    metrics.disable();
    expect(handles.tracer()).toBeUndefined();
    expect(handles.instruments()).toBeUndefined();
  });

  it('uses configured providers whatever is registered globally', () => {
    const handles = new OtelHandles(new TracerProvider(), new MeterProvider());
    expect(handles.tracer()).toBeDefined();
    expect(handles.instruments()).toBeDefined();
  });
});

describe('Telemetry.start', () => {
  it('with nothing recording, leaves the call unobserved and taps no event', () => {
    const events = new EventBus();
    const telemetry = new Telemetry(undefined, deps(events));
    const record = {} as CallRecord;
    telemetry.start(record);
    expect(record.observer).toBeUndefined();
    expect(events.wants('cache.miss')).toBe(false);
    expect(events.wants('attempt.retry')).toBe(false);
  });

  it('disabled, observes nothing even with a provider, and a reload that disables it stops its tap', () => {
    const events = new EventBus();
    const telemetry = new Telemetry({ enabled: false, meterProvider: new MeterProvider() }, deps(events));
    const record = {} as CallRecord;
    telemetry.start(record);
    expect(record.observer).toBeUndefined();
    telemetry.configure({ meterProvider: new MeterProvider() }, deps(events));
    const observed = { onEnd: () => undefined, operation: 'chat', route: 'r', stream: false, now: () => 0 } as unknown as CallRecord;
    telemetry.start(observed);
    expect(observed.observer).toBeDefined();
    expect(events.wants('cache.miss')).toBe(true);
    telemetry.configure({ enabled: false }, deps(events));
    expect(events.wants('cache.miss')).toBe(false);
  });
});
