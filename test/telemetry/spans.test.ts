import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createGateway, GuardrailBlockedError, ProviderError, type GatewayConfig } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { childrenOf, tracing } from './helpers.js';

const otel = tracing();
const messages = [{ role: 'user' as const, content: 'hello' }];
const busy = () => new ProviderError('busy', { provider: 'main', model: 'm', status: 503, retryable: true });

function gatewayWith(config: Omit<GatewayConfig, 'telemetry'> & { telemetry?: GatewayConfig['telemetry'] }) {
  otel.reset();
  return createGateway({ ...config, telemetry: { tracerProvider: otel.tracerProvider, ...config.telemetry } });
}

/** The request span of the only call made, and its attempt spans in order. */
async function callSpans() {
  const spans = await otel.spans();
  const requests = spans.filter((span) => span.attributes['switchyard.route'] !== undefined);
  expect(requests).toHaveLength(1);
  const request = requests[0] as ReadableSpan;
  const attempts = childrenOf(spans, request).sort((a, b) => Number(a.attributes['switchyard.attempt']) - Number(b.attributes['switchyard.attempt']));
  return { request, attempts };
}

describe('request and attempt spans', () => {
  it('a call is a request span under the caller’s span, with one attempt span per try', async () => {
    const adapter = scriptedAdapter({ provider: 'openai', chat: () => completionOf('hi', { prompt_tokens: 12, completion_tokens: 5 }) });
    const gateway = gatewayWith({ providers: { main: adapter }, models: { fast: 'main/gpt-4.1-mini' } });
    await otel.tracer.startActiveSpan('caller', async (span) => {
      await gateway.chat.completions.create({ model: 'fast', messages, temperature: 0.2, max_tokens: 50, stop: 'END', seed: 7 }, { principal: { id: 'u1', teams: ['search'] }, tags: ['beta'] });
      span.end();
    });
    const spans = await otel.spans();
    const caller = spans.find((span) => span.name === 'caller') as ReadableSpan;
    const [request, ...others] = childrenOf(spans, caller);
    expect(others).toEqual([]);
    expect(request?.name).toBe('chat fast');
    expect(request?.kind).toBe(SpanKind.INTERNAL);
    const attempts = childrenOf(spans, request as ReadableSpan);
    expect(attempts.map((span) => [span.name, span.kind])).toEqual([['chat gpt-4.1-mini', SpanKind.CLIENT]]);
    expect(attempts[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.max_tokens': 50,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.seed': 7,
      'gen_ai.response.model': 'scripted-model',
      'gen_ai.response.id': 'chatcmpl-scripted',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 5,
      'switchyard.provider': 'main',
      'switchyard.attempt': 1,
      'switchyard.attempt.reason': 'first',
      'switchyard.outcome': 'success',
    });
    expect(request?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'fast',
      'gen_ai.provider.name': 'openai',
      'gen_ai.response.model': 'scripted-model',
      'gen_ai.response.finish_reasons': ['stop'],
      'switchyard.route': 'fast',
      'switchyard.route.strategy': 'target',
      'switchyard.outcome': 'success',
      'switchyard.served': 'provider',
      'switchyard.attempts': 1,
      'switchyard.provider': 'main',
      'switchyard.model': 'gpt-4.1-mini',
      'switchyard.cache.hit': false,
      'switchyard.principal.id': 'u1',
      'switchyard.principal.teams': ['search'],
      'switchyard.tags': ['beta'],
      'switchyard.usage.input_tokens': 12,
      'switchyard.usage.output_tokens': 5,
    });
    // Tokens are the attempts' (what a backend sums); the request span keeps them under its own names.
    expect(request?.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(request?.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempts[0]?.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('sets what a sampler needs when the span starts', async () => {
    const seen: Array<{ name: string; attributes: Record<string, unknown> }> = [];
    const { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace');
    const sampler = {
      shouldSample: (_context: unknown, _trace: string, name: string, _kind: unknown, attributes: Record<string, unknown>) => {
        seen.push({ name, attributes: { ...attributes } });
        return { decision: 1 };
      },
      toString: () => 'recording',
    };
    const tracerProvider = new TracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() })] });
    const adapter = { ...scriptedAdapter({ provider: 'anthropic', chat: () => completionOf('hi') }), endpoint: { address: 'api.anthropic.com', port: 443 } };
    const gateway = createGateway({ providers: { main: adapter }, telemetry: { tracerProvider } });
    await gateway.chat.completions.create({ model: 'main/claude-sonnet-4-5', messages, temperature: 0.5 });
    expect(seen.map((span) => span.name)).toEqual(['chat main/claude-sonnet-4-5', 'chat claude-sonnet-4-5']);
    // The convention's sampling attributes: the operation, the provider, the model (and the server, when the adapter knows it).
    expect(seen[0]?.attributes).toEqual({ 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'main/claude-sonnet-4-5' });
    expect(seen[1]?.attributes).toEqual({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'anthropic', 'gen_ai.request.model': 'claude-sonnet-4-5', 'server.address': 'api.anthropic.com', 'server.port': 443 });
  });

  it('a retry is a sibling attempt span with its reason, the failed one an error', async () => {
    let calls = 0;
    const adapter = scriptedAdapter({ chat: () => (++calls === 1 ? Promise.reject(busy()) : completionOf('ok')) });
    const gateway = gatewayWith({ providers: { main: adapter }, routing: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } } });
    await gateway.chat.completions.create({ model: 'main/m', messages });
    const { request, attempts } = await callSpans();
    expect(attempts.map((span) => span.attributes['switchyard.attempt.reason'])).toEqual(['first', 'retry']);
    expect(attempts[0]?.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempts[0]?.attributes).toMatchObject({ 'error.type': 'provider_error', 'switchyard.outcome': 'error' });
    expect(attempts[1]?.attributes['switchyard.attempt.previous_error']).toBe('provider_error');
    expect(attempts[1]?.status.code).toBe(SpanStatusCode.UNSET);
    expect(request.status.code).toBe(SpanStatusCode.UNSET);
    expect(request.attributes['switchyard.attempts']).toBe(2);
    expect(request.events.map((event) => event.name)).toEqual(['switchyard.retry']);
    expect(request.events[0]?.attributes).toMatchObject({ 'switchyard.attempt': 1, 'error.type': 'provider_error' });
  });

  it('a fallback is the next target’s attempt span, with the reason and the failure it follows', async () => {
    const gateway = gatewayWith({
      providers: { a: scriptedAdapter({ provider: 'openai', chat: () => Promise.reject(busy()) }), b: scriptedAdapter({ provider: 'google', chat: () => completionOf('ok') }) },
      models: { smart: { fallback: ['a/gpt-4.1', 'b/gemini-2.5-pro'] } },
      routing: { retry: false },
    });
    await gateway.chat.completions.create({ model: 'smart', messages });
    const { request, attempts } = await callSpans();
    expect(attempts.map((span) => [span.name, span.attributes['gen_ai.provider.name'], span.attributes['switchyard.attempt.reason']])).toEqual([
      ['chat gpt-4.1', 'openai', 'first'],
      ['chat gemini-2.5-pro', 'gcp.gemini', 'fallback'],
    ]);
    expect(request.attributes).toMatchObject({ 'switchyard.route.strategy': 'fallback', 'gen_ai.provider.name': 'gcp.gemini', 'switchyard.provider': 'b' });
    expect(request.events.map((event) => [event.name, event.attributes?.['switchyard.from'], event.attributes?.['switchyard.to']])).toEqual([['switchyard.fallback', 'a/gpt-4.1', 'b/gemini-2.5-pro']]);
  });

  it('a stream’s spans end when the stream ends, with what its chunks said', async () => {
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ stream: async function* () { yield* chunksOf(['Hel', 'lo']); } }) } });
    const stream = await gateway.chat.completions.create({ model: 'main/m', messages, stream: true, stream_options: { include_usage: true } });
    expect(await otel.spans()).toEqual([]);
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('Hello');
    const { request, attempts } = await callSpans();
    expect(attempts[0]?.attributes).toMatchObject({ 'gen_ai.response.id': 'chatcmpl-scripted', 'gen_ai.response.model': 'scripted-model', 'gen_ai.response.finish_reasons': ['stop'], 'gen_ai.usage.output_tokens': 2, 'switchyard.outcome': 'success' });
    expect(request.attributes).toMatchObject({ 'gen_ai.request.stream': true, 'switchyard.outcome': 'success', 'gen_ai.response.finish_reasons': ['stop'] });
    expect(typeof request.attributes['gen_ai.response.time_to_first_chunk']).toBe('number');
    expect(request.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('an abandoned stream ends its spans when the consumer leaves, not as an error', async () => {
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ stream: async function* () { yield* chunksOf(['a', 'b', 'c']); } }) } });
    const stream = await gateway.chat.completions.create({ model: 'main/m', messages, stream: true });
    for await (const chunk of stream) {
      void chunk;
      break;
    }
    const { request, attempts } = await callSpans();
    expect(request.attributes).toMatchObject({ 'switchyard.outcome': 'abandoned', 'switchyard.abandoned': 'returned' });
    expect(request.status.code).toBe(SpanStatusCode.UNSET);
    expect(attempts[0]?.attributes['switchyard.outcome']).toBe('abandoned');
    expect(attempts[0]?.attributes['gen_ai.response.finish_reasons']).toBeUndefined();
  });

  it('an abort is an error with error.type aborted on both spans', async () => {
    const controller = new AbortController();
    const adapter = scriptedAdapter({
      chat: (_request, call) =>
        new Promise((_resolve, reject) => {
          call.signal?.addEventListener('abort', () => reject(call.signal?.reason));
          controller.abort();
        }),
    });
    const gateway = gatewayWith({ providers: { main: adapter } });
    await expect(gateway.chat.completions.create({ model: 'main/m', messages }, { signal: controller.signal })).rejects.toMatchObject({ code: 'aborted' });
    const { request, attempts } = await callSpans();
    for (const span of [request, attempts[0]]) {
      expect(span?.status.code).toBe(SpanStatusCode.ERROR);
      expect(span?.attributes['error.type']).toBe('aborted');
    }
    expect(request.attributes['switchyard.outcome']).toBe('aborted');
  });

  it('a guardrail block ends the request span as an error before any attempt, with the verdict as an event', async () => {
    const gateway = gatewayWith({
      providers: { main: scriptedAdapter({ chat: () => completionOf('never') }) },
      guardrails: [{ name: 'no-codenames', type: 'regex', on: 'input', deny: [{ name: 'codename', pattern: /\bproject-[a-z]+\b/ }] }],
    });
    await expect(gateway.chat.completions.create({ model: 'main/m', messages: [{ role: 'user', content: 'tell me about project-zephyr' }] })).rejects.toBeInstanceOf(GuardrailBlockedError);
    const { request, attempts } = await callSpans();
    expect(attempts).toEqual([]);
    expect(request.status).toMatchObject({ code: SpanStatusCode.ERROR });
    expect(request.attributes).toMatchObject({ 'error.type': 'guardrail_blocked', 'switchyard.outcome': 'error', 'switchyard.attempts': 0, 'switchyard.guardrails': ['no-codenames'] });
    expect(request.events.map((event) => [event.name, event.attributes?.['switchyard.guardrail'], event.attributes?.['switchyard.verdict']])).toEqual([['switchyard.guardrail.verdict', 'no-codenames', 'block']]);
    // The error status says what happened, never the text.
    expect(request.status.message).not.toContain('zephyr');
  });

  it('a cache hit is a request span with no attempt, marked as a hit with what it saved', async () => {
    const gateway = gatewayWith({
      providers: { main: scriptedAdapter({ provider: 'openai', chat: () => completionOf('cached', { prompt_tokens: 1000, completion_tokens: 500 }) }) },
      cache: { exact: {} },
    });
    await gateway.chat.completions.create({ model: 'main/gpt-4.1-mini', messages });
    await gateway.chat.completions.create({ model: 'main/gpt-4.1-mini', messages });
    const spans = await otel.spans();
    const requests = spans.filter((span) => span.attributes['switchyard.route'] !== undefined);
    expect(requests.map((span) => span.attributes['switchyard.cache.hit'])).toEqual([false, true]);
    const hit = requests[1] as ReadableSpan;
    expect(childrenOf(spans, hit)).toEqual([]);
    expect(hit.attributes).toMatchObject({ 'switchyard.served': 'middleware', 'switchyard.cache.name': 'exact', 'switchyard.cost.usd': 0 });
    expect(hit.attributes['switchyard.cache.saved_usd']).toBeGreaterThan(0);
    expect(hit.events.map((event) => event.name)).toEqual(['switchyard.cache.hit']);
  });

  it('a provider error ends both spans as errors with the error’s type', async () => {
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => Promise.reject(new ProviderError('bad request', { provider: 'main', model: 'm', status: 400, retryable: false })) }) } });
    await expect(gateway.chat.completions.create({ model: 'main/m', messages })).rejects.toBeInstanceOf(ProviderError);
    const { request, attempts } = await callSpans();
    expect(attempts).toHaveLength(1);
    for (const span of [request, attempts[0]]) expect(span).toMatchObject({ status: { code: SpanStatusCode.ERROR }, attributes: { 'error.type': 'provider_error' } });
  });

  it('an invalid request is a request span with the validation error and no attempt', async () => {
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => completionOf('never') }) } });
    await expect(gateway.chat.completions.create({ model: 'main/m', messages: 'not a list' } as never)).rejects.toMatchObject({ code: 'invalid_request' });
    const { request, attempts } = await callSpans();
    expect(attempts).toEqual([]);
    expect(request.attributes).toMatchObject({ 'error.type': 'invalid_request', 'switchyard.attempts': 0 });
  });

  it('embeddings are an `embeddings` span with the dimension count asked for', async () => {
    const gateway = gatewayWith({
      providers: { main: scriptedAdapter({ embed: () => ({ object: 'list', model: 'text-embedding-3-small', data: [{ object: 'embedding', index: 0, embedding: [0.1, 0.2] }], usage: { prompt_tokens: 4, total_tokens: 4 } }) }) },
    });
    await gateway.embeddings.create({ model: 'main/text-embedding-3-small', input: 'hello', dimensions: 2, encoding_format: 'float' });
    const { request, attempts } = await callSpans();
    expect(request.name).toBe('embeddings main/text-embedding-3-small');
    expect(attempts[0]?.attributes).toMatchObject({ 'gen_ai.operation.name': 'embeddings', 'gen_ai.embeddings.dimension.count': 2, 'gen_ai.request.encoding_formats': ['float'], 'gen_ai.response.model': 'text-embedding-3-small', 'gen_ai.usage.input_tokens': 4 });
  });

  it('a call the sampler drops still works, streams included, and exports no span', async () => {
    const { TracerProvider, InMemorySpanExporter, SimpleSpanProcessor, AlwaysOffSampler } = await import('@opentelemetry/sdk-trace');
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new TracerProvider({ sampler: new AlwaysOffSampler(), spanProcessors: [new SimpleSpanProcessor({ exporter })] });
    const gateway = createGateway({ providers: { main: scriptedAdapter({ stream: async function* () { yield* chunksOf(['a', 'b']); } }) }, telemetry: { tracerProvider } });
    const stream = await gateway.chat.completions.create({ model: 'main/m', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('ab');
    await tracerProvider.forceFlush();
    expect(exporter.getFinishedSpans()).toEqual([]);
  });

  it('a call made inside a call (an LLM judge) is a child of the call’s request span', async () => {
    const gateway = gatewayWith({
      providers: { main: scriptedAdapter({ chat: (request) => completionOf(request.params.model === 'judge-model' ? 'NO' : 'answer') }) },
      models: { judge: 'main/judge-model' },
      guardrails: [
        {
          name: 'judge',
          type: 'custom',
          on: 'input',
          validate: async ({ complete }) => {
            const verdict = await complete({ model: 'judge', messages: [{ role: 'user', content: 'on topic?' }] });
            return { action: verdict.choices[0]?.message.content === 'NO' ? 'pass' : 'block' };
          },
        },
      ],
    });
    await gateway.chat.completions.create({ model: 'main/m', messages });
    const spans = await otel.spans();
    const outer = spans.find((span) => span.name === 'chat main/m') as ReadableSpan;
    expect(childrenOf(spans, outer).map((span) => span.name).sort()).toEqual(['chat judge', 'chat m']);
    const judge = spans.find((span) => span.name === 'chat judge') as ReadableSpan;
    expect(childrenOf(spans, judge).map((span) => span.name)).toEqual(['chat judge-model']);
  });

  it('a call in flight when a reload disables telemetry keeps its span events, and the next call records nothing', async () => {
    let fail: (error: Error) => void = () => undefined;
    const providers = {
      a: scriptedAdapter({ chat: () => new Promise<never>((_resolve, reject) => (fail = reject)) }),
      b: scriptedAdapter({ chat: () => completionOf('ok') }),
    };
    const config = { providers, models: { smart: { fallback: ['a/m', 'b/m'] } }, routing: { retry: false as const } };
    const gateway = gatewayWith(config);
    const call = gateway.chat.completions.create({ model: 'smart', messages });
    await new Promise((resolve) => setImmediate(resolve));
    gateway.reload({ ...config, telemetry: { enabled: false } });
    fail(busy());
    await call;
    const { request } = await callSpans();
    expect(request.events.map((event) => event.name)).toEqual(['switchyard.fallback']);
    otel.reset();
    await gateway.chat.completions.create({ model: 'b/m', messages });
    expect(await otel.spans()).toEqual([]);
  });

  it('records nothing when telemetry is disabled', async () => {
    const gateway = gatewayWith({ providers: { main: scriptedAdapter({ chat: () => completionOf('ok') }) }, telemetry: { enabled: false } });
    await gateway.chat.completions.create({ model: 'main/m', messages });
    expect(await otel.spans()).toEqual([]);
  });
});
