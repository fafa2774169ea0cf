import { metrics, trace } from '@opentelemetry/api';
import { createGateway } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { metering, tracing } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hello' }];

afterEach(() => {
  trace.disable();
  metrics.disable();
});

describe('the global OpenTelemetry SDK', () => {
  it('is picked up when it is registered after the gateway was made, and let go when it is disabled', async () => {
    const otel = tracing();
    const meters = metering();
    const gateway = createGateway({ providers: { main: scriptedAdapter({ chat: () => completionOf('ok') }) } });
    await gateway.chat.completions.create({ model: 'main/m', messages });
    trace.setGlobalTracerProvider(otel.tracerProvider);
    metrics.setGlobalMeterProvider(meters.meterProvider);
    await gateway.chat.completions.create({ model: 'main/m', messages });
    expect((await otel.spans()).map((span) => span.name)).toEqual(['chat m', 'chat main/m']);
    const [duration] = await meters.points('gen_ai.client.operation.duration');
    expect(duration?.value).toMatchObject({ count: 1 });
    trace.disable();
    metrics.disable();
    await gateway.chat.completions.create({ model: 'main/m', messages });
    expect(await otel.spans()).toHaveLength(2);
    expect((await meters.points('gen_ai.client.operation.duration'))[0]?.value).toMatchObject({ count: 1 });
  });
});
