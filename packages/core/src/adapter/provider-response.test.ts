import { describe, expect, it } from 'vitest';
import { pickResponseHeaders, providerResponseFromHeaders } from './provider-response.js';

describe('pickResponseHeaders', () => {
  it('keeps request ids, Retry-After and the OpenAI and Anthropic rate-limit headers, and nothing else', () => {
    const headers = new Headers({
      'x-request-id': 'req_1',
      'x-ratelimit-remaining-tokens': '1000',
      'anthropic-ratelimit-requests-reset': '2026-12-02T00:00:00Z',
      'retry-after': '3',
      'retry-after-ms': '2500',
      'set-cookie': 'session=secret',
      'openai-organization': 'org-private',
      'x-powered-by': 'Express',
    });
    expect(pickResponseHeaders(headers)).toEqual({
      'x-request-id': 'req_1',
      'x-ratelimit-remaining-tokens': '1000',
      'anthropic-ratelimit-requests-reset': '2026-12-02T00:00:00Z',
      'retry-after': '3',
      'retry-after-ms': '2500',
    });
  });

  it('reads a plain object with any case of names, joins lists, and skips values that are not strings', () => {
    expect(pickResponseHeaders({ 'Request-Id': 'req_2', 'X-RateLimit-Limit-Requests': ['10', '20'], 'retry-after': 5, 'x-ratelimit-reset-tokens': undefined })).toEqual({
      'request-id': 'req_2',
      'x-ratelimit-limit-requests': '10, 20',
    });
    expect(pickResponseHeaders(undefined)).toEqual({});
  });

  it("takes the provider's request id from the header it names", () => {
    expect(providerResponseFromHeaders({ 'request-id': 'req_3' }, 'Request-Id')).toEqual({ providerRequestId: 'req_3', headers: { 'request-id': 'req_3' } });
    expect(providerResponseFromHeaders({ 'retry-after': '1' }, 'x-request-id').providerRequestId).toBeUndefined();
  });
});
