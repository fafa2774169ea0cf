import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENT_BYTES, ResponseTooLargeError, isPastEngineLimit, resolveResponseLimits } from './body-limits.js';
import { ConfigError, ProviderError } from '../errors/errors.js';
import type * as errors from '../errors/errors.js';
import type * as bodyLimits from './body-limits.js';

describe('response limits', () => {
  it('fills in the defaults and keeps what is given', () => {
    expect(resolveResponseLimits(undefined)).toEqual({ maxEventBytes: DEFAULT_MAX_EVENT_BYTES, maxBodyBytes: DEFAULT_MAX_BODY_BYTES });
    expect(resolveResponseLimits({ maxBodyBytes: 1 })).toEqual({ maxEventBytes: 16 * 1024 * 1024, maxBodyBytes: 1 });
  });

  it('rejects every bad limit at once, with its path', () => {
    let error: unknown;
    try {
      resolveResponseLimits({ maxEventBytes: -1, maxBodyBytes: Number.NaN });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['limits.maxEventBytes', 'limits.maxBodyBytes']);
  });

  it('says who sent what, how large the limit is and which option raises it, and is not retryable', () => {
    const error = new ResponseTooLargeError('maxBodyBytes', 64 * 1024 * 1024, { provider: 'vllm', model: 'llama' });
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toBe(
      'vllm/llama sent a response body larger than 64 MiB; the transfer was stopped. If answers this large are expected, raise `limits.maxBodyBytes` in the adapter options for `vllm`.',
    );
    expect(error.toJSON()).toMatchObject({ name: 'ResponseTooLargeError', code: 'provider_error', retryable: false, provider: 'vllm', model: 'llama' });
    expect(new ResponseTooLargeError('maxEventBytes', 1536).message).toMatch(/^The server sent a stream event larger than 1536 bytes;.*`limits\.maxEventBytes`\.$/);
  });

  it("recognises the engine's own size failures and nothing else", () => {
    expect(isPastEngineLimit(new RangeError('Invalid string length'))).toBe(true);
    expect(isPastEngineLimit(Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), { code: 'ERR_STRING_TOO_LONG' }))).toBe(true);
    expect(isPastEngineLimit(new TypeError('x'))).toBe(false);
  });
});

// Moved from errors/errors.test.ts when errors/ became the bottom layer (it may not import adapter/).
describe('ResponseTooLargeError across copies of core', () => {
  const providerOptions = { provider: 'p', model: 'm', status: 429, retryable: true } as const;

  it('is a ProviderError of another copy of the errors module', async () => {
    const specifier: string = '../errors/errors.ts?copy=2';
    const other = (await import(/* @vite-ignore */ specifier)) as typeof errors;
    const tooLarge = new ResponseTooLargeError('maxBodyBytes', 10, { provider: 'p', model: 'm' });
    expect(tooLarge instanceof other.ProviderError).toBe(true);
    expect(tooLarge instanceof other.TimeoutError).toBe(false);
  });

  it('recognises a ResponseTooLargeError made by another copy of its module', async () => {
    const specifier: string = './body-limits.ts?copy=2';
    const other = (await import(/* @vite-ignore */ specifier)) as typeof bodyLimits;
    expect(other.ResponseTooLargeError).not.toBe(ResponseTooLargeError);
    const foreign = new other.ResponseTooLargeError('maxEventBytes', 10);
    expect(foreign instanceof ResponseTooLargeError).toBe(true);
    expect(foreign instanceof ProviderError).toBe(true);
    expect(new ProviderError('x', providerOptions) instanceof ResponseTooLargeError).toBe(false);
  });
});
