import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from './adapter.js';
import { validateConfig } from './config.js';
import { ConfigError } from './errors.js';

const adapter: ProviderAdapter = {
  provider: 'stub',
  capabilities: { stream: true, tools: true, images: true, jsonSchema: true, embeddings: false, reasoning: false },
  chat: () => Promise.reject(new Error('unused')),
  stream: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) }),
};

function issuesOf(config: unknown): Array<{ path: string; message: string }> {
  try {
    validateConfig(config);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).issues];
  }
  throw new Error('expected a ConfigError');
}

describe('validateConfig', () => {
  it('accepts a minimal config and a full one', () => {
    expect(() => validateConfig({ providers: { openai: adapter } })).not.toThrow();
    expect(() =>
      validateConfig({
        providers: { openai: adapter, vllm: adapter },
        models: { fast: 'openai/gpt-4.1-mini', quick: 'fast', llama: 'vllm/meta-llama/Llama-3.1-8B' },
        middleware: [{ name: 'noop', request: (_ctx: unknown, next: () => unknown) => next() }],
        onEvent: () => undefined,
        onEventError: () => undefined,
        defaults: { timeout: 1000 },
        clock: { now: () => 0 },
      }),
    ).not.toThrow();
  });

  it('lists every problem with its path in one error', () => {
    const issues = issuesOf({
      providers: { 'open/ai': adapter, broken: { provider: 'x' } },
      middleware: [{ name: '' }, 'nope'],
      defaults: { timeout: -5 },
      onEvent: 'not a function',
      typo: true,
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['providers.open/ai', 'providers.broken', 'middleware.0', 'middleware.1', 'defaults.timeout', 'onEvent', '']),
    );
    expect(issues.find((issue) => issue.path === '')?.message).toMatch(/typo/);
  });

  it('rejects routes that end nowhere, name unknown providers or form cycles', () => {
    const issues = issuesOf({
      providers: { openai: adapter },
      models: { a: 'b', b: 'a', lost: 'anthropic/claude', bare: 'gpt-4.1', ok: 'openai/gpt-4.1' },
    });
    expect(issues).toEqual([
      { path: 'models.a', message: 'routes form a cycle: a -> b -> a' },
      { path: 'models.lost', message: "unknown provider 'anthropic' (configured: openai)" },
      { path: 'models.bare', message: "'gpt-4.1' is neither a route nor '<provider>/<model>'" },
    ]);
  });

  it('checks nested groups and rules, naming the path of each bad entry', () => {
    const issues = issuesOf({
      providers: { openai: adapter },
      models: {
        nested: { fallback: ['openai/a', { loadbalance: [{ target: 'nope/x', weight: 2 }], strategy: 'latency' }] },
        ruled: { rules: [{ when: { teams: ['a'] }, route: 'ghost' }], default: 'nested' },
        odd: { loadbalance: ['openai/a'], strategy: 'fastest' },
        empty: { fallback: [] },
      },
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths.some((path) => path.startsWith('models.odd'))).toBe(true);
    expect(paths.some((path) => path.startsWith('models.empty'))).toBe(true);
    const semantic = issuesOf({
      providers: { openai: adapter },
      models: {
        nested: { fallback: ['openai/a', { loadbalance: [{ target: 'nope/x', weight: 2 }], strategy: 'latency' }] },
        ruled: { rules: [{ when: { teams: ['a'] }, route: 'ghost' }], default: 'nested' },
      },
    });
    expect(semantic).toEqual([
      { path: 'models.nested.fallback.1.loadbalance.0.target', message: "unknown provider 'nope' (configured: openai)" },
      { path: 'models.ruled.rules.0.route', message: "'ghost' is neither a route nor '<provider>/<model>'" },
    ]);
  });

  it('says what is wrong in the message, and requires a provider', () => {
    const error = (() => {
      try {
        validateConfig({ providers: {} });
      } catch (caught) {
        return caught as ConfigError;
      }
      return undefined;
    })();
    expect(error?.message).toMatch(/Invalid Switchyard config \(1 problem\):\n {2}- providers: configure at least one provider/);
    expect(issuesOf(undefined)).not.toHaveLength(0);
  });
  it('refuses every duration that reaches a timer above 2^31 - 1 ms, naming the limit', () => {
    const tooLong = 'Too big: at most 2147483647 ms (about 24.8 days), the longest a Node.js timer can wait';
    const thirtyDays = 30 * 24 * 60 * 60 * 1000;
    const issues = issuesOf({
      providers: { openai: adapter },
      models: {
        slow: { target: 'openai/a', retry: { maxRetryAfterMs: 2 ** 31 } },
        group: { fallback: ['openai/a'], retry: { minDelayMs: Number.MAX_SAFE_INTEGER } },
      },
      defaults: { timeout: thirtyDays, attemptTimeout: 2 ** 31, firstChunkTimeout: Number.MAX_SAFE_INTEGER, idleTimeout: 2 ** 40 },
      routing: { retry: { maxDelayMs: 2 ** 31 }, waitForCooldownMs: 2_147_483_647 },
    });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: 'defaults.timeout', message: tooLong },
        { path: 'defaults.attemptTimeout', message: tooLong },
        { path: 'defaults.firstChunkTimeout', message: tooLong },
        { path: 'defaults.idleTimeout', message: tooLong },
        { path: 'routing.retry.maxDelayMs', message: tooLong },
        { path: 'models.slow.retry.maxRetryAfterMs', message: tooLong },
        { path: 'models.group.retry.minDelayMs', message: tooLong },
        // The cooldown wait runs 1 ms past the probe time.
        { path: 'routing.waitForCooldownMs', message: expect.stringMatching(/^Too big: at most 2147483646 ms/) },
      ]),
    );
    expect(issues).toHaveLength(8);
    expect(() =>
      validateConfig({
        providers: { openai: adapter },
        models: { slow: { target: 'openai/a', retry: { maxRetryAfterMs: 2_147_483_647, maxDelayMs: 2_147_483_647 } } },
        defaults: { timeout: 2_147_483_647, attemptTimeout: 2_147_483_647, firstChunkTimeout: 2_147_483_647, idleTimeout: 2_147_483_647 },
        routing: { retry: { maxRetryAfterMs: 2_147_483_647 }, waitForCooldownMs: 2_147_483_646 },
      }),
    ).not.toThrow();
  });

  it('refuses target params that cannot be sent as JSON, and routes that are circular objects', () => {
    const schema: Record<string, unknown> = { type: 'object' };
    schema.properties = { again: schema };
    expect(
      issuesOf({
        providers: { openai: adapter },
        models: { a: { target: 'openai/a', params: { seed: 1n } }, b: { target: 'openai/b', params: { response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } } } },
      }),
    ).toEqual([{ path: 'models.a.params.seed', message: expect.stringMatching(/BigInt/) }]);
    expect(
      issuesOf({ providers: { openai: adapter }, models: { b: { target: 'openai/b', params: { response_format: { type: 'json_schema', json_schema: { name: 'x', schema } } } } } }),
    ).toEqual([
      {
        path: 'models.b.params.response_format.json_schema.schema.properties.again',
        message: 'circular reference back to models.b.params.response_format.json_schema.schema; JSON cannot encode it',
      },
    ]);
    const loop: Record<string, unknown> = { fallback: ['openai/a'] };
    (loop.fallback as unknown[]).push(loop);
    expect(issuesOf({ providers: { openai: adapter }, models: { loop } })).toEqual([{ path: 'models.loop.fallback.1', message: 'circular reference back to models.loop; JSON cannot encode it' }]);
  });
});
