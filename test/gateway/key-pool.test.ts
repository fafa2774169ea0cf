import Anthropic from '@anthropic-ai/sdk';
import { anthropic } from '@switchyard/anthropic';
import { ProviderError, createGateway, type ProviderAdapter } from '@switchyard/core';
import { type PooledKey } from '@switchyard/core/adapter';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, startMockServer, type MockServer, type RecordedRequest, type WireFormat } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { collectEvents, flushEvents } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];
const header = (request: RecordedRequest, name: string) => String(request.headers[name] ?? '');

interface Sdk {
  name: string;
  format: WireFormat | undefined;
  /** Where the SDK put the key: a bearer token (OpenAI; @anthropic-ai/sdk 1.x) or x-api-key (older Anthropic SDKs). */
  keyOf(request: RecordedRequest): string;
  adapter(server: MockServer, keys: PooledKey[]): ProviderAdapter;
}

const sdks: Sdk[] = [
  {
    name: 'openai',
    format: undefined,
    keyOf: (request) => header(request, 'authorization').replace('Bearer ', ''),
    adapter: (server, keys) => openai({ client: new OpenAI({ apiKey: 'sk-unused-0000000000', baseURL: server.baseURL }), keys }),
  },
  {
    name: 'anthropic',
    format: anthropicWireFormat,
    keyOf: (request) => header(request, 'x-api-key') || header(request, 'authorization').replace('Bearer ', ''),
    adapter: (server, keys) => anthropic({ client: new Anthropic({ apiKey: 'sk-ant-unused-0000000000', baseURL: server.baseURL }), keys }),
  },
];

const REVOKED = 'sk-pool-revoked-AAAAAAAAAAAA';
const VALID = 'sk-pool-valid-BBBBBBBBBBBBBB';
const ALSO_REVOKED = 'sk-pool-revoked-CCCCCCCCCCCC';

let server: MockServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe.each(sdks)('a key pool with a revoked key: $name', (sdk) => {
  /** 401 for a revoked key, as the provider answers one; a normal answer otherwise. */
  const start = async () => {
    server = await startMockServer(sdk.format ? { format: sdk.format } : {});
    server.setFallback((request) =>
      sdk.keyOf(request).startsWith('sk-pool-revoked') ? { kind: 'error', status: 401, message: 'invalid x-api-key' } : { content: 'ok' },
    );
    return server;
  };

  it('64 concurrent calls all succeed: each refused call goes again at once on the valid key, and the breaker never hears of it', async () => {
    const mock = await start();
    const events = collectEvents();
    // The revoked key weighs far more, so that nearly every call tries it first.
    const gateway = createGateway({
      providers: { p: sdk.adapter(mock, [{ key: REVOKED, weight: 1_000_000 }, VALID]) },
      onEvent: events.onEvent,
      routing: { retry: { minDelayMs: 0, maxDelayMs: 0 }, breaker: { minimumRequests: 5, failureRateThreshold: 0.5 } },
    });
    const results = await Promise.allSettled(
      Array.from({ length: 64 }, (_, i) => gateway.chat.completions.create({ model: 'p/m', messages, stream: i % 2 === 1 }).withMeta()),
    );
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    // One gateway attempt each: the other key was tried inside it, not as a gateway retry.
    expect(results.map((result) => (result.status === 'fulfilled' ? result.value.meta.attempts : 0))).toEqual(Array.from({ length: 64 }, () => 1));
    const keys = mock.requests.map(sdk.keyOf);
    expect(keys.filter((key) => key === VALID)).toHaveLength(64);
    expect(keys.filter((key) => key === REVOKED).length).toBeGreaterThanOrEqual(1);
    await flushEvents();
    const types = events.events.map((event) => event.type);
    expect(types).not.toContain('attempt.retry');
    expect(types.filter((type) => type.startsWith('deployment.'))).toEqual([]);
    // The revoked key now rests: the next calls go straight to the valid one.
    const before = mock.requests.length;
    for (let i = 0; i < 5; i++) await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(mock.requests.slice(before).map(sdk.keyOf)).toEqual(Array.from({ length: 5 }, () => VALID));
  });

  it('the 401 surfaces, and counts against the deployment, only once every key was refused', async () => {
    const mock = await start();
    const events = collectEvents();
    const gateway = createGateway({
      providers: { p: sdk.adapter(mock, [REVOKED, ALSO_REVOKED]) },
      onEvent: events.onEvent,
      routing: { retry: false, breaker: { minimumRequests: 2, failureRateThreshold: 0.5 } },
    });
    const error = await gateway.chat.completions.create({ model: 'p/m', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ status: 401, attempts: 1 });
    // Each key once, in one attempt.
    expect(new Set(mock.requests.map(sdk.keyOf))).toEqual(new Set([REVOKED, ALSO_REVOKED]));
    expect(mock.requests).toHaveLength(2);
    await gateway.chat.completions.create({ model: 'p/m', messages }).catch(() => undefined);
    await flushEvents();
    expect(events.events.map((event) => event.type)).toContain('deployment.cooldown');
  });
});
