import { inspect } from 'node:util';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { GoogleGenerativeAI } from '@google/generative-ai';
import { anthropic } from '@switchyard/anthropic';
import { createGateway, type GatewayEvent, type ProviderAdapter } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, startMockServer, type MockServer, type RecordedRequest, type WireFormat } from '@switchyard/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';

const messages = [{ role: 'user' as const, content: 'hello' }];

interface Provider {
  name: string;
  key: string;
  format: WireFormat | undefined;
  /** With `expose`, the adapter puts the provider's (scrubbed) text in messages: the scrubbing must hold there too. */
  adapter(server: MockServer, expose?: boolean): ProviderAdapter;
  /** The credential as the SDK sent it. */
  sentKey(request: RecordedRequest): string;
}

const header = (request: RecordedRequest, name: string) => String(request.headers[name] ?? '');

const providers: Provider[] = [
  {
    name: 'openai',
    key: 'sk-proj-SwitchyardLeakCanary0123456789abcdef',
    format: undefined,
    adapter: (server, expose) => openai({ client: new OpenAI({ apiKey: providers[0]!.key, baseURL: server.baseURL }), exposeProviderMessages: expose }),
    sentKey: (request) => header(request, 'authorization').replace('Bearer ', ''),
  },
  {
    name: 'anthropic',
    key: 'sk-ant-api03-SwitchyardLeakCanary0123456789',
    format: anthropicWireFormat,
    adapter: (server, expose) => anthropic({ client: new Anthropic({ apiKey: providers[1]!.key, baseURL: server.baseURL }), exposeProviderMessages: expose }),
    sentKey: (request) => header(request, 'x-api-key') || header(request, 'authorization').replace('Bearer ', ''),
  },
  {
    name: 'google (genai)',
    key: 'AIzaSyLeakCanary0123456789abcdefghijk',
    format: geminiWireFormat,
    // No `apiKey` option: the adapter finds the key on the client itself.
    adapter: (server, expose) => google({ client: new GoogleGenAI({ apiKey: providers[2]!.key, httpOptions: { baseUrl: server.baseURL } }), exposeProviderMessages: expose }),
    sentKey: (request) => header(request, 'x-goog-api-key'),
  },
  {
    name: 'google (generative-ai)',
    key: 'AIzaSyLeakCanary9876543210abcdefghijk',
    format: geminiWireFormat,
    adapter: (server, expose) => google({ client: new GoogleGenerativeAI(providers[3]!.key), requestOptions: { baseUrl: server.baseURL }, exposeProviderMessages: expose }),
    sentKey: (request) => header(request, 'x-goog-api-key'),
  },
];

function everythingVisible(error: unknown, events: GatewayEvent[]): string {
  return [String(error), (error as Error).stack ?? '', JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(events)].join('\n');
}

describe.each(providers)('API keys never leak: $name', (provider) => {
  it.each([false, true])('not in errors, their causes, or events, whatever the provider echoes (provider text exposed: %s)', async (expose) => {
    const server = await startMockServer(provider.format ? { format: provider.format } : {});
    const events: GatewayEvent[] = [];
    const gateway = createGateway({ providers: { p: provider.adapter(server, expose) }, onEvent: (event) => void events.push(event), routing: { retry: false } });
    const masked = `${provider.key.slice(0, 10)}****${provider.key.slice(-4)}`;
    server.enqueue(
      (request) => ({ kind: 'error', status: 401, message: `Incorrect API key provided: ${provider.sentKey(request)}. Masked: ${masked}` }),
      (request) => ({ kind: 'error', status: 500, message: `upstream saw ${provider.sentKey(request)}` }),
    );
    const failures: unknown[] = [];
    failures.push(await gateway.chat.completions.create({ model: 'p/m', messages }).catch((e: unknown) => e));
    failures.push(await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).catch((e: unknown) => e));
    await new Promise((resolve) => setImmediate(resolve));
    await server.close();

    expect(failures.every((failure) => failure instanceof Error)).toBe(true);
    expect(events.filter((event) => event.type === 'request.end')).toHaveLength(2);
    for (const failure of failures) {
      const visible = everythingVisible(failure, events);
      expect(visible).not.toContain(provider.key);
      expect(visible).not.toContain(masked);
      expect(visible).not.toContain('LeakCanary');
    }
    // The requests did carry the key: the canary would have been caught had it leaked.
    expect(provider.sentKey(server.requests[0]!)).toBe(provider.key);
  });
});

describe('API keys never leak from a stream error event', () => {
  it('openai: an error inside a 200 stream', async () => {
    const key = providers[0]!.key;
    const server = await startMockServer();
    const gateway = createGateway({ providers: { openai: providers[0]!.adapter(server) } });
    server.enqueue((request) => ({
      kind: 'raw-stream',
      events: [
        JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }] }),
        JSON.stringify({ error: { message: `key ${providers[0]!.sentKey(request)} revoked`, type: 'invalid_request_error' } }),
      ],
      end: false,
    }));
    const stream = await gateway.chat.completions.create({ model: 'openai/m', messages, stream: true });
    const error = await (async () => {
      for await (const _ of stream) {
        // read until the error
      }
    })().catch((e: unknown) => e);
    await server.close();
    expect(error).toBeInstanceOf(Error);
    expect(everythingVisible(error, [])).not.toContain(key);
  });
});

/** Stands for the user's prompt: it must reach the provider, and nothing else. */
const PROMPT = 'PromptCanary: my account number is 4111-1111-1111-1111';

describe.each(providers)('prompt content never leaks from provider errors: $name', (provider) => {
  it('an echoed prompt in a 400, or in a proxy’s HTML error page, is in neither errors nor events', async () => {
    const server = await startMockServer(provider.format ? { format: provider.format } : {});
    const events: GatewayEvent[] = [];
    const gateway = createGateway({ providers: { p: provider.adapter(server) }, onEvent: (event) => void events.push(event), routing: { retry: false } });
    const echo = { kind: 'error' as const, status: 400, message: `Invalid request: could not process message "${PROMPT}"` };
    const page = { kind: 'raw' as const, status: 502, headers: { 'content-type': 'text/html' }, body: `<html><body><h1>502 Bad Gateway</h1><pre>${PROMPT}</pre></body></html>` };
    server.enqueue(echo, echo, page, page);
    const prompt = [{ role: 'user' as const, content: PROMPT }];
    const failures: unknown[] = [];
    for (const stream of [false, true, false, true]) failures.push(await gateway.chat.completions.create({ model: 'p/m', messages: prompt, stream }).catch((e: unknown) => e));
    await new Promise((resolve) => setImmediate(resolve));
    await server.close();

    expect(failures.map((failure) => (failure as { status?: number }).status)).toEqual([400, 400, 502, 502]);
    expect(events.filter((event) => event.type === 'request.end')).toHaveLength(4);
    expect(events.some((event) => event.type === 'attempt.end')).toBe(true);
    for (const failure of failures) {
      expect((failure as Error).message).toMatch(/^[\w.-]+\/m answered (400|502)\b/);
      const visible = everythingVisible(failure, events);
      expect(visible).not.toContain('PromptCanary');
      expect(visible).not.toContain('4111-1111');
    }
    // The prompt did reach the provider: the canary would have been caught had it leaked.
    expect(JSON.stringify(server.requests[0]!.body)).toContain('PromptCanary');
  });
});

describe('every credential the client holds is scrubbed, also when provider text is exposed', () => {
  const exposed = async (adapter: (server: MockServer) => ProviderAdapter, format: WireFormat | undefined, echo: (request: RecordedRequest) => string) => {
    const server = await startMockServer(format ? { format } : {});
    const events: GatewayEvent[] = [];
    const gateway = createGateway({ providers: { p: adapter(server) }, onEvent: (event) => void events.push(event), routing: { retry: false } });
    server.setFallback((request) => ({ kind: 'error', status: 401, message: `Invalid credentials: ${echo(request)}` }));
    const error = await gateway.chat.completions.create({ model: 'p/m', messages }).catch((e: unknown) => e);
    await new Promise((resolve) => setImmediate(resolve));
    await server.close();
    expect(error).toMatchObject({ status: 401 });
    // The provider's text is there (opted in), the credential is not.
    expect((error as Error).message).toContain('Invalid credentials: [redacted]');
    return { visible: everythingVisible(error, events), requests: server.requests };
  };

  it('anthropic: an echoed authToken', async () => {
    // Not shaped like any well-known key, so only the client's own list can scrub it.
    const token = 'oauth-SwitchyardTokenCanary-0123456789';
    const { visible, requests } = await exposed(
      (server) => anthropic({ client: new Anthropic({ authToken: token, apiKey: null, baseURL: server.baseURL }), exposeProviderMessages: true }),
      anthropicWireFormat,
      (request) => header(request, 'authorization').replace('Bearer ', ''),
    );
    expect(visible).not.toContain('TokenCanary');
    expect(header(requests[0]!, 'authorization')).toBe(`Bearer ${token}`);
  });

  it('openai: every pooled key', async () => {
    const keys = ['pool-KeyCanary-first-0123456789', 'pool-KeyCanary-second-0123456789'];
    const { visible, requests } = await exposed(
      (server) => openai({ client: new OpenAI({ apiKey: 'unused-0000000000', baseURL: server.baseURL }), keys, exposeProviderMessages: true }),
      undefined,
      (request) => header(request, 'authorization').replace('Bearer ', ''),
    );
    expect(visible).not.toContain('KeyCanary');
    // Both keys were tried (each refused once), so both were echoed.
    expect(new Set(requests.map((request) => header(request, 'authorization')))).toEqual(new Set(keys.map((key) => `Bearer ${key}`)));
  });
});
