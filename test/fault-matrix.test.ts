import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic } from '@switchyard/anthropic';
import { GatewayError, InvalidRequestError, ResponseTooLargeError, TimeoutError, createGateway, type ChatCompletionCreateParams, type GatewayConfig, type ProviderAdapter } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, openaiWireFormat, startMockServer, type MockReply, type MockServer, type WireFormat } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

const MiB = 1024 * 1024;

/** Every fault the mock servers can script. */
const faults: Record<string, MockReply> = {
  '429 with Retry-After': { kind: 'error', status: 429, retryAfter: 0.01, message: 'slow down' },
  '500': { kind: 'error', status: 500 },
  '503': { kind: 'error', status: 503 },
  '400': { kind: 'error', status: 400, message: 'bad' },
  '401': { kind: 'error', status: 401 },
  'slow headers': { content: 'late', delayMs: 30 },
  'slow first chunk': { content: 'late answer', firstChunkDelayMs: 30 },
  'stream cut mid-way': { content: 'one two three four', cutAfter: 2 },
  'malformed chunk': { content: 'one two three', malformedAt: 1 },
  'hang before headers': { hang: 'headers' },
  'hang after headers': { content: 'x', hang: 'body' },
  'stall mid-stream': { content: 'one two three', hangAfter: 2 },
  // Stream faults leave non-stream answers alone, and body faults streams.
  'long line without a line end': { content: 'x', hugeEvent: { bytes: 64 * MiB, as: 'line' } },
  'data lines without a blank line': { content: 'x', hugeEvent: { bytes: 600 * MiB, as: 'lines' } },
  'held open after [DONE]': { content: 'one two', holdOpen: true },
  'body that never ends': { endlessBody: true },
  'gzip body inflating to 1 GiB': { gzipInflatesTo: 1024 * MiB },
};

/** Faults past the size limits, and which kind of call they hit. */
const oversized: Record<string, 'stream' | 'non-stream'> = {
  'long line without a line end': 'stream',
  'data lines without a blank line': 'stream',
  'body that never ends': 'non-stream',
  'gzip body inflating to 1 GiB': 'non-stream',
};
/** Small limits, so that each oversized case costs a few MiB and stays far inside every deadline (the defaults are tested in the adapters). */
const limits = { maxEventBytes: MiB, maxBodyBytes: 4 * MiB };

/** Every resilience mechanism, as gateway config and call options. */
const mechanisms: Record<string, { config: Partial<GatewayConfig>; options: { timeout?: number; attemptTimeout?: number; firstChunkTimeout?: number; idleTimeout?: number } }> = {
  retry: { config: { routing: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 2 }, breaker: false } }, options: { timeout: 400 } },
  fallback: { config: { routing: { retry: false, breaker: false } }, options: { attemptTimeout: 100, timeout: 400 } },
  breaker: { config: { routing: { retry: false, breaker: { minimumRequests: 1, cooldownMs: 60_000 } } }, options: { timeout: 200 } },
  timeouts: { config: { routing: { retry: false } }, options: { attemptTimeout: 100, firstChunkTimeout: 50, idleTimeout: 50, timeout: 300 } },
};

describe('fault matrix: every fault x every mechanism resolves or rejects with a typed error, and leaves nothing open', () => {
  let faulty: MockServer;
  let healthy: MockServer;
  const before = new Map<string, number>();

  beforeAll(async () => {
    for (const resource of process.getActiveResourcesInfo()) before.set(resource, (before.get(resource) ?? 0) + 1);
    faulty = await startMockServer();
    healthy = await startMockServer();
  });

  afterAll(async () => {
    await Promise.all([faulty.close(), healthy.close()]);
    // Sockets and timers of finished calls are gone (idle keep-alive sockets are the SDK's pool).
    const after = new Map<string, number>();
    for (const resource of process.getActiveResourcesInfo()) after.set(resource, (after.get(resource) ?? 0) + 1);
    expect(after.get('Timeout') ?? 0).toBeLessThanOrEqual(before.get('Timeout') ?? 0);
  });

  for (const [mechanism, { config, options }] of Object.entries(mechanisms)) {
    for (const [fault, reply] of Object.entries(faults)) {
      for (const stream of [false, true]) {
        it(`${mechanism} / ${fault} / ${stream ? 'stream' : 'non-stream'}`, async () => {
          faulty.setFallback(reply);
          const gateway = createGateway({
            ...config,
            providers: {
              faulty: openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: faulty.baseURL }), limits }),
              healthy: openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: healthy.baseURL }) }),
            },
            models: { route: mechanism === 'fallback' ? { fallback: ['faulty/m', 'healthy/m'] } : 'faulty/m' },
          });
          const fellBackOn: string[] = [];
          gateway.on('request.fallback', (event) => fellBackOn.push(event.error.code));
          const params: ChatCompletionCreateParams = { model: 'route', messages: [{ role: 'user', content: 'hi' }], stream };
          const outcome = await (async () => {
            for (let i = 0; i < 2; i++) {
              const result = await gateway.chat.completions.create(params, options);
              if (Symbol.asyncIterator in result) for await (const _ of result) void _;
            }
            return 'resolved';
          })().catch((error: unknown) => error);
          if (outcome !== 'resolved') {
            expect(outcome, String(outcome)).toBeInstanceOf(GatewayError);
            expect((outcome as GatewayError).code).toMatch(/provider_error|timeout|stream_interrupted|unavailable/);
          }
          if (mechanism === 'fallback' && !['400', 'stream cut mid-way', 'malformed chunk', 'stall mid-stream', ...Object.keys(oversized)].includes(fault)) {
            expect(outcome).toBe('resolved');
          }
          // A complete answer is complete, however long the server keeps the connection.
          if (fault === 'held open after [DONE]') expect(outcome).toBe('resolved');
          // Too large is never retried or fallen back from; the tight deadlines of `timeouts` may come first.
          if (oversized[fault] === (stream ? 'stream' : 'non-stream')) {
            if (mechanism === 'timeouts') expect([ResponseTooLargeError, TimeoutError].some((type) => outcome instanceof type), String(outcome)).toBe(true);
            // On a loaded machine the attempt deadline may pass before the body is found too large: then the fallback is for the timeout, never for the size.
            else if (mechanism === 'fallback' && outcome === 'resolved') expect(fellBackOn.length > 0 && fellBackOn.every((code) => code === 'timeout'), fellBackOn.join()).toBe(true);
            else expect(outcome, String(outcome)).toBeInstanceOf(ResponseTooLargeError);
          } else if (oversized[fault]) expect(outcome).toBe('resolved');
        });
      }
    }
  }
});

/** A caller's mistakes: params no provider could be sent. */
const poisons: Record<string, () => Record<string, unknown>> = {
  'a circular extra field': () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = loop;
    return { extra_body: loop };
  },
  "a BigInt in a tool's parameters": () => ({
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { n: { type: 'integer', maximum: 10n } } } } }],
  }),
  'objects nested 10,000 deep': () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { deep };
    return { extra_body: deep };
  },
  'fields named constructor and __proto__ holding a cycle': () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    // An own `__proto__` key, as JSON.parse makes one, not the prototype.
    return Object.defineProperty({ constructor: loop }, '__proto__', { value: loop, enumerable: true, writable: true, configurable: true });
  },
};

describe("fault matrix: a caller's poison params x every mechanism: a typed error, nothing sent, the deployment untouched", () => {
  let upstream: MockServer;
  beforeAll(async () => {
    upstream = await startMockServer();
  });
  afterAll(() => upstream.close());

  for (const [mechanism, { config, options }] of Object.entries(mechanisms)) {
    for (const [poison, make] of Object.entries(poisons)) {
      for (const stream of [false, true]) {
        it(`${mechanism} / ${poison} / ${stream ? 'stream' : 'non-stream'}`, async () => {
          const gateway = createGateway({
            ...config,
            providers: {
              faulty: openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: upstream.baseURL }) }),
              healthy: openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: upstream.baseURL }) }),
            },
            models: { route: mechanism === 'fallback' ? { fallback: ['faulty/m', 'healthy/m'] } : 'faulty/m' },
          });
          const sent = upstream.requests.length;
          const messages = [{ role: 'user' as const, content: 'hi' }];
          for (let i = 0; i < 6; i++) {
            const params = { model: 'route', messages, stream, ...make() } as ChatCompletionCreateParams;
            const error = await gateway.chat.completions.create(params, options).catch((caught: unknown) => caught);
            expect(error, String(error)).toBeInstanceOf(InvalidRequestError);
            expect(error).toMatchObject({ retryable: false, attempts: 0 });
          }
          expect(upstream.requests.length).toBe(sent);
          // Six poison calls later, the deployment still serves a valid call.
          const result = await gateway.chat.completions.create({ model: 'route', messages, stream }, options);
          if (Symbol.asyncIterator in result) for await (const _ of result) void _;
          expect(upstream.requests.length).toBe(sent + 1);
        });
      }
    }
  }
});

/** One adapter per provider, over the real SDK clients, against a mock server speaking its format. */
const providers: Record<string, { format: WireFormat; adapter: (server: MockServer) => ProviderAdapter }> = {
  openai: { format: openaiWireFormat, adapter: (server) => openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL }) }) },
  anthropic: { format: anthropicWireFormat, adapter: (server) => anthropic({ client: new Anthropic({ apiKey: 'sk-ant-x', baseURL: server.baseURL }) }) },
  'google (@google/genai)': {
    format: geminiWireFormat,
    adapter: (server) => google({ client: new GoogleGenAI({ apiKey: 'g-key', httpOptions: { baseUrl: server.baseURL } }) }),
  },
  'google (@google/generative-ai)': {
    format: geminiWireFormat,
    adapter: (server) => google({ client: new GoogleGenerativeAI('g-key'), requestOptions: { baseUrl: server.baseURL } }),
  },
};

describe('fault matrix: a stream held open after its end, every provider', () => {
  let server: MockServer;
  afterEach(() => server.close());

  for (const [name, { format, adapter }] of Object.entries(providers)) {
    describe(name, () => {
      beforeEach(async () => {
        server = await startMockServer({ format });
      });

      for (const options of [{}, { idleTimeout: 100, timeout: 10_000 }]) {
        it(`ends at the end of the answer ${'idleTimeout' in options ? 'within idle and total deadlines' : 'with no deadline'}, and lets the connection go`, async () => {
          server.setFallback({ content: 'one two three', holdOpen: true });
          const gateway = createGateway({ providers: { p: adapter(server) }, routing: { retry: false } });
          for (let i = 0; i < 2; i++) {
            let text = '';
            let usage: unknown;
            for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true } }, options)) {
              text += chunk.choices[0]?.delta.content ?? '';
              usage ??= chunk.usage ?? undefined;
            }
            expect(text).toBe('one two three');
            expect(usage).toMatchObject({ completion_tokens: expect.any(Number) as number });
          }
          await vi.waitFor(() => expect(server.openConnections).toBe(0));
        });
      }
    });
  }
});

describe('fault matrix: responses past the size limits, every provider the gateway reads itself', () => {
  let server: MockServer;
  afterEach(() => server.close());

  const capped = Object.fromEntries(Object.entries(providers).filter(([name]) => !name.startsWith('google')));
  for (const [name, { format, adapter }] of Object.entries(capped)) {
    for (const [fault, kind] of Object.entries(oversized)) {
      it(`${name} / ${fault}: a typed error that is not retried, and no connection left open`, async () => {
        server = await startMockServer({ format });
        server.setFallback(faults[fault] as MockReply);
        const gateway = createGateway({ providers: { p: adapter(server) }, routing: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } } });
        const outcome = await (async () => {
          const result = await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'hi' }], stream: kind === 'stream' });
          if (Symbol.asyncIterator in result) for await (const _ of result) void _;
          return 'resolved';
        })().catch((error: unknown) => error);
        expect(outcome, String(outcome)).toBeInstanceOf(ResponseTooLargeError);
        expect(outcome).toMatchObject({ retryable: false, providerCode: kind === 'stream' ? 'event_too_large' : 'body_too_large' });
        expect(server.requests).toHaveLength(1);
        await vi.waitFor(() => expect(server.openConnections).toBe(0));
      });
    }
  }
});
