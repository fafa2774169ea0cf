import { describe, expect, it } from 'vitest';
import * as here from './errors.js';

type ErrorsModule = typeof here;

/**
 * A second, independent copy of this module, as when two versions of `@switchyard/core` are
 * installed: the query string makes Vite load and evaluate the file again under another id.
 */
async function secondCopy(): Promise<ErrorsModule> {
  const specifier: string = './errors.ts?copy=2';
  const loaded: unknown = await import(/* @vite-ignore */ specifier);
  return loaded as ErrorsModule;
}

const providerOptions = { provider: 'p', model: 'm', status: 429, retryable: true } as const;

/** One error of every built-in class, made by the given copy. */
function oneOfEach(copy: ErrorsModule) {
  return {
    GatewayError: new copy.GatewayError('internal_error', 'x', false),
    ConfigError: new copy.ConfigError([{ path: 'a', message: 'b' }]),
    InvalidRequestError: new copy.InvalidRequestError('bad'),
    UnknownModelError: new copy.UnknownModelError('who'),
    ProviderError: new copy.ProviderError('no', providerOptions),
    TimeoutError: new copy.TimeoutError(5),
    AbortError: new copy.AbortError(),
    UnsupportedFeatureError: new copy.UnsupportedFeatureError('tools', 'no tools'),
    StreamInterruptedError: new copy.StreamInterruptedError('cut'),
    ContentFilterError: new copy.ContentFilterError('SAFETY', 'blocked'),
    UnavailableError: new copy.UnavailableError('all cooling', 10),
  };
}

type ClassName = keyof ReturnType<typeof oneOfEach>;
const classNames = Object.keys(oneOfEach(here)) as ClassName[];

describe('errors across two copies of core', () => {
  it('loads a genuinely separate copy', async () => {
    const other = await secondCopy();
    expect(other.GatewayError).not.toBe(here.GatewayError);
    // Without the brand, plain prototype identity says no.
    const foreign = new other.ProviderError('no', providerOptions);
    expect(Function.prototype[Symbol.hasInstance].call(here.GatewayError, foreign)).toBe(false);
    expect(Function.prototype[Symbol.hasInstance].call(here.ProviderError, foreign)).toBe(false);
  });

  it('isGatewayError and instanceof GatewayError recognise every error class of the other copy, both ways', async () => {
    const other = await secondCopy();
    for (const error of [...Object.values(oneOfEach(other)), ...Object.values(oneOfEach(here))]) {
      expect(here.isGatewayError(error)).toBe(true);
      expect(other.isGatewayError(error)).toBe(true);
      expect(error instanceof here.GatewayError).toBe(true);
      expect(error instanceof other.GatewayError).toBe(true);
      expect(error instanceof Error).toBe(true);
    }
  });

  it('tells the subclasses apart: a foreign error is an instance of its own class only', async () => {
    const other = await secondCopy();
    const foreign = oneOfEach(other);
    for (const made of classNames) {
      for (const asked of classNames) {
        if (asked === 'GatewayError') continue;
        const expected = made === asked;
        expect({ made, asked, is: foreign[made] instanceof here[asked] }).toEqual({ made, asked, is: expected });
        expect({ made, asked, is: oneOfEach(here)[made] instanceof other[asked] }).toEqual({ made, asked, is: expected });
      }
    }
    // The cases the brief singles out.
    expect(foreign.TimeoutError instanceof here.ProviderError).toBe(false);
    expect(foreign.ProviderError instanceof here.ProviderError).toBe(true);
    expect(foreign.TimeoutError instanceof here.TimeoutError).toBe(true);
  });

  it('narrows, so a foreign error reads like a local one', async () => {
    const other = await secondCopy();
    const error: unknown = new other.ProviderError('slow down', { ...providerOptions, retryAfterMs: 1200 });
    if (!(error instanceof here.ProviderError)) throw new Error('expected a ProviderError');
    expect([error.code, error.status, error.retryAfterMs, error.retryable]).toEqual(['provider_error', 429, 1200, true]);
  });

  it('keeps subclasses of a built-in class: a subclass of a foreign ProviderError is a ProviderError', async () => {
    const other = await secondCopy();
    class Local extends here.ProviderError {}
    class Foreign extends other.ProviderError {}
    const foreign = new Foreign('x', providerOptions);
    expect(foreign instanceof here.ProviderError).toBe(true);
    expect(foreign instanceof here.GatewayError).toBe(true);
    expect(foreign instanceof here.TimeoutError).toBe(false);
    // An application's own subclass keeps plain identity: another copy's error is never one.
    expect(foreign instanceof Local).toBe(false);
    expect(new other.ProviderError('x', providerOptions) instanceof Local).toBe(false);
    expect(new Local('x', providerOptions) instanceof Local).toBe(true);
    expect(new here.ProviderError('x', providerOptions) instanceof Local).toBe(false);
  });

  it('is not fooled by look-alikes', async () => {
    const other = await secondCopy();
    const lookAlikes: unknown[] = [
      null,
      undefined,
      'ProviderError',
      42,
      new Error('plain'),
      { name: 'ProviderError', code: 'provider_error', message: 'x', retryable: true },
      // The brand as an own property of the error itself (not its prototype) does not count.
      Object.assign(new Error('x'), { [Symbol.for('switchyard.gateway-error')]: 'ProviderError' }),
      Object.create(null),
    ];
    for (const value of lookAlikes) {
      expect(here.isGatewayError(value)).toBe(false);
      expect(value instanceof here.ProviderError).toBe(false);
      expect(value instanceof other.GatewayError).toBe(false);
    }
  });

  it('leaves what an error serialises to and how it compares unchanged', () => {
    const error = new here.ProviderError('no', providerOptions);
    expect(Object.keys(error)).not.toContain(Symbol.for('switchyard.gateway-error'));
    expect(Object.getOwnPropertySymbols(error)).toEqual([]);
    expect(JSON.parse(JSON.stringify(error))).toEqual({ name: 'ProviderError', code: 'provider_error', message: 'no', retryable: true, provider: 'p', model: 'm', status: 429 });
  });
});
