import { GoogleGenerativeAIError } from '@google/generative-ai';
import { InvalidRequestError, ProviderError } from '@switchyard/core';
import { MAX_RETRY_AFTER_MS, type ErrorScope } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { normaliseGeminiError, retryDelayMs } from './normalise-gemini-error.js';

const scope: ErrorScope = { provider: 'google', model: 'gemini-x', secrets: [], signal: undefined };

const engineError = (value: unknown): unknown => {
  try {
    JSON.stringify(value);
  } catch (error) {
    return error;
  }
  throw new Error('expected JSON.stringify to throw');
};

describe('normaliseGeminiError', () => {
  it('reports params the SDK could not serialise as the caller’s InvalidRequestError, not a connection failure', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const value of [circular, { n: 1n }]) {
      const error = normaliseGeminiError(engineError(value), scope);
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect(error.retryable).toBe(false);
    }
  });

  it('takes @google/generative-ai’s wrapped fetch failure for a connection error, and its other errors not', () => {
    const refused = normaliseGeminiError(new GoogleGenerativeAIError('Error fetching from http://127.0.0.1:1/v1beta/models/m:generateContent: fetch failed'), scope);
    expect(refused).toMatchObject({ retryable: true, providerCode: 'connection_error' });
    const parts = normaliseGeminiError(new GoogleGenerativeAIError("Content should have 'parts' property with an array of Parts"), scope);
    expect(parts).toBeInstanceOf(ProviderError);
    expect(parts).toMatchObject({ retryable: false, providerCode: undefined });
    const typeError = normaliseGeminiError(new TypeError("Cannot read properties of undefined (reading 'models')"), scope);
    expect(typeError).toMatchObject({ retryable: false, providerCode: undefined });
  });
});

describe('retryDelayMs', () => {
  it('reads RetryInfo and caps it as Retry-After is capped', () => {
    const info = (retryDelay: string) => [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay }];
    expect(retryDelayMs(info('34.4s'))).toBe(34_400);
    expect(retryDelayMs(info('1000000000000s'))).toBe(MAX_RETRY_AFTER_MS);
    expect(retryDelayMs(info('-1s'))).toBeUndefined();
    expect(retryDelayMs(undefined)).toBeUndefined();
  });
});
