import { createGateway, ProviderError, type GatewayConfig } from '@switchyard/core';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { metering } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hello' }];
// The convention's boundaries (OpenTelemetry GenAI metrics), written out here rather than imported.
const TOKEN_BOUNDARIES = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const DURATION_BOUNDARIES = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];

function gatewayWith(config: Omit<GatewayConfig, 'telemetry'>) {
  const meters = metering();
  return { meters, gateway: createGateway({ ...config, telemetry: { meterProvider: meters.meterProvider } }) };
}

describe('GenAI client metrics', () => {
  it('token usage per attempt by token type, and the operation duration per call, with the convention’s buckets and attributes', async () => {
    const { gateway, meters } = gatewayWith({ providers: { main: scriptedAdapter({ provider: 'openai', chat: () => completionOf('hi', { prompt_tokens: 300, completion_tokens: 20 }) }) }, models: { fast: 'main/gpt-4.1-mini' } });
    await gateway.chat.completions.create({ model: 'fast', messages });
    await gateway.chat.completions.create({ model: 'fast', messages });
    const tokens = await meters.metric('gen_ai.client.token.usage');
    expect(tokens?.descriptor.unit).toBe('{token}');
    const points = tokens?.dataPoints ?? [];
    const byType = Object.fromEntries(points.map((point) => [point.attributes['gen_ai.token.type'], point.value as Histogram]));
    expect(byType.input).toMatchObject({ count: 2, sum: 600, buckets: { boundaries: TOKEN_BOUNDARIES } });
    expect(byType.output).toMatchObject({ count: 2, sum: 40 });
    expect(points[0]?.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'gpt-4.1-mini', 'gen_ai.response.model': 'scripted-model' });
    const duration = await meters.metric('gen_ai.client.operation.duration');
    expect(duration?.descriptor.unit).toBe('s');
    expect(duration?.dataPoints).toHaveLength(1);
    expect(duration?.dataPoints[0]?.attributes).toEqual({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'fast', 'gen_ai.provider.name': 'openai', 'gen_ai.response.model': 'scripted-model' });
    expect(duration?.dataPoints[0]?.value).toMatchObject({ count: 2, buckets: { boundaries: DURATION_BOUNDARIES } });
  });

  it('a failed call’s duration carries error.type', async () => {
    const { gateway, meters } = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => Promise.reject(new ProviderError('bad', { provider: 'main', model: 'm', status: 400, retryable: false })) }) } });
    await expect(gateway.chat.completions.create({ model: 'main/m', messages })).rejects.toBeInstanceOf(ProviderError);
    const [point] = await meters.points('gen_ai.client.operation.duration');
    expect(point?.attributes['error.type']).toBe('provider_error');
  });

  it('a model name that is no route is left off the duration, so that a typo makes no series of its own', async () => {
    const { gateway, meters } = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => completionOf('x') }) }, models: { fast: 'main/m' } });
    await expect(gateway.chat.completions.create({ model: 'fsat', messages })).rejects.toMatchObject({ code: 'unknown_model' });
    const [point] = await meters.points('gen_ai.client.operation.duration');
    expect(point?.attributes).toEqual({ 'gen_ai.operation.name': 'chat', 'error.type': 'unknown_model' });
  });

  it('streams: time to first chunk per call and time per output chunk between provider chunks', async () => {
    const { gateway, meters } = gatewayWith({ providers: { main: scriptedAdapter({ stream: async function* () { yield* chunksOf(['a', 'b', 'c']); } }) } });
    const stream = await gateway.chat.completions.create({ model: 'main/m', messages, stream: true });
    for await (const chunk of stream) void chunk;
    const [first] = await meters.points('gen_ai.client.operation.time_to_first_chunk');
    expect(first?.value).toMatchObject({ count: 1 });
    const [perChunk] = await meters.points('gen_ai.client.operation.time_per_output_chunk');
    // Five provider chunks (three pieces, the finish chunk, the usage chunk): four gaps.
    expect(perChunk?.value).toMatchObject({ count: 4, buckets: { boundaries: DURATION_BOUNDARIES } });
    // Off: no chunk timings, the rest as before.
    const quietMeters = metering();
    const quiet = createGateway({ providers: { main: scriptedAdapter({ stream: async function* () { yield* chunksOf(['a', 'b']); } }) }, telemetry: { meterProvider: quietMeters.meterProvider, chunkTimings: false } });
    for await (const chunk of await quiet.chat.completions.create({ model: 'main/m', messages, stream: true })) void chunk;
    expect(await quietMeters.points('gen_ai.client.operation.time_per_output_chunk')).toEqual([]);
    expect(await quietMeters.points('gen_ai.client.operation.time_to_first_chunk')).toHaveLength(1);
    // A call that is not a stream records neither.
    const plain = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => completionOf('x') }) } });
    await plain.gateway.chat.completions.create({ model: 'main/m', messages });
    expect(await plain.meters.points('gen_ai.client.operation.time_to_first_chunk')).toEqual([]);
    expect(await plain.meters.points('gen_ai.client.operation.time_per_output_chunk')).toEqual([]);
  });
});

describe('the gateway’s own counters', () => {
  it('counts retries and fallbacks with their error type, and cost in USD', async () => {
    let calls = 0;
    const { gateway, meters } = gatewayWith({
      providers: {
        a: scriptedAdapter({ provider: 'openai', chat: () => Promise.reject(new ProviderError('busy', { provider: 'a', model: 'm', status: 503, retryable: true })) }),
        b: scriptedAdapter({ provider: 'openai', chat: () => (calls++, completionOf('ok', { prompt_tokens: 1000, completion_tokens: 1000 })) }),
      },
      models: { smart: { fallback: ['a/gpt-4.1-mini', 'b/gpt-4.1-mini'] } },
      routing: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } },
    });
    await gateway.chat.completions.create({ model: 'smart', messages });
    expect(calls).toBe(1);
    const [retry] = await meters.points('switchyard.retries');
    expect(retry).toMatchObject({ value: 1, attributes: { 'switchyard.provider': 'a', 'error.type': 'provider_error' } });
    const [fallback] = await meters.points('switchyard.fallbacks');
    expect(fallback).toMatchObject({ value: 1, attributes: { 'switchyard.from': 'a/gpt-4.1-mini', 'switchyard.to': 'b/gpt-4.1-mini' } });
    const cost = await meters.points('switchyard.cost');
    expect(cost).toHaveLength(1);
    expect(cost[0]?.attributes).toMatchObject({ 'switchyard.provider': 'b', 'gen_ai.request.model': 'gpt-4.1-mini', 'switchyard.route': 'smart' });
    const { meta } = await gateway.chat.completions.create({ model: 'smart', messages }).withMeta();
    const [after] = await meters.points('switchyard.cost');
    expect(after?.value).toBeCloseTo(2 * (meta.cost?.usd ?? Number.NaN), 12);
  });

  it('counts cache lookups by hit, and what the hits saved', async () => {
    const { gateway, meters } = gatewayWith({ providers: { main: scriptedAdapter({ provider: 'openai', chat: () => completionOf('x', { prompt_tokens: 1000, completion_tokens: 100 }) }) }, cache: { exact: {} } });
    for (let i = 0; i < 3; i++) await gateway.chat.completions.create({ model: 'main/gpt-4.1-mini', messages });
    const lookups = Object.fromEntries((await meters.points('switchyard.cache.lookups')).map((point) => [String(point.attributes['switchyard.cache.hit']), point.value]));
    expect(lookups).toEqual({ false: 1, true: 2 });
    const [saved] = await meters.points('switchyard.cache.saved');
    expect(saved?.value).toBeGreaterThan(0);
  });

  it('counts governance rejections by kind and rule, and guardrail verdicts', async () => {
    const { gateway, meters } = gatewayWith({
      providers: { main: scriptedAdapter({ chat: () => completionOf('ok') }) },
      governance: { limits: [{ name: 'one-a-minute', requests: { perMinute: 1 } }] },
      guardrails: [{ name: 'flag-codenames', type: 'regex', on: 'input', action: 'flag', deny: [{ name: 'codename', pattern: /project-[a-z]+/ }] }],
    });
    await gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: 'project-x' }] });
    await expect(gateway.chat.completions.create({ model: 'main/m', messages })).rejects.toMatchObject({ code: 'rate_limited' });
    const [rejection] = await meters.points('switchyard.governance.rejections');
    expect(rejection).toMatchObject({ value: 1, attributes: { 'switchyard.kind': 'limit', 'switchyard.rule': 'one-a-minute' } });
    const [verdict] = await meters.points('switchyard.guardrail.verdicts');
    expect(verdict).toMatchObject({ value: 1, attributes: { 'switchyard.guardrail': 'flag-codenames', 'switchyard.verdict': 'flag', 'switchyard.phase': 'input' } });
  });

  it('counts circuit breaker transitions by deployment and state', async () => {
    const { gateway, meters } = gatewayWith({
      providers: { main: scriptedAdapter({ chat: () => Promise.reject(new ProviderError('down', { provider: 'main', model: 'm', status: 503, retryable: true })) }) },
      routing: { retry: false, breaker: { failureRateThreshold: 0.5, minimumRequests: 1, cooldownMs: 60_000 } },
    });
    await expect(gateway.chat.completions.create({ model: 'main/m', messages })).rejects.toBeInstanceOf(ProviderError);
    const [open] = await meters.points('switchyard.breaker.transitions');
    expect(open).toMatchObject({ value: 1, attributes: { 'switchyard.deployment': 'main/m', 'switchyard.breaker.state': 'open' } });
  });
});
