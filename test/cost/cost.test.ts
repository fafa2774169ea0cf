import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { anthropic } from '@switchyard/anthropic';
import { ProviderError, createGateway, type AttemptEndEvent, type GatewayConfig, type ModelPrices } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, chunksOf, completionOf, geminiWireFormat, scriptedAdapter } from '@switchyard/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { countTokens, preloadTokenizer } from '../../packages/core/src/cost/token-estimate.js';
import { collectEvents, flushEvents, mockServers, rejectFirstAnswer } from '../gateway/helpers.js';

const messages = [{ role: 'user' as const, content: 'What does a gateway cost?' }];
const perMillion = (usd: number) => usd / 1_000_000;
const server = mockServers();

// List prices per million tokens, as the providers publish them; given in config here so that
// these expectations do not move when the built-in catalog is updated.
const catalog: NonNullable<GatewayConfig['catalog']> = {
  'gpt-4o': { prices: { input: perMillion(2.5), cacheRead: perMillion(1.25), output: perMillion(10) } },
  'claude-sonnet-4-5': { prices: { input: perMillion(3), output: perMillion(15), cacheRead: perMillion(0.3), cacheWrite5m: perMillion(3.75), cacheWrite1h: perMillion(6) } },
  'gemini-2.5-pro': {
    prices: {
      input: perMillion(1.25),
      output: perMillion(10),
      cacheRead: perMillion(0.31),
      tiers: [{ aboveInputTokens: 200_000, prices: { input: perMillion(2.5), output: perMillion(15), cacheRead: perMillion(0.625) } }],
    } satisfies ModelPrices,
  },
};

describe('cost through the real adapters', () => {
  it('OpenAI: cached input at the cached price, on withMeta(), attempt.end and request.end', async () => {
    const upstream = await server(undefined);
    upstream.enqueue({ content: 'ok', usage: { input: 2000, cached: 1500, output: 300 } });
    const events = collectEvents();
    const gateway = createGateway({ providers: { openai: openai({ client: new OpenAI({ apiKey: 'sk-test-0000000000', baseURL: upstream.baseURL }) }) }, catalog, onEvent: events.onEvent });
    const { meta } = await gateway.chat.completions.create({ model: 'openai/gpt-4o', messages }).withMeta();
    // 500 × $2.50 + 1500 × $1.25 + 300 × $10, per million.
    expect(meta.cost?.usd).toBeCloseTo(0.006125, 12);
    expect(meta.cost?.breakdown?.cacheRead).toBeCloseTo(0.001875, 12);
    expect(meta.cost?.estimated).toBe(false);
    await flushEvents();
    const attempt = events.events.find((event): event is AttemptEndEvent => event.type === 'attempt.end');
    expect(attempt?.cost?.usd).toBeCloseTo(0.006125, 12);
    expect(events.ends()[0]?.cost?.usd).toBeCloseTo(0.006125, 12);
  });

  it('Anthropic: 5-minute and 1-hour cache writes priced apart, for a message and a stream', async () => {
    const upstream = await server(anthropicWireFormat);
    const usage = { input: 3100, cached: 2000, cacheWrite: 1000, cacheWrite1h: 600, output: 500 };
    upstream.enqueue({ content: 'ok', usage }, { content: 'ok', usage });
    const gateway = createGateway({ providers: { anthropic: anthropic({ client: new Anthropic({ apiKey: 'sk-ant-test-0000000000', baseURL: upstream.baseURL }) }) }, catalog });
    // 100 plain × $3 + 2000 read × $0.30 + 400 × $3.75 + 600 × $6 + 500 × $15, per million.
    const expected = 0.0003 + 0.0006 + 0.0015 + 0.0036 + 0.0075;
    const { meta } = await gateway.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5-20250929', messages, max_tokens: 1000 }).withMeta();
    expect(meta.usage).toMatchObject({ inputTokens: 3100, cachedInputTokens: 2000, cacheWriteInputTokens: 1000, cacheWrite1hInputTokens: 600 });
    expect(meta.cost?.usd).toBeCloseTo(expected, 12);
    const streamed = await gateway.chat.completions.create({ model: 'anthropic/claude-sonnet-4-5', messages, max_tokens: 1000, stream: true }).withMeta();
    for await (const _ of streamed.data) {
      // read to the end
    }
    expect(streamed.meta.cost?.usd).toBeCloseTo(expected, 12);
  });

  it("Gemini: cached content and thought tokens, and the tier above 200k input tokens", async () => {
    const upstream = await server(geminiWireFormat);
    upstream.enqueue({ content: 'ok', usage: { input: 250_000, cached: 50_000, output: 3000, reasoning: 2000 } }, { content: 'ok', usage: { input: 1000, output: 100, reasoning: 40 } });
    const gateway = createGateway({ providers: { gemini: google({ client: new GoogleGenAI({ apiKey: 'AIzaTest000000000000', httpOptions: { baseUrl: upstream.baseURL } }) }) }, catalog });
    const long = await gateway.chat.completions.create({ model: 'gemini/gemini-2.5-pro', messages }).withMeta();
    // Above 200k: 200k plain × $2.50 + 50k cached × $0.625 + (1000 + 2000 thoughts) × $15, per million.
    expect(long.meta.cost?.usd).toBeCloseTo(0.5 + 0.03125 + 0.015 + 0.03, 12);
    expect(long.meta.cost?.breakdown?.reasoning).toBeCloseTo(0.03, 12);
    const short = await gateway.chat.completions.create({ model: 'gemini/gemini-2.5-pro', messages }).withMeta();
    expect(short.meta.cost?.usd).toBeCloseTo(1000 * perMillion(1.25) + 100 * perMillion(10), 12);
  });
});

describe('cost in the gateway', () => {
  it('is null with a reason for a model the catalog has no price for, never a guess', async () => {
    const events = collectEvents();
    const gateway = createGateway({ providers: { local: scriptedAdapter({ chat: () => completionOf('ok') }) }, onEvent: events.onEvent });
    const { meta } = await gateway.chat.completions.create({ model: 'local/my-llama', messages }).withMeta();
    expect(meta.cost).toEqual({ usd: null, estimated: false, reason: "no input price for 'my-llama' in the model catalog" });
    await flushEvents();
    expect(events.ends()[0]?.cost?.reason).toMatch(/my-llama/);
  });

  it('is zero for a self-hosted model priced at zero in config', async () => {
    const gateway = createGateway({ providers: { local: scriptedAdapter({ chat: () => completionOf('ok') }) }, catalog: { 'my-llama': { prices: { input: 0, output: 0 } } } });
    const { meta } = await gateway.chat.completions.create({ model: 'local/my-llama', messages }).withMeta();
    expect(meta.cost?.usd).toBe(0);
  });

  it('counts the tokens a failed attempt consumed toward the request', async () => {
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('x', { prompt_tokens: 1000, completion_tokens: 100 }) }) },
      middleware: [rejectFirstAnswer],
      catalog: { m: { prices: { input: perMillion(1), output: perMillion(4) } } },
      routing: { retry: { retries: 1, minDelayMs: 1, maxDelayMs: 1 } },
    });
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    const one = 1000 * perMillion(1) + 100 * perMillion(4);
    expect(meta.attemptHistory.map((attempt) => attempt.cost?.usd)).toEqual([expect.closeTo(one, 12), expect.closeTo(one, 12)]);
    expect(meta.cost?.usd).toBeCloseTo(2 * one, 12);
  });

  it('estimates a stream cut before its usage with the tokenizer, and says so', async () => {
    await preloadTokenizer();
    const pieces = ['The ', 'gateway ', 'costs ', 'very ', 'little'];
    const gateway = createGateway({
      providers: {
        p: scriptedAdapter({
          stream: async function* () {
            const chunks = chunksOf(pieces);
            yield* chunks.slice(0, 3);
            throw new ProviderError('connection reset', { provider: 'p', model: 'm', retryable: true });
          },
        }),
      },
      catalog: { m: { prices: { input: perMillion(1), output: perMillion(4) } } },
    });
    const { data, meta } = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).withMeta();
    await expect((async () => {
      for await (const _ of data) {
        // read until it breaks
      }
    })()).rejects.toThrow(/interrupted/);
    // The prompt's text plus 3 tokens per message and 3 to prime the reply; the output is what was delivered.
    const input = countTokens(messages[0]!.content).tokens + 3 + 3;
    const output = countTokens('The gateway costs ').tokens;
    expect(meta.cost).toMatchObject({ estimated: true });
    expect(meta.cost?.usd).toBeCloseTo(input * perMillion(1) + output * perMillion(4), 12);
    expect(meta.cost?.reason).toMatch(/o200k_base/);
  });

  it("completes a cut stream's partial provider usage (Anthropic's input tokens) with the delivered output", async () => {
    await preloadTokenizer();
    const gateway = createGateway({
      providers: {
        p: scriptedAdapter({
          stream: async function* (_request, call) {
            call.usage({ inputTokens: 500, outputTokens: 1, totalTokens: 501, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 });
            yield* chunksOf(['Hello there, friend']).slice(0, 1);
            throw new ProviderError('overloaded', { provider: 'p', model: 'm', retryable: true });
          },
        }),
      },
      catalog: { m: { prices: { input: perMillion(1), output: perMillion(4) } } },
    });
    const { data, meta } = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).withMeta();
    await expect((async () => {
      for await (const _ of data) {
        // read until it breaks
      }
    })()).rejects.toThrow();
    const output = countTokens('Hello there, friend').tokens;
    expect(meta.cost?.usd).toBeCloseTo(500 * perMillion(1) + output * perMillion(4), 12);
    expect(meta.cost?.estimated).toBe(true);
  });
});
