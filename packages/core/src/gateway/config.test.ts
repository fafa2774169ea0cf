import pRetry from 'p-retry';
import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../adapter/adapter.js';
import { MAX_TIMER_MS, type RetryOptions } from '../contract/call-options.js';
import { validateConfig } from './config.js';
import { ConfigError } from '../errors/errors.js';
import { CircuitBreaker, type CircuitBreakerOptions } from '../health/circuit-breaker.js';
import { DeploymentHealth } from '../health/deployment-health.js';
import { LatencyTracker } from '../health/latency-tracker.js';
import { ROUTE_FORMS } from '../routing/route-spec.js';
import { TokenBucket, type TokenBucketOptions } from '../health/token-bucket.js';

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

const routeIssues = (models: Record<string, unknown>) => issuesOf({ providers: { openai: adapter }, models });

describe('catalog config', () => {
  it('accepts model facts by target or model name, deprecated routing.prices and contextWindows beside them', () => {
    expect(() =>
      validateConfig({
        providers: { openai: adapter },
        catalog: {
          'openai/gpt-4o': { contextWindow: 128_000, maxOutputTokens: 16_384, modalities: { input: ['text', 'image'], output: ['text'] } },
          'my-model': { prices: { input: 1e-6, output: 2e-6, cacheRead: 0, cacheWrite5m: 1.25e-6, cacheWrite1h: 2e-6, reasoning: 2e-6 } },
        },
        routing: { prices: { 'openai/gpt-4o': { input: 2.5, output: 10 } }, contextWindows: { 'my-model': 8192 } },
      }),
    ).not.toThrow();
  });

  it('names every bad fact with its path', () => {
    const issues = issuesOf({
      providers: { openai: adapter },
      catalog: {
        a: { contextWindow: 0, maxOutputTokens: 1.5, window: 3 },
        b: { modalities: { input: ['smell'], output: 'text' }, prices: { input: -1, cache: 1 } },
        c: 'big',
      },
    });
    const paths = issues.map((issue) => issue.path);
    expect(paths).toEqual(
      expect.arrayContaining(['catalog.a.contextWindow', 'catalog.a.maxOutputTokens', 'catalog.a', 'catalog.b.modalities.input.0', 'catalog.b.modalities.output', 'catalog.b.prices.input', 'catalog.b.prices', 'catalog.c']),
    );
    const message = (path: string) => issues.filter((issue) => issue.path === path).map((issue) => issue.message).join('; ');
    expect(message('catalog.a.contextWindow')).toMatch(/whole number of tokens > 0/);
    expect(message('catalog.a')).toMatch(/window/);
    expect(message('catalog.b.modalities.input.0')).toMatch(/one of text, image, audio, video, pdf/);
    expect(message('catalog.b.prices.input')).toMatch(/USD per token/);
    expect(message('catalog.c')).toMatch(/contextWindow\?, maxOutputTokens\?/);
  });
});

describe('route spec errors', () => {
  it('names an unknown key with the key it most likely meant, and lists every form a route may take', () => {
    const issues = routeIssues({ smart: { fallbacks: ['openai/a', 'openai/b'] } });
    expect(issues).toEqual([{ path: 'models.smart', message: `unknown key 'fallbacks' (did you mean 'fallback'?); ${ROUTE_FORMS}` }]);
    expect(ROUTE_FORMS).toBe(
      "a route is '<provider>/<model>', the name of another route (an alias), { target: '<provider>/<model>', weight?, params?, retry?, region? }, " +
        '{ fallback: [...], retry?, weight? }, { loadbalance: [...], strategy?, sticky?, retry?, weight? }, ' +
        '{ priority: [...], maxMsPerOutputToken, retry?, weight? } or { rules: [{ when, route }, ...], default?, weight? }',
    );
  });

  it('lists exactly the forms the schema accepts: an example of each listed form passes', () => {
    const examples: Record<string, unknown> = {
      target: { target: 'openai/a', weight: 2, params: { max_tokens: 5 }, retry: false },
      fallback: { fallback: ['openai/a'], retry: { retries: 1 }, weight: 1 },
      loadbalance: { loadbalance: ['openai/a'], strategy: 'least-busy', sticky: 'user', retry: false, weight: 1 },
      priority: { priority: ['openai/a'], maxMsPerOutputToken: 20, retry: false, weight: 1 },
      rules: { rules: [{ when: { teams: ['a'], metadata: { tier: 'gold*' }, principal: 'p', roles: ['r'] }, route: 'openai/a' }], default: 'openai/b', weight: 1 },
    };
    const listed = [...ROUTE_FORMS.matchAll(/\{ (\w+):/g)].map((match) => match[1]);
    expect(listed).toEqual(['target', 'fallback', 'loadbalance', 'priority', 'rules']);
    for (const form of listed) expect(() => validateConfig({ providers: { openai: adapter }, models: { [form as string]: examples[form as string] } })).not.toThrow();
    // And the two string forms.
    expect(() => validateConfig({ providers: { openai: adapter }, models: { direct: 'openai/a', alias: 'direct' } })).not.toThrow();
  });

  it('checks a misspelt form as if spelt right, so one error names everything wrong in it, with full paths', () => {
    const issues = routeIssues({ smart: { fallbacks: ['openai/a', { target: 'openai/b', weigth: 2 }, { target: 'openai/c', weight: 'heavy' }] } });
    expect(issues).toEqual([
      { path: 'models.smart', message: `unknown key 'fallbacks' (did you mean 'fallback'?); ${ROUTE_FORMS}` },
      { path: 'models.smart.fallbacks.1', message: "unknown key 'weigth' (did you mean 'weight'?); known keys: 'target', 'weight', 'params', 'retry', 'region'" },
      { path: 'models.smart.fallbacks.2.weight', message: "must be a finite number > 0 (default 1), got 'heavy'" },
    ]);
  });

  it('says what is wrong inside a form it recognised: wrong type, empty list, unknown key, bad strategy', () => {
    expect(
      routeIssues({
        typed: { fallback: ['openai/a', { target: 'openai/b', weight: 'x' }] },
        empty: { fallback: [] },
        emptyGroup: { loadbalance: [] },
        emptyPriority: { priority: [], maxMsPerOutputToken: 5 },
        emptyRules: { rules: [] },
        notAList: { loadbalance: 'openai/a' },
        extra: { loadbalance: ['openai/a'], stratgy: 'latency' },
        strategy: { loadbalance: ['openai/a'], strategy: 'least_busy' },
        unknownStrategy: { loadbalance: ['openai/a'], strategy: 'fastest' },
        target: { target: 42 },
        emptyTarget: { target: '' },
        priority: { priority: ['openai/a'] },
        rule: { rules: [{ when: { team: ['a'] } }] },
        retry: { target: 'openai/a', retry: true },
        retryKey: { target: 'openai/a', retry: { retrys: 3 } },
      }),
    ).toEqual([
      { path: 'models.typed.fallback.1.weight', message: "must be a finite number > 0 (default 1), got 'x'" },
      { path: 'models.empty.fallback', message: 'a fallback needs at least one entry' },
      { path: 'models.emptyGroup.loadbalance', message: 'a load-balanced group needs at least one entry' },
      { path: 'models.emptyPriority.priority', message: 'a priority list needs at least one entry' },
      { path: 'models.emptyRules.rules', message: 'rules need at least one rule' },
      { path: 'models.notAList.loadbalance', message: "must be a list of routes (the group's entries), got 'openai/a'" },
      { path: 'models.extra', message: "unknown key 'stratgy' (did you mean 'strategy'?); known keys: 'loadbalance', 'strategy', 'sticky', 'retry', 'weight'" },
      { path: 'models.strategy.strategy', message: "must be one of 'weighted', 'latency', 'least-busy', 'cost', got 'least_busy' (did you mean 'least-busy'?)" },
      { path: 'models.unknownStrategy.strategy', message: "must be one of 'weighted', 'latency', 'least-busy', 'cost', got 'fastest'" },
      { path: 'models.target.target', message: "must be '<provider>/<model>' or a route name, got 42" },
      { path: 'models.emptyTarget.target', message: 'a route must name a target' },
      { path: 'models.priority.maxMsPerOutputToken', message: 'must be a finite number > 0 (ms per output token), got undefined' },
      { path: 'models.rule.rules.0.when', message: "unknown key 'team' (did you mean 'teams'?); known keys: 'principals', 'teams', 'roles', 'models', 'routes', 'tags', 'metadata', 'principal'" },
      { path: 'models.rule.rules.0.route', message: `must be a route, got undefined; ${ROUTE_FORMS}` },
      { path: 'models.retry.retry', message: 'must be false (one try per target) or { retries?, minDelayMs?, maxDelayMs?, factor?, maxRetryAfterMs? }, got true' },
      { path: 'models.retryKey.retry', message: "unknown key 'retrys' (did you mean 'retries'?); known keys: 'retries', 'minDelayMs', 'maxDelayMs', 'factor', 'maxRetryAfterMs'" },
    ]);
  });

  it('guesses the form from keys only it has, and says what is missing', () => {
    expect(routeIssues({ group: { strategy: 'latency', targets: ['openai/a', 'openai/b'] } })).toEqual([
      { path: 'models.group', message: `looks like { loadbalance: [...], strategy?, sticky?, retry?, weight? } but has no 'loadbalance'; ${ROUTE_FORMS}` },
      { path: 'models.group', message: "unknown key 'targets'; known keys: 'loadbalance', 'strategy', 'sticky', 'retry', 'weight'" },
    ]);
    expect(routeIssues({ split: { provider: 'openai', model: 'gpt-4.1' } })).toEqual([
      { path: 'models.split', message: `looks like { target: '<provider>/<model>', weight?, params?, retry?, region? } but has no 'target'; ${ROUTE_FORMS}` },
      { path: 'models.split', message: "unknown keys 'provider', 'model'; known keys: 'target', 'weight', 'params', 'retry', 'region'" },
    ]);
    // A misspelt shape key whose value fits wins over a near miss whose value does not.
    expect(routeIssues({ lb: { targets: ['openai/a'], sticky: 'user' } })[0]?.message).toMatch(/^looks like \{ loadbalance:/);
    expect(routeIssues({ one: { targt: 'openai/a' } })[0]?.message).toMatch(/^unknown key 'targt' \(did you mean 'target'\?\)/);
    expect(routeIssues({ lb: { LoadBalance: ['openai/a'] } })[0]?.message).toMatch(/^unknown key 'LoadBalance' \(did you mean 'loadbalance'\?\)/);
  });

  it('says what a value that is no route at all should have been', () => {
    expect(
      routeIssues({ number: 5, list: ['openai/a', 'openai/b'], nothing: null, blank: {}, mystery: { colour: 'blue' }, both: { fallback: ['openai/a'], loadbalance: ['openai/b'] } }),
    ).toEqual([
      { path: 'models.number', message: `must be a route, got 5; ${ROUTE_FORMS}` },
      { path: 'models.list', message: `must be a route, got a list: a list of routes goes in { fallback: [...] } (tried in order) or { loadbalance: [...] } (spread); ${ROUTE_FORMS}` },
      { path: 'models.nothing', message: `must be a route, got null; ${ROUTE_FORMS}` },
      { path: 'models.blank', message: `must be a route, got an empty object; ${ROUTE_FORMS}` },
      { path: 'models.mystery', message: `unknown key 'colour'; ${ROUTE_FORMS}` },
      { path: 'models.both', message: "has 'fallback' and 'loadbalance', but a route takes one form; nest one inside the other, e.g. { fallback: [{ loadbalance: [...] }, ...] }" },
    ]);
  });

  it('finds problems deep in nested groups and rules', () => {
    expect(
      routeIssues({
        deep: { rules: [{ when: { teams: ['a'] }, route: { fallback: ['openai/a', { loadbalance: [{ target: 'openai/b', weight: -1 }, { fallbak: [] }] }] } }], default: { fallback: 3 } },
      }),
    ).toEqual([
      { path: 'models.deep.rules.0.route.fallback.1.loadbalance.0.weight', message: 'must be a finite number > 0 (default 1), got -1' },
      { path: 'models.deep.rules.0.route.fallback.1.loadbalance.1', message: `unknown key 'fallbak' (did you mean 'fallback'?); ${ROUTE_FORMS}` },
      { path: 'models.deep.rules.0.route.fallback.1.loadbalance.1.fallbak', message: 'a fallback needs at least one entry' },
      { path: 'models.deep.default.fallback', message: "must be a list of routes (the fallback's entries), got 3" },
    ]);
  });

  it('names unknown keys elsewhere in the config with the closest known key', () => {
    const issues = issuesOf({ provider: { openai: adapter }, routing: { retrys: 2, breaker: { cooldown: 5 } }, defaults: { timeOut: 5 } });
    expect(issues).toEqual(
      expect.arrayContaining([
        { path: '', message: expect.stringMatching(/^unknown key 'provider' \(did you mean 'providers'\?\); known keys: 'providers', 'models'/) },
        { path: 'routing', message: expect.stringMatching(/^unknown key 'retrys' \(did you mean 'retry'\?\)/) },
        { path: 'routing.breaker', message: expect.stringMatching(/^unknown key 'cooldown' \(did you mean 'cooldownMs'\?\)/) },
        { path: 'defaults', message: expect.stringMatching(/^unknown key 'timeOut' \(did you mean 'timeout'\?\)/) },
      ]),
    );
    expect(issuesOf({ providers: { openai: adapter }, routing: { breaker: true, retryBudget: 10, retry: 'never' } })).toEqual([
      { path: 'routing.retry', message: "must be false (one try per target) or { retries?, minDelayMs?, maxDelayMs?, factor?, maxRetryAfterMs? }, got 'never'" },
      {
        path: 'routing.breaker',
        message: 'must be false (no breaking) or { failureRateThreshold?, minimumRequests?, windowMs?, cooldownMs?, halfOpenMaxProbes?, probeTimeoutMs?, onTransition? }, got true',
      },
      { path: 'routing.retryBudget', message: 'must be false (unlimited retries) or { capacity, refillPerSecond }, got 10' },
    ]);
  });
});

/** Values at and around every bound an option may have, and values of the wrong type. */
const BOUNDARY_VALUES: readonly unknown[] = [
  Number.NEGATIVE_INFINITY,
  -1,
  -Number.MIN_VALUE,
  -0,
  0,
  Number.MIN_VALUE,
  0.5,
  1,
  1.5,
  2,
  MAX_TIMER_MS - 1,
  MAX_TIMER_MS,
  MAX_TIMER_MS + 1,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_SAFE_INTEGER + 2,
  Number.MAX_VALUE,
  Number.POSITIVE_INFINITY,
  Number.NaN,
  '1',
  null,
  true,
  {},
];

/** The config's verdict on one value: `undefined` when accepted, else its message at `path`. */
function configVerdict(config: Record<string, unknown>, path: string): string | undefined {
  try {
    validateConfig({ providers: { openai: adapter }, ...config });
    return undefined;
  } catch (error) {
    const issues = (error as ConfigError).issues;
    expect(issues.map((issue) => issue.path)).toEqual([path]);
    return issues[0]?.message;
  }
}

/** The primitive's verdict: `undefined` when constructed, else the RangeError's message. */
function primitiveVerdict(build: () => unknown): string | undefined {
  try {
    build();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(RangeError);
    return (error as RangeError).message;
  }
}

describe('config bounds and the primitives\' bounds agree', () => {
  const now = () => 0;
  const breakerOptions: Array<keyof CircuitBreakerOptions> = ['failureRateThreshold', 'minimumRequests', 'windowMs', 'cooldownMs', 'halfOpenMaxProbes', 'probeTimeoutMs', 'onTransition'];

  it('routing.breaker and CircuitBreaker accept and refuse the same values, with the same words', () => {
    for (const option of breakerOptions) {
      for (const value of [...BOUNDARY_VALUES, () => undefined]) {
        const config = configVerdict({ routing: { breaker: { [option]: value } } }, `routing.breaker.${option}`);
        const primitive = primitiveVerdict(() => new CircuitBreaker({ [option]: value }, now));
        expect({ option, value, primitive }).toEqual({ option, value, primitive: config === undefined ? undefined : `Switchyard: circuit breaker \`${option}\` ${config}.` });
        // The gateway builds every deployment's breaker through DeploymentHealth: what the config accepts, it builds.
        if (config === undefined) expect(() => new DeploymentHealth({ breaker: { [option]: value } }, now)).not.toThrow();
      }
    }
    // Unknown keys: refused by both, named alike.
    expect(configVerdict({ routing: { breaker: { cooldown: 1 } } }, 'routing.breaker')).toMatch(/^unknown key 'cooldown' \(did you mean 'cooldownMs'\?\)/);
    expect(() => new CircuitBreaker({ cooldown: 1 } as CircuitBreakerOptions, now)).toThrow(/^Switchyard: circuit breaker options: unknown key 'cooldown' \(did you mean 'cooldownMs'\?\)/);
  });

  it('routing.retryBudget and TokenBucket accept and refuse the same values, with the same words', () => {
    for (const option of ['capacity', 'refillPerSecond'] as const) {
      for (const value of [...BOUNDARY_VALUES, undefined]) {
        const options = { capacity: 1, refillPerSecond: 1, [option]: value } as TokenBucketOptions;
        const config = configVerdict({ routing: { retryBudget: options } }, `routing.retryBudget.${option}`);
        const primitive = primitiveVerdict(() => new TokenBucket(options, now));
        expect({ option, value, primitive }).toEqual({ option, value, primitive: config === undefined ? undefined : `Switchyard: token bucket \`${option}\` ${config}.` });
        if (config === undefined) expect(() => new DeploymentHealth({ retryBudget: options }, now)).not.toThrow();
      }
    }
  });

  it('the latency tracker and deployment health agree on halfLifeMs', () => {
    for (const value of [...BOUNDARY_VALUES, undefined]) {
      const tracker = primitiveVerdict(() => new LatencyTracker({ halfLifeMs: value as number }, now));
      const health = primitiveVerdict(() => new DeploymentHealth({ latencyHalfLifeMs: value as number }, now));
      expect({ value, health }).toEqual({ value, health: tracker });
    }
  });

  it('every retry policy the config accepts is one p-retry accepts', async () => {
    const options = ['retries', 'minDelayMs', 'maxDelayMs', 'factor', 'maxRetryAfterMs'] as const;
    for (const option of options) {
      for (const value of BOUNDARY_VALUES) {
        const retry = { [option]: value } as RetryOptions;
        if (configVerdict({ routing: { retry } }, `routing.retry.${option}`) !== undefined) continue;
        // As the route executor hands the policy to p-retry.
        const run = pRetry(() => 'ok', {
          retries: retry.retries ?? 2,
          minTimeout: retry.minDelayMs ?? 250,
          maxTimeout: retry.maxDelayMs ?? 8000,
          factor: retry.factor ?? 2,
          randomize: true,
        });
        await expect(run, `${option}: ${String(value)}`).resolves.toBe('ok');
        // And the Retry-After cap is a delay the gateway's own timer can hold.
        expect(retry.maxRetryAfterMs ?? 0).toBeLessThanOrEqual(MAX_TIMER_MS);
      }
    }
  });

  it('accepts what the primitives accept where they used to disagree', () => {
    // A breaker that opens on any failure once enough requests were seen: the breaker always took 0.
    expect(() => validateConfig({ providers: { openai: adapter }, routing: { breaker: { failureRateThreshold: 0 } } })).not.toThrow();
    // A retry budget of 0 (never a retry): the bucket always took it.
    expect(() => validateConfig({ providers: { openai: adapter }, routing: { retryBudget: { capacity: 0, refillPerSecond: 0 } } })).not.toThrow();
    // A breaker listener: in the option type, called by deployment health, refused by the old schema.
    expect(() => validateConfig({ providers: { openai: adapter }, routing: { breaker: { onTransition: () => undefined } } })).not.toThrow();
    // And refuses at validation what the bucket would have refused later with a RangeError.
    expect(issuesOf({ providers: { openai: adapter }, routing: { retryBudget: { capacity: Number.POSITIVE_INFINITY, refillPerSecond: Number.POSITIVE_INFINITY } } })).toEqual([
      { path: 'routing.retryBudget.capacity', message: 'must be a finite number ≥ 0, got Infinity' },
      { path: 'routing.retryBudget.refillPerSecond', message: 'must be a finite number ≥ 0, got Infinity' },
    ]);
  });
});
