import { GatewayError, createGateway, type ChatCompletionCreateParams, type GatewayConfig } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer, type MockReply, type MockServer } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
};

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
              faulty: openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: faulty.baseURL }) }),
              healthy: openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: healthy.baseURL }) }),
            },
            models: { route: mechanism === 'fallback' ? { fallback: ['faulty/m', 'healthy/m'] } : 'faulty/m' },
          });
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
          if (mechanism === 'fallback' && !['400', 'stream cut mid-way', 'malformed chunk', 'stall mid-stream'].includes(fault)) {
            expect(outcome).toBe('resolved');
          }
        });
      }
    }
  }
});
