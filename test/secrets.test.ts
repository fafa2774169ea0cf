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
  adapter(server: MockServer): ProviderAdapter;
  /** The credential as the SDK sent it. */
  sentKey(request: RecordedRequest): string;
}

const header = (request: RecordedRequest, name: string) => String(request.headers[name] ?? '');

const providers: Provider[] = [
  {
    name: 'openai',
    key: 'sk-proj-SwitchyardLeakCanary0123456789abcdef',
    format: undefined,
    adapter: (server) => openai({ client: new OpenAI({ apiKey: providers[0]!.key, baseURL: server.baseURL }) }),
    sentKey: (request) => header(request, 'authorization').replace('Bearer ', ''),
  },
  {
    name: 'anthropic',
    key: 'sk-ant-api03-SwitchyardLeakCanary0123456789',
    format: anthropicWireFormat,
    adapter: (server) => anthropic({ client: new Anthropic({ apiKey: providers[1]!.key, baseURL: server.baseURL }) }),
    sentKey: (request) => header(request, 'x-api-key') || header(request, 'authorization').replace('Bearer ', ''),
  },
  {
    name: 'google (genai)',
    key: 'AIzaSyLeakCanary0123456789abcdefghijk',
    format: geminiWireFormat,
    adapter: (server) => google({ client: new GoogleGenAI({ apiKey: providers[2]!.key, httpOptions: { baseUrl: server.baseURL } }), apiKey: providers[2]!.key }),
    sentKey: (request) => header(request, 'x-goog-api-key'),
  },
  {
    name: 'google (generative-ai)',
    key: 'AIzaSyLeakCanary9876543210abcdefghijk',
    format: geminiWireFormat,
    adapter: (server) => google({ client: new GoogleGenerativeAI(providers[3]!.key), requestOptions: { baseUrl: server.baseURL } }),
    sentKey: (request) => header(request, 'x-goog-api-key'),
  },
];

function everythingVisible(error: unknown, events: GatewayEvent[]): string {
  return [String(error), (error as Error).stack ?? '', JSON.stringify(error), inspect(error, { depth: 10, showHidden: true }), JSON.stringify(events)].join('\n');
}

describe.each(providers)('API keys never leak: $name', (provider) => {
  it('not in errors, their causes, or events, whatever the provider echoes', async () => {
    const server = await startMockServer(provider.format ? { format: provider.format } : {});
    const events: GatewayEvent[] = [];
    const gateway = createGateway({ providers: { p: provider.adapter(server) }, onEvent: (event) => void events.push(event), routing: { retry: false } });
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
