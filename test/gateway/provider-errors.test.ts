import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic } from '@switchyard/anthropic';
import { MAX_RETRY_AFTER_MS, PROVIDER_MESSAGE_LIMIT, ProviderError, createGateway, type ProviderAdapter } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, type MockServer, type WireFormat } from '@switchyard/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { mockServers } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

interface Sdk {
  name: string;
  format: WireFormat | undefined;
  adapter(server: MockServer, exposeProviderMessages?: boolean): ProviderAdapter;
  /** The provider's error type as the message names it, for a 400. */
  type400: string;
}

const sdks: Sdk[] = [
  {
    name: 'openai',
    format: undefined,
    adapter: (server, exposeProviderMessages) => openai({ client: new OpenAI({ apiKey: 'sk-test-0000000000', baseURL: server.baseURL }), exposeProviderMessages }),
    type400: 'invalid_request_error',
  },
  {
    name: 'anthropic',
    format: anthropicWireFormat,
    adapter: (server, exposeProviderMessages) => anthropic({ client: new Anthropic({ apiKey: 'sk-ant-test-0000000000', baseURL: server.baseURL }), exposeProviderMessages }),
    type400: 'invalid_request_error',
  },
  {
    name: 'google (@google/genai)',
    format: geminiWireFormat,
    adapter: (server, exposeProviderMessages) =>
      google({ client: new GoogleGenAI({ apiKey: 'AIzaTest000000000000', httpOptions: { baseUrl: server.baseURL } }), exposeProviderMessages }),
    type400: 'INVALID_ARGUMENT',
  },
  {
    name: 'google (@google/generative-ai)',
    format: geminiWireFormat,
    adapter: (server, exposeProviderMessages) =>
      google({ client: new GoogleGenerativeAI('AIzaTest000000000000'), requestOptions: { baseUrl: server.baseURL }, exposeProviderMessages }),
    type400: 'INVALID_ARGUMENT',
  },
];

const start = mockServers();
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as ProviderError,
  );

describe.each(sdks)('provider error text: $name', (sdk) => {
  it('by default, the message has the status and the provider’s error type, and says how to see the text', async () => {
    const server = await start(sdk.format);
    server.enqueue({ kind: 'error', status: 400, message: 'Field x is wrong' });
    const gateway = createGateway({ providers: { p: sdk.adapter(server) }, routing: { retry: false } });
    const error = await failure(gateway.chat.completions.create({ model: 'p/m', messages }));
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toMatch(new RegExp(`^[\\w.-]+/m answered 400 \\(${sdk.type400}\\)\\. The provider rejected the request`));
    expect(error.message).toContain('exposeProviderMessages: true');
    expect(error.message).not.toContain('Field x is wrong');
  });

  it('with `exposeProviderMessages: true`, the message carries the text, bounded', async () => {
    const server = await start(sdk.format);
    const long = `Field x is wrong. ${'y'.repeat(5000)}`;
    server.enqueue({ kind: 'error', status: 400, message: long });
    const gateway = createGateway({ providers: { p: sdk.adapter(server, true) }, routing: { retry: false } });
    const error = await failure(gateway.chat.completions.create({ model: 'p/m', messages }));
    expect(error.message).toContain('The provider said:');
    expect(error.message).toContain('Field x is wrong.');
    const said = error.message.slice(error.message.indexOf('The provider said:'));
    expect(said.length).toBeLessThanOrEqual('The provider said: '.length + PROVIDER_MESSAGE_LIMIT + 1);
  });
});

/** How each provider words a prompt over the context window (from their documentation and observed answers). */
const tooLong = [
  { sdk: sdks[1]!, message: 'prompt is too long: 215000 tokens > 200000 maximum' },
  { sdk: sdks[2]!, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' },
  { sdk: sdks[3]!, message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).' },
];

describe.each(tooLong)('a prompt over the context window: $sdk.name', ({ sdk, message }) => {
  it('is classified from the provider’s wording, and falls back only to a larger window', async () => {
    const small = await start(sdk.format);
    const large = await start(sdk.format);
    small.setFallback({ kind: 'error', status: 400, message });
    const gateway = createGateway({
      providers: { small: sdk.adapter(small), alsoSmall: sdk.adapter(small), large: sdk.adapter(large) },
      models: { r: { fallback: ['small/m', 'alsoSmall/m', 'large/m'] } },
      routing: { retry: false, contextWindows: { 'small/m': 8192, 'alsoSmall/m': 8192, 'large/m': 2_000_000 } },
    });
    const { meta } = await gateway.chat.completions.create({ model: 'r', messages }).withMeta();
    expect(meta.provider).toBe('large');
    // The second small window was skipped, not tried.
    expect(small.requests).toHaveLength(1);
    const alone = createGateway({ providers: { small: sdk.adapter(small) }, routing: { retry: false } });
    const error = await failure(alone.chat.completions.create({ model: 'small/m', messages }));
    expect(error).toMatchObject({ status: 400, providerCode: 'context_length_exceeded' });
    expect(error.message).toContain("The prompt does not fit the model's context window.");
    expect(error.message).not.toContain(message);
  });
});

describe.each([sdks[2]!, sdks[3]!])('Gemini RetryInfo: $name', (sdk) => {
  const rateLimited = (retryDelay: string) => ({
    kind: 'raw' as const,
    status: 429,
    body: {
      error: {
        code: 429,
        message: 'Resource has been exhausted.',
        status: 'RESOURCE_EXHAUSTED',
        details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }],
      },
    },
  });

  it('reads the delay, and caps a huge one as Retry-After is capped', async () => {
    const server = await start(sdk.format);
    server.enqueue(rateLimited('34.5s'), rateLimited('1000000000000s'));
    const gateway = createGateway({ providers: { p: sdk.adapter(server) }, routing: { retry: false } });
    expect(await failure(gateway.chat.completions.create({ model: 'p/m', messages }))).toMatchObject({ status: 429, retryable: true, retryAfterMs: 34_500 });
    expect(await failure(gateway.chat.completions.create({ model: 'p/m', messages }))).toMatchObject({ status: 429, retryAfterMs: MAX_RETRY_AFTER_MS });
  });
});
