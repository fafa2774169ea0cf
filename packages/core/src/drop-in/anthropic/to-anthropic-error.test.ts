import { describe, expect, it } from 'vitest';
import { ConfigError, ProviderError } from '../../errors/errors.js';
import { AccessDeniedError, ScopeRevokedError } from '../../errors/governance-errors.js';
import { statusOf } from './to-anthropic-error.js';

const provider = (status: number) => new ProviderError('x', { provider: 'p', model: 'm', status, retryable: false });

describe('the status a gateway error has on the wrapped Anthropic client', () => {
  it('matches the OpenAI-shaped doors: a revoked scope 401, an access rule 403, a provider’s 401/403 passed on, the gateway’s own failure 500', () => {
    expect(statusOf(new ScopeRevokedError('s1'))).toMatchObject({ status: 401, type: 'authentication_error' });
    expect(statusOf(new AccessDeniedError('interns', 'no'))).toMatchObject({ status: 403, type: 'permission_error' });
    expect(statusOf(provider(401))).toMatchObject({ status: 401, type: 'authentication_error' });
    expect(statusOf(provider(403))).toMatchObject({ status: 403, type: 'permission_error' });
    expect(statusOf(provider(529))).toMatchObject({ status: 529, type: 'overloaded_error' });
    expect(statusOf(new ConfigError([{ path: 'x', message: 'y' }]))).toMatchObject({ status: 500, type: 'api_error' });
  });
});
