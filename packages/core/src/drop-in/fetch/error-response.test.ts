// The error table of gateway.fetch: every gateway error code answers with OpenAI's nearest status, type and code.
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ConfigError,
  ContentFilterError,
  GatewayError,
  InvalidRequestError,
  ProviderError,
  StreamInterruptedError,
  TimeoutError,
  UnavailableError,
  UnknownModelError,
  UnsupportedFeatureError,
} from '../../errors/errors.js';
import { AccessDeniedError, BudgetExceededError, RateLimitedError, ResidencyError, ScopeRevokedError } from '../../errors/governance-errors.js';
import { GuardrailBlockedError, GuardrailFailedError } from '../../errors/guardrail-errors.js';
import { errorAnswer } from './error-response.js';

const provider = (status: number | undefined, extra: { providerCode?: string; retryAfterMs?: number; retryable?: boolean } = {}) =>
  new ProviderError(`upstream said ${status}`, { provider: 'p', model: 'm', status, retryable: extra.retryable ?? false, ...extra });

/** [what, error, status, type, code, param] */
const table: Array<[string, GatewayError, number, string, string | null, string | null]> = [
  ['invalid request', new InvalidRequestError('bad', [{ path: 'messages', message: 'Too small' }]), 400, 'invalid_request_error', null, 'messages'],
  ['unsupported feature', new UnsupportedFeatureError('tools', 'no tools here'), 400, 'invalid_request_error', 'unsupported_parameter', 'tools'],
  ['content filter', new ContentFilterError('SAFETY', 'blocked'), 400, 'invalid_request_error', 'content_policy_violation', null],
  ['guardrail blocked', new GuardrailBlockedError('pii', 'input', ['email']), 400, 'invalid_request_error', 'content_policy_violation', null],
  ['scope revoked', new ScopeRevokedError('s1'), 401, 'authentication_error', 'scope_revoked', null],
  ['access denied', new AccessDeniedError('rule', 'denied'), 403, 'permission_error', 'access_denied', null],
  ['no target in region', new ResidencyError([['eu-*']], 'no region'), 403, 'permission_error', 'no_target_in_region', null],
  ['unknown model', new UnknownModelError('who'), 404, 'invalid_request_error', 'model_not_found', 'model'],
  ['rate limited', new RateLimitedError('rpm', '1 request per minute', 1500, 'slow down'), 429, 'requests', 'rate_limit_exceeded', null],
  ['budget exceeded', new BudgetExceededError('b', { unit: 'usd', limit: 1, committed: 1, periodEndsAt: undefined }, 'spent'), 429, 'insufficient_quota', 'insufficient_quota', null],
  ['config error', new ConfigError([{ path: 'x', message: 'y' }]), 500, 'server_error', null, null],
  ['guardrail failed', new GuardrailFailedError('g', 'input', 'error', new Error('x')), 500, 'server_error', 'guardrail_failed', null],
  ['internal error', new GatewayError('internal_error', 'bug', false), 500, 'server_error', null, null],
  ['stream interrupted', new StreamInterruptedError('cut'), 502, 'server_error', 'stream_interrupted', null],
  ['unavailable', new UnavailableError('all cooling', 2000), 503, 'server_error', 'overloaded', null],
  ['timeout', new TimeoutError(100), 504, 'timeout', 'timeout', null],
  ['aborted without the caller signal', new AbortError(), 500, 'server_error', 'aborted', null],
  ['provider 400', provider(400, { providerCode: 'invalid_value' }), 400, 'invalid_request_error', 'invalid_value', null],
  ['provider 401', provider(401, { providerCode: 'invalid_api_key' }), 401, 'authentication_error', 'invalid_api_key', null],
  ['provider 403', provider(403), 403, 'permission_error', null, null],
  ['provider 404', provider(404, { providerCode: 'model_not_found' }), 404, 'invalid_request_error', 'model_not_found', null],
  ['provider 408', provider(408, { retryable: true }), 408, 'timeout', null, null],
  ['provider 429', provider(429, { retryable: true }), 429, 'requests', 'rate_limit_exceeded', null],
  ['provider 429 quota', provider(429, { providerCode: 'insufficient_quota' }), 429, 'insufficient_quota', 'insufficient_quota', null],
  ['provider 500', provider(500, { retryable: true }), 500, 'server_error', null, null],
  ['provider 503', provider(503, { retryable: true }), 503, 'server_error', null, null],
  ['provider unreachable', provider(undefined, { retryable: true }), 502, 'server_error', 'provider_unreachable', null],
];

describe('errorAnswer', () => {
  it.each(table)('%s', (_what, error, status, type, code, param) => {
    const answer = errorAnswer(error);
    expect(answer.status).toBe(status);
    expect(answer.body).toEqual({ error: { message: error.message, type, param, code } });
    expect(answer.headers['x-should-retry']).toBe(error.retryable ? undefined : 'false');
  });

  it('never answers a mistake of the caller with a 5xx', () => {
    const callers = ['invalid request', 'unsupported feature', 'unknown model', 'access denied', 'rate limited', 'budget exceeded', 'guardrail blocked', 'provider 400'];
    const below500 = Object.fromEntries(table.filter(([what]) => callers.includes(what)).map(([what, error]) => [what, errorAnswer(error).status < 500]));
    expect(below500).toEqual(Object.fromEntries(callers.map((what) => [what, true])));
  });

  it('sends Retry-After (seconds, rounded up) and retry-after-ms when the error knows when to retry', () => {
    expect(errorAnswer(new RateLimitedError('rpm', '1/min', 1500, 'wait')).headers).toEqual({ 'retry-after': '2', 'retry-after-ms': '1500' });
    expect(errorAnswer(new UnavailableError('cooling', 4000)).headers).toEqual({ 'retry-after': '4', 'retry-after-ms': '4000' });
    expect(errorAnswer(provider(429, { retryAfterMs: 3000, retryable: true })).headers).toEqual({ 'retry-after': '3', 'retry-after-ms': '3000' });
    const budget = new BudgetExceededError('b', { unit: 'usd', limit: 1, committed: 1, periodEndsAt: 10_000 + 60_000 }, 'spent');
    expect(errorAnswer(budget, 10_000).headers).toEqual({ 'retry-after': '60', 'retry-after-ms': '60000', 'x-should-retry': 'false' });
    // Waiting never helps: no Retry-After.
    expect(errorAnswer(new RateLimitedError('rpm', '1/min', undefined, 'too big')).headers).toEqual({ 'x-should-retry': 'false' });
  });

  it('answers anything that is not a gateway error with a generic 500 that quotes nothing of it', () => {
    const answer = errorAnswer(new Error('prompt text: hunter2'));
    expect(answer.status).toBe(500);
    expect(answer.body.error.type).toBe('server_error');
    expect(JSON.stringify(answer.body)).not.toContain('hunter2');
  });

  it('keeps a provider code that is free text out of the body', () => {
    expect(errorAnswer(provider(400, { providerCode: 'some sentence with spaces' })).body.error.code).toBeNull();
  });
});
