import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic } from '@switchyard/anthropic';
import { GatewayError, ProviderError, StreamInterruptedError, createGateway, type Gateway, type ProviderAdapter } from '@switchyard/core';
import { MAX_RETRY_AFTER_MS, PROVIDER_MESSAGE_LIMIT } from '@switchyard/core/adapter';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, openaiWireFormat, type MockReply, type MockServer, type RecordedRequest, type WireFormat } from '@switchyard/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents, mockServers } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

interface Sdk {
  name: string;
  format: WireFormat | undefined;
  /** `apiKey` replaces the client's default test key. */
  adapter(server: MockServer, exposeProviderMessages?: boolean, apiKey?: string): ProviderAdapter;
  /** The provider's error type as the message names it, for a 400. */
  type400: string;
}

const sdks: Sdk[] = [
  {
    name: 'openai',
    format: undefined,
    adapter: (server, exposeProviderMessages, apiKey = 'sk-test-0000000000') => openai({ client: new OpenAI({ apiKey, baseURL: server.baseURL }), exposeProviderMessages }),
    type400: 'invalid_request_error',
  },
  {
    name: 'anthropic',
    format: anthropicWireFormat,
    adapter: (server, exposeProviderMessages, apiKey = 'sk-ant-test-0000000000') =>
      anthropic({ client: new Anthropic({ apiKey, baseURL: server.baseURL }), exposeProviderMessages }),
    type400: 'invalid_request_error',
  },
  {
    name: 'google (@google/genai)',
    format: geminiWireFormat,
    adapter: (server, exposeProviderMessages, apiKey = 'AIzaTest000000000000') =>
      google({ client: new GoogleGenAI({ apiKey, httpOptions: { baseUrl: server.baseURL } }), exposeProviderMessages }),
    type400: 'INVALID_ARGUMENT',
  },
  {
    name: 'google (@google/generative-ai)',
    format: geminiWireFormat,
    adapter: (server, exposeProviderMessages, apiKey = 'AIzaTest000000000000') =>
      google({ client: new GoogleGenerativeAI(apiKey), requestOptions: { baseUrl: server.baseURL }, exposeProviderMessages }),
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

/** What the caller sent, and the client's key: shaped like neither a key nor anything else the scrubber knows. */
const PROMPT = 'my bank password is hunter2, card 4111';
const KEY = 'canary-credential-0123456789abcdef';
/** A provider-controlled type or code that is free text: it quotes the prompt and echoes the key. */
const junk = `invalid ${PROMPT} ${KEY}`;
const huge = 'c'.repeat(200_000);
const streamRequest: RecordedRequest = { method: 'POST', path: '/', headers: {}, body: { model: 'm', messages: [], stream: true } };

interface Hostile {
  name: string;
  sdk: Sdk;
  stream: boolean;
  reply: MockReply;
  /** How the message opens. */
  opens: RegExp;
  /** The `providerCode` kept, for a `ProviderError`: the free text never is. */
  code?: string;
  /** After chunks reached the caller, the error is a `StreamInterruptedError` that quotes the provider error's message. */
  interrupted?: true;
}

const answered = /^\w+\/m answered 400\. The provider rejected the request/;
const reported = (provider: string) => new RegExp(`^${provider}/m reported an error event in stream\\.`);
const interrupted = (provider: string) => new RegExp(`^Stream from p/m was interrupted after 2 chunk\\(s\\): ${provider}/m reported an error event in stream\\.`);

const openaiErrorBody = { error: { message: PROMPT, type: junk, code: huge } };
const anthropicErrorEvent = { type: 'error', error: { type: `${junk} ${huge}`, message: PROMPT } };
const hostile: Hostile[] = [
  { name: 'openai, a 400', sdk: sdks[0]!, stream: false, reply: { kind: 'raw', status: 400, body: openaiErrorBody }, opens: answered },
  {
    name: 'openai, an error event opening the stream',
    sdk: sdks[0]!,
    stream: true,
    reply: { kind: 'raw-stream', events: [JSON.stringify(openaiErrorBody)] },
    opens: reported('openai'),
  },
  {
    name: 'openai, an error event mid-stream',
    sdk: sdks[0]!,
    stream: true,
    reply: { kind: 'raw-stream', events: [...openaiWireFormat.streamEvents({ content: 'partial answer' }, streamRequest).slice(0, 2), JSON.stringify(openaiErrorBody)] },
    opens: interrupted('openai'),
    interrupted: true,
  },
  { name: 'anthropic, a 400', sdk: sdks[1]!, stream: false, reply: { kind: 'raw', status: 400, body: anthropicErrorEvent }, opens: answered },
  {
    name: 'anthropic, an error event opening the stream',
    sdk: sdks[1]!,
    stream: true,
    reply: { kind: 'raw-stream', events: [{ event: 'error', data: JSON.stringify(anthropicErrorEvent) }] },
    opens: reported('anthropic'),
  },
  {
    name: 'anthropic, an error event mid-stream',
    sdk: sdks[1]!,
    stream: true,
    reply: {
      kind: 'raw-stream',
      events: [...anthropicWireFormat.streamEvents({ content: 'partial answer' }, streamRequest).slice(0, 4), { event: 'error', data: JSON.stringify(anthropicErrorEvent) }],
    },
    opens: interrupted('anthropic'),
    interrupted: true,
  },
  // @google/genai reads Google's `status` from the body; the older SDK keeps only the HTTP status, so the code is the status's name.
  ...[
    { sdk: sdks[2]!, opens: answered },
    { sdk: sdks[3]!, opens: /^google\/m answered 400 \(INVALID_ARGUMENT\)\. The provider rejected the request/, code: 'INVALID_ARGUMENT' },
  ].map(
    ({ sdk, ...expected }): Hostile => ({
      name: `${sdk.name}, a 400`,
      sdk,
      stream: false,
      reply: { kind: 'raw', status: 400, body: { error: { code: 400, message: PROMPT, status: `${junk} ${huge}` } } },
      ...expected,
    }),
  ),
];

async function call(gateway: Gateway, stream: boolean): Promise<void> {
  const messages = [{ role: 'user' as const, content: PROMPT }];
  if (!stream) {
    await gateway.chat.completions.create({ model: 'p/m', messages });
    return;
  }
  for await (const chunk of await gateway.chat.completions.create({ model: 'p/m', messages, stream: true })) void chunk;
}

describe.each(hostile)('a provider error type or code that is free text: $name', ({ sdk, stream, reply, opens, code, interrupted }) => {
  it.each([false, true])('is left out of the message, `providerCode`, `toJSON()` and the events (exposeProviderMessages: %s)', async (expose) => {
    const server = await start(sdk.format);
    server.enqueue(reply);
    const events = collectEvents();
    const gateway = createGateway({ providers: { p: sdk.adapter(server, expose, KEY) }, routing: { retry: false }, onEvent: events.onEvent });
    const error = await failure(call(gateway, stream));
    await flushEvents();
    expect(error).toBeInstanceOf(GatewayError);
    const ends = events.events.filter((event) => event.type === 'attempt.end' || event.type === 'request.end');
    expect(ends.map((event) => event.type)).toEqual(['attempt.end', 'request.end']);
    const visible = [error.message, JSON.stringify(error), ...ends.map((event) => JSON.stringify(event))];
    for (const text of visible) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('ccccc');
      // The provider's own message is the prompt here: shown only when opted in. The free-text type never is.
      expect(text).not.toContain(expose ? junk : 'hunter2');
      expect(text.length).toBeLessThan(2_000);
    }
    expect(error.message).toMatch(opens);
    if (interrupted) expect(error).toBeInstanceOf(StreamInterruptedError);
    // An error event in a 200 stream has no status; a free-text Anthropic type names none either.
    else expect(error).toMatchObject({ name: 'ProviderError', status: stream ? undefined : 400, providerCode: code });
    if (expose) expect(error.message).toMatch(new RegExp(`The provider said: .*${PROMPT}$`));
  });
});

/** A 2,000-character credential (a JWT, a long bearer token) shaped like no key the scrubber knows. */
const longToken = `eyJ${'hbGciOiJSUzI1NiJ9_0'.repeat(100)}`.slice(0, 2000);
/** The provider echoes it so that it starts before the 500-character cut and runs far past it. */
const echoing: MockReply = { kind: 'error', status: 400, message: `Rejected: ${'a'.repeat(340)} ${longToken} and more after it` };

describe('a long credential the provider echoes across the cut, with `exposeProviderMessages: true`', () => {
  const clients: Array<{ name: string; format: WireFormat | undefined; adapter(server: MockServer): ProviderAdapter }> = [
    ...sdks.map((sdk) => ({ name: `${sdk.name} apiKey`, format: sdk.format, adapter: (server: MockServer) => sdk.adapter(server, true, longToken) })),
    {
      name: 'anthropic authToken',
      format: anthropicWireFormat,
      adapter: (server: MockServer) => anthropic({ client: new Anthropic({ apiKey: null, authToken: longToken, baseURL: server.baseURL }), exposeProviderMessages: true }),
    },
  ];

  it.each(clients)('$name: scrubbed whole, none of it shown', async (client) => {
    const server = await start(client.format);
    server.enqueue(echoing);
    const events = collectEvents();
    const gateway = createGateway({ providers: { p: client.adapter(server) }, routing: { retry: false }, onEvent: events.onEvent });
    const error = await failure(gateway.chat.completions.create({ model: 'p/m', messages }));
    await flushEvents();
    expect(error.message).toContain(`The provider said: `);
    expect(error.message).toContain(`${'a'.repeat(340)} [redacted]`);
    for (const text of [error.message, JSON.stringify(error), JSON.stringify(events.events)]) expect(text).not.toContain(longToken.slice(0, 8));
  });
});
