// Gateway errors to AI SDK errors: status, retryability, the gateway error kept as cause.
import type { APICallError } from '@ai-sdk/provider';
import { AbortError, BudgetExceededError, ProviderError, RateLimitedError, UnknownModelError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { CHAT_URL, toAiSdkError } from './map-error.js';

const context = { url: CHAT_URL, requestBody: { model: 'm' }, aiSdkRetries: false };

describe('toAiSdkError', () => {
  it('keeps an abort as the gateway AbortError, which the AI SDK recognises by name', () => {
    const abort = new AbortError();
    expect(toAiSdkError(abort, context)).toBe(abort);
  });

  it("uses the provider's status and the gateway's status for the others", () => {
    const provider = toAiSdkError(new ProviderError('nope', { provider: 'p', model: 'm', status: 401, retryable: false }), context) as APICallError;
    expect([provider.statusCode, provider.isRetryable, provider.url, provider.requestBodyValues]).toEqual([401, false, CHAT_URL, { model: 'm' }]);
    expect((toAiSdkError(new UnknownModelError('no route x'), context) as APICallError).statusCode).toBe(404);
    const budget = new BudgetExceededError('daily', { unit: 'usd', limit: 1, committed: 2, periodEndsAt: undefined }, 'over budget');
    expect((toAiSdkError(budget, context) as APICallError).statusCode).toBe(429);
  });

  it('is retryable only with aiSdkRetries, and then hands Retry-After over as retry-after-ms', () => {
    const limited = new RateLimitedError('per-user', '1 request per second', 250, 'slow down');
    expect((toAiSdkError(limited, context) as APICallError).isRetryable).toBe(false);
    const retried = toAiSdkError(limited, { ...context, aiSdkRetries: true }) as APICallError;
    expect(retried.isRetryable).toBe(true);
    expect(retried.responseHeaders).toEqual({ 'retry-after-ms': '250' });
    expect(retried.cause).toBe(limited);
  });

  it('passes other errors through unchanged', () => {
    const other = new TypeError('bug');
    expect(toAiSdkError(other, context)).toBe(other);
  });
});
