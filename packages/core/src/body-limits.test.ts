import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_EVENT_BYTES, ResponseTooLargeError, isPastEngineLimit, resolveResponseLimits } from './body-limits.js';
import { ConfigError, ProviderError } from './errors.js';

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
