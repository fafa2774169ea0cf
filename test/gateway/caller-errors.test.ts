import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic } from '@switchyard/anthropic';
import {
  InvalidRequestError,
  ProviderError,
  createGateway,
  type ChatCompletionCreateParams,
  type Middleware,
  type ProviderAdapter,
} from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, recordingCallContext, startMockServer, type MockServer, type WireFormat } from '@switchyard/testing';
import { createServer, type Server } from 'node:net';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents, mockServers } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];
const call = recordingCallContext({ requestId: 'r' });

interface Sdk {
  name: string;
  format: WireFormat | undefined;
  /** The adapter over a real SDK client whose base URL is `baseURL` (a server root for Anthropic and Gemini). */
  adapter(baseURL: string): ProviderAdapter;
  /** Where the format's mock server wants the SDK pointed. */
  base(server: MockServer): string;
}

const sdks: Sdk[] = [
  { name: 'openai', format: undefined, adapter: (baseURL) => openai({ client: new OpenAI({ apiKey: 'sk-test-0000000000', baseURL }) }), base: (s) => s.baseURL },
  {
    name: 'anthropic',
    format: anthropicWireFormat,
    adapter: (baseURL) => anthropic({ client: new Anthropic({ apiKey: 'sk-ant-test-0000000000', baseURL }) }),
    base: (s) => s.baseURL,
  },
  {
    name: 'google (@google/genai)',
    format: geminiWireFormat,
    adapter: (baseUrl) => google({ client: new GoogleGenAI({ apiKey: 'AIzaTest000000000000', httpOptions: { baseUrl } }) }),
    base: (s) => s.baseURL,
  },
  {
    name: 'google (@google/generative-ai)',
    format: geminiWireFormat,
    adapter: (baseUrl) => google({ client: new GoogleGenerativeAI('AIzaTest000000000000'), requestOptions: { baseUrl } }),
    base: (s) => s.baseURL,
  },
];

const circular = (): Record<string, unknown> => {
  const value: Record<string, unknown> = { type: 'object' };
  value.self = value;
  return value;
};
/** Poisoned params, the way they reach an adapter: in a passed-through extra field, or in a tool's parameters. */
const poisons: Record<string, () => ChatCompletionCreateParams> = {
  'a circular extra field': () => ({ model: 'm', messages, extra_body: circular() }) as ChatCompletionCreateParams,
  'a BigInt extra field': () => ({ model: 'm', messages, seed_big: 10n }) as unknown as ChatCompletionCreateParams,
  "a circular tool's parameters": () => ({ model: 'm', messages, tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: circular() } } } }] }),
  "a BigInt in a tool's parameters": () => ({
    model: 'm',
    messages,
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'integer', maximum: 10n } } } } }],
  }) as unknown as ChatCompletionCreateParams,
};

/** The same params with the poisoned value taken out: what an adapter that drops the value must send instead. */
const cleaned: Record<string, () => ChatCompletionCreateParams> = {
  'a circular extra field': () => ({ model: 'm', messages }),
  'a BigInt extra field': () => ({ model: 'm', messages }),
  "a circular tool's parameters": () => ({ model: 'm', messages, tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'object' } } } } }] }),
  "a BigInt in a tool's parameters": () => ({
    model: 'm',
    messages,
    tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: { type: 'integer' } } } } }],
  }),
};

/**
 * What each adapter does with each poison, on `chat` and `stream` alike. `rejected`: the
 * SDK was handed the value and could not serialise it, a non-retryable InvalidRequestError
 * with nothing sent (OpenAI passes every field through; Anthropic passes a tool's
 * `parameters` as its `input_schema`). `dropped`: the translation builds its own body, so the
 * value never reaches the SDK and the call goes out without it (Anthropic's body is built
 * from the fields it knows; Gemini's also converts `parameters` to its schema subset, which
 * keeps neither an unknown keyword such as `self` nor a BigInt `maximum`).
 */
type Outcome = 'rejected' | 'dropped';
const outcomes: Record<string, Record<string, Outcome>> = {
  openai: { 'a circular extra field': 'rejected', 'a BigInt extra field': 'rejected', "a circular tool's parameters": 'rejected', "a BigInt in a tool's parameters": 'rejected' },
  anthropic: { 'a circular extra field': 'dropped', 'a BigInt extra field': 'dropped', "a circular tool's parameters": 'rejected', "a BigInt in a tool's parameters": 'rejected' },
  'google (@google/genai)': { 'a circular extra field': 'dropped', 'a BigInt extra field': 'dropped', "a circular tool's parameters": 'dropped', "a BigInt in a tool's parameters": 'dropped' },
  'google (@google/generative-ai)': {
    'a circular extra field': 'dropped',
    'a BigInt extra field': 'dropped',
    "a circular tool's parameters": 'dropped',
    "a BigInt in a tool's parameters": 'dropped',
  },
};

const start = mockServers();

async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) void _;
}

describe.each(sdks)('params the SDK cannot serialise are the caller’s error, never a connection failure: $name', (sdk) => {
  it.each(Object.keys(poisons))('%s: the outcome pinned for the adapter, rejected with nothing sent or sent without the value', async (poison) => {
    const outcome = outcomes[sdk.name]?.[poison];
    expect(outcome).toBeDefined();
    const server = await start(sdk.format);
    const adapter = sdk.adapter(sdk.base(server));
    const params = poisons[poison]!();
    const clean = cleaned[poison]!();
    const runs = [
      { poisoned: () => adapter.chat({ params }, call), clean: () => adapter.chat({ params: clean }, call) },
      { poisoned: () => drain(adapter.stream({ params: { ...params, stream: true } }, call)), clean: () => drain(adapter.stream({ params: { ...clean, stream: true } }, call)) },
    ];
    for (const run of runs) {
      const sent = server.requests.length;
      const error = await run.poisoned().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (outcome === 'dropped') {
        expect(error).toBeUndefined();
        expect(server.requests).toHaveLength(sent + 1);
        const body = server.requests.at(-1)?.body;
        // Exactly the body of the params without the value.
        await run.clean();
        expect(server.requests).toHaveLength(sent + 2);
        expect(body).toEqual(server.requests.at(-1)?.body);
        continue;
      }
      expect(error).not.toBeInstanceOf(ProviderError);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ code: 'invalid_request', retryable: false, provider: adapter.provider, model: 'm' });
      expect((error as Error).message).toMatch(/circular reference or a BigInt.*Nothing was sent/);
      // The engine's message names the caller's fields; it is not echoed.
      expect((error as Error).message).not.toMatch(/self|closes the circle|constructor 'Object'/);
      expect(server.requests).toHaveLength(sent);
    }
  });

  it('a provider that cannot be reached is a retryable connection error (ECONNREFUSED)', async () => {
    // Started and closed here: only its port is wanted, free once closed.
    const closed = await startMockServer(sdk.format ? { format: sdk.format } : {});
    const base = sdk.base(closed);
    await closed.close();
    const adapter = sdk.adapter(base);
    const error = await adapter.chat({ params: { model: 'm', messages } }, call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ retryable: true, providerCode: 'connection_error', status: undefined });
  });

  it('a connection reset before the answer is a retryable connection error (ECONNRESET)', async () => {
    const resetting: Server = createServer((socket) => socket.on('data', () => socket.resetAndDestroy()));
    await new Promise<void>((resolve) => resetting.listen(0, '127.0.0.1', resolve));
    const { port } = resetting.address() as { port: number };
    try {
      const adapter = sdk.adapter(sdk.name === 'openai' ? `http://127.0.0.1:${port}/v1` : `http://127.0.0.1:${port}`);
      const error = await adapter.chat({ params: { model: 'm', messages } }, call).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect(error).toMatchObject({ retryable: true, providerCode: 'connection_error', status: undefined });
    } finally {
      await new Promise<void>((resolve) => resetting.close(() => resolve()));
    }
  });
});

describe('poisoned params at the route: the breaker stays closed, nothing retries or falls back', () => {
  /**
   * Puts the poison in at attempt level, past any up-front validation of the call's params,
   * so that it reaches the adapter as params could: in an extra field and a tool's parameters.
   */
  const poisoner: Middleware = {
    name: 'poisoner',
    attempt: (ctx, next) => {
      if (ctx.operation === 'chat' && ctx.request.metadata.poison === 'yes') {
        ctx.params = {
          ...ctx.params,
          extra_body: circular(),
          tools: [{ type: 'function', function: { name: 'f', parameters: { type: 'object', properties: { a: circular() } } } }],
        } as ChatCompletionCreateParams;
      }
      return next();
    },
  };

  // Gemini's translation builds a fresh body, so no such value can reach its SDK (see above).
  it.each(sdks.filter((sdk) => !sdk.name.startsWith('google')))('$name: five poison calls, then a valid call succeeds', async (sdk) => {
    const server = await start(sdk.format);
    const backup = await start(undefined);
    const events = collectEvents();
    const gateway = createGateway({
      providers: {
        main: sdk.adapter(sdk.base(server)),
        backup: openai({ client: new OpenAI({ apiKey: 'sk-backup-0000000000', baseURL: backup.baseURL }) }),
      },
      models: { r: { fallback: ['main/m', 'backup/m'] } },
      middleware: [poisoner],
      onEvent: events.onEvent,
      routing: { retry: { minDelayMs: 0, maxDelayMs: 0 }, breaker: { minimumRequests: 5, failureRateThreshold: 0.5 } },
    });
    for (let i = 0; i < 5; i++) {
      const stream = i % 2 === 1;
      const error = await gateway.chat.completions.create({ model: 'r', messages, stream }, { metadata: { poison: 'yes' } }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error).toMatchObject({ retryable: false, attempts: 1, provider: 'main' });
    }
    const { data, meta } = await gateway.chat.completions.create({ model: 'r', messages }).withMeta();
    expect(data.choices[0]?.message.content).toBeTruthy();
    expect(meta).toMatchObject({ attempts: 1, provider: 'main' });
    await flushEvents();
    const types = events.events.map((event) => event.type);
    expect(types).not.toContain('attempt.retry');
    expect(types).not.toContain('request.fallback');
    expect(types.filter((type) => type.startsWith('deployment.'))).toEqual([]);
    // Only the valid call reached an upstream.
    expect(server.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(0);
  });
});
