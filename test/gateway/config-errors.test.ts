import { ProviderError, createGateway, type CircuitBreakerTransition, type GatewayConfig } from '@switchyard/core';
import { KeyPool } from '@switchyard/core/adapter';
// Routing internals, not exported: their option validation is tested from the source.
import { CircuitBreaker, TokenBucket } from '../../packages/core/src/health/index.js';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { configError, manualClock } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];
const answering = (name: string) => scriptedAdapter({ provider: name, chat: () => completionOf(`${name}:ok`) });
const failing = (name: string, status = 503) =>
  scriptedAdapter({
    provider: name,
    chat: () => {
      throw new ProviderError(`failed with ${status}`, { provider: name, model: 'm', status, retryable: status >= 500 });
    },
  });


const formsListed = /a route is '<provider>\/<model>', the name of another route \(an alias\), \{ target: .*\{ fallback: \[\.\.\.\].*\{ loadbalance: \[\.\.\.\].*\{ priority: \[\.\.\.\].*\{ rules: /;

describe('config errors that help', () => {
  it('createGateway names an unknown route key, the key meant, and the forms a route may take, instead of "Invalid input"', () => {
    const error = configError(() => createGateway({ providers: { openai: answering('openai') }, models: { smart: { fallbacks: ['openai/a'] } } as unknown as GatewayConfig['models'] }));
    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.path).toBe('models.smart');
    expect(error.issues[0]?.message).toMatch(/^unknown key 'fallbacks' \(did you mean 'fallback'\?\); /);
    expect(error.issues[0]?.message).toMatch(formsListed);
    expect(error.message).toContain("  - models.smart: unknown key 'fallbacks' (did you mean 'fallback'?); a route is ");
    expect(error.message).not.toContain('Invalid input');
  });

  it('reload says the same, with the full path to a nested field, and keeps the old config', async () => {
    const gateway = createGateway({ providers: { a: answering('a') }, models: { main: 'a/m' } });
    const error = configError(() =>
      gateway.reload({ providers: { a: answering('b') }, models: { main: { fallback: ['a/m', { target: 'a/n', weight: '2' }] } } as unknown as GatewayConfig['models'] }),
    );
    expect(error.issues).toEqual([{ path: 'models.main.fallback.1.weight', message: "must be a finite number > 0 (default 1), got '2'" }]);
    expect((await gateway.chat.completions.create({ model: 'main', messages })).choices[0]?.message.content).toBe('a:ok');
  });

  it('names unknown keys of routing options with the closest known one', () => {
    const error = configError(() => createGateway({ providers: { a: answering('a') }, routing: { breaker: { treshold: 0.5 } } } as unknown as GatewayConfig));
    expect(error.issues).toEqual([
      {
        path: 'routing.breaker',
        message:
          "unknown key 'treshold' (did you mean 'failureRateThreshold'?); known keys: 'failureRateThreshold', 'minimumRequests', 'windowMs', 'cooldownMs', 'halfOpenMaxProbes', 'probeTimeoutMs', 'onTransition'",
      },
    ]);
  });
});

describe('config and the primitives agree', () => {
  it('a retry budget the bucket refuses is a ConfigError naming the path, not a RangeError from inside the gateway', () => {
    expect(() => new TokenBucket({ capacity: Number.POSITIVE_INFINITY, refillPerSecond: 1 }, () => 0)).toThrow(RangeError);
    const error = configError(() => createGateway({ providers: { a: answering('a') }, routing: { retryBudget: { capacity: Number.POSITIVE_INFINITY, refillPerSecond: 1 } } }));
    expect(error.issues).toEqual([{ path: 'routing.retryBudget.capacity', message: 'must be a finite number ≥ 0, got Infinity' }]);
  });

  it('a budget of 0, which the bucket always took, is accepted and means no retries', async () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 0 }, () => 0)).not.toThrow();
    const a = failing('a');
    const gateway = createGateway({ providers: { a }, routing: { retry: { minDelayMs: 0, maxDelayMs: 0 }, retryBudget: { capacity: 0, refillPerSecond: 0 }, breaker: false } });
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ status: 503, attempts: 1 });
    expect(a.calls).toHaveLength(1);
  });

  it('a failure-rate threshold of 0, which the breaker always took, is accepted: the first failure past minimumRequests opens it', async () => {
    expect(() => new CircuitBreaker({ failureRateThreshold: 0 }, () => 0)).not.toThrow();
    const clock = manualClock();
    let fail = false;
    const a = scriptedAdapter({
      provider: 'a',
      chat: () => {
        if (fail) throw new ProviderError('down', { provider: 'a', model: 'm', status: 503, retryable: true });
        return completionOf('a:ok');
      },
    });
    const gateway = createGateway({ providers: { a }, clock, routing: { retry: false, breaker: { failureRateThreshold: 0, minimumRequests: 3 } } });
    for (let i = 0; i < 3; i++) await gateway.chat.completions.create({ model: 'a/m', messages });
    fail = true;
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toBeInstanceOf(ProviderError);
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('routing.breaker.onTransition, part of the option type, is accepted and hears every transition', async () => {
    const clock = manualClock();
    const transitions: Array<[CircuitBreakerTransition['from'], CircuitBreakerTransition['to']]> = [];
    const gateway = createGateway({
      providers: { a: failing('a') },
      clock,
      routing: { retry: false, breaker: { minimumRequests: 2, cooldownMs: 1000, onTransition: (t) => void transitions.push([t.from, t.to]) } },
    });
    for (let i = 0; i < 2; i++) await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toBeInstanceOf(ProviderError);
    clock.advance(1000);
    await expect(gateway.chat.completions.create({ model: 'a/m', messages })).rejects.toBeInstanceOf(ProviderError);
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'open'],
    ]);
  });

  it('a breaker listener that is no function is refused by both, in the same words', () => {
    const error = configError(() => createGateway({ providers: { a: answering('a') }, routing: { breaker: { onTransition: 'log' } } } as unknown as GatewayConfig));
    expect(error.issues).toEqual([{ path: 'routing.breaker.onTransition', message: "must be a function, got 'log'" }]);
    expect(() => new CircuitBreaker({ onTransition: 'log' } as never, () => 0)).toThrow("Switchyard: circuit breaker `onTransition` must be a function, got 'log'.");
  });
});

describe('key pool options', () => {
  it('refuses a cooldown that is not a finite duration ≥ 0, which used to be taken and break resting', () => {
    for (const cooldownMs of [-1, Number.NaN, Number.POSITIVE_INFINITY, '60000']) {
      expect(() => new KeyPool(['a'], { cooldownMs: cooldownMs as number })).toThrow(/^Switchyard: key pool `cooldownMs` must be a finite number ≥ 0, got /);
    }
    for (const cooldownMs of [0, 1, 60_000, undefined]) expect(() => new KeyPool(['a'], { cooldownMs })).not.toThrow();
  });

  it('refuses keys that are empty or not strings, and weights that are not finite numbers > 0, naming the entry', () => {
    expect(() => new KeyPool([])).toThrow('Switchyard: key pool `keys` must list at least one key.');
    expect(() => new KeyPool(['a', ''])).toThrow("Switchyard: key pool `keys.1` must be a non-empty string, got ''.");
    expect(() => new KeyPool([{ key: 'a', weight: Number.POSITIVE_INFINITY }])).toThrow('Switchyard: key pool `keys.0.weight` must be a finite number > 0, got Infinity.');
    expect(() => new KeyPool([{ key: 'a', weight: 0 }])).toThrow(RangeError);
    expect(() => new KeyPool([{ key: 7 } as never])).toThrow('Switchyard: key pool `keys.0.key` must be a non-empty string, got 7.');
    expect(() => new KeyPool([{ key: 'a', wieght: 2 } as never])).toThrow("Switchyard: key pool `keys.0` unknown key 'wieght' (did you mean 'weight'?); known keys: 'key', 'weight'.");
    expect(() => new KeyPool(['a', { key: 'b', weight: 0.5 }])).not.toThrow();
  });
});
