// A wrapped `openai` client throws the SDK's own error classes, with a status that says whose fault it is and the gateway error as `cause`.
import {
  AccessDeniedError,
  BudgetExceededError,
  ConfigError,
  type GatewayError,
  GuardrailBlockedError,
  GuardrailFailedError,
  InvalidRequestError,
  ProviderError,
  RateLimitedError,
  ResidencyError,
  ScopeRevokedError,
  StreamInterruptedError,
  UnavailableError,
  UnknownModelError,
  UnsupportedFeatureError,
} from '@switchyard/core';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { errorAnswer } from '../../packages/core/src/drop-in/fetch/error-response.js';
import { toSdkError, sdkErrorsOf } from '../../packages/core/src/drop-in/openai/openai-sdk-errors.js';
import { messages, wrapSetup } from './wrap-openai-setup.js';

const setup = wrapSetup();
const sdk = sdkErrorsOf(new OpenAI({ apiKey: 'sk-test-errors-0000' }));

type ErrorClass = abstract new (...args: never[]) => Error;

describe('the status each gateway error becomes (the SDK class APIError.generate picks for it)', () => {
  const provider = { provider: 'p', model: 'm' };
  const cases: Array<[name: string, error: GatewayError, sdkClass: ErrorClass, status: number | undefined]> = [
    ['a provider 400', new ProviderError('bad', { ...provider, status: 400, retryable: false }), OpenAI.BadRequestError, 400],
    ['a provider 401', new ProviderError('key', { ...provider, status: 401, retryable: false }), OpenAI.AuthenticationError, 401],
    ['a provider 429', new ProviderError('slow down', { ...provider, status: 429, retryable: true }), OpenAI.RateLimitError, 429],
    ['a provider 503', new ProviderError('down', { ...provider, status: 503, retryable: true }), OpenAI.InternalServerError, 503],
    ['a provider not reached', new ProviderError('ECONNREFUSED', { ...provider, retryable: true }), OpenAI.APIConnectionError, undefined],
    ['a rate limit', new RateLimitedError('rpm', '1 request per minute', 1500, 'limited'), OpenAI.RateLimitError, 429],
    ['a budget', new BudgetExceededError('monthly', { unit: 'usd', limit: 1, committed: 1, periodEndsAt: undefined }, 'spent'), OpenAI.RateLimitError, 429],
    ['an access rule', new AccessDeniedError('interns', 'no'), OpenAI.PermissionDeniedError, 403],
    ['a revoked scope', new ScopeRevokedError('s1'), OpenAI.AuthenticationError, 401],
    ['a residency restriction', new ResidencyError([['eu-*']], 'no region'), OpenAI.PermissionDeniedError, 403],
    ['invalid params', new InvalidRequestError('messages: required'), OpenAI.BadRequestError, 400],
    ['an unsupported feature', new UnsupportedFeatureError('audio', 'no audio'), OpenAI.BadRequestError, 400],
    ['an unknown model', new UnknownModelError('no such model'), OpenAI.NotFoundError, 404],
    ['a config error (the gateway operator’s, not the caller’s)', new ConfigError([{ path: 'x', message: 'y' }]), OpenAI.InternalServerError, 500],
    ['a guardrail block', new GuardrailBlockedError('pii', 'input', ['email']), OpenAI.BadRequestError, 400],
    ['a guardrail that failed', new GuardrailFailedError('moderation', 'input', 'timeout', undefined), OpenAI.InternalServerError, 500],
    ['no target available', new UnavailableError('all cooling', 2000), OpenAI.InternalServerError, 503],
    ['a stream cut mid-way', new StreamInterruptedError('cut'), OpenAI.APIConnectionError, undefined],
  ];

  it.each(cases)('%s', (_name, error, sdkClass, status) => {
    error.requestId = 'req-123';
    const converted = toSdkError(error, sdk);
    expect(converted).toBeInstanceOf(sdkClass);
    expect(converted).toBeInstanceOf(OpenAI.APIError);
    expect((converted as InstanceType<typeof OpenAI.APIError>).status).toBe(status);
    expect((converted as Error).cause).toBe(error);
    if (status !== undefined) {
      // The same answer gateway.fetch gives (its table is tested in error-response.test.ts): one mapping for every OpenAI-shaped door.
      expect((converted as InstanceType<typeof OpenAI.APIError>).error).toEqual(errorAnswer(error).body.error);
      expect(converted).toMatchObject({ requestID: 'req-123' });
      expect((converted as Error).message).toContain(error.message.slice(0, 20));
    }
  });

  it('a refusal that waiting fixes carries Retry-After', () => {
    const converted = toSdkError(new RateLimitedError('rpm', '1 request per minute', 1500, 'limited'), sdk) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(converted.headers.get('retry-after')).toBe('2');
    expect(converted.headers.get('retry-after-ms')).toBe('1500');
  });

  it('what is not a gateway error passes as it is', () => {
    const bug = new TypeError('a bug');
    expect(toSdkError(bug, sdk)).toBe(bug);
  });
});

describe('errors on the real SDK through the gateway', () => {
  it("a provider's own 400 is the SDK BadRequestError with the provider's status", async () => {
    const { gateway, client, primary } = await setup();
    primary.enqueue({ kind: 'error', status: 400, message: 'bad tool schema', code: 'invalid_request_error' });
    const error: unknown = await gateway
      .wrap(client)
      .chat.completions.create({ model: 'primary/gpt-4o', messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect((error as Error & { cause: ProviderError }).cause.code).toBe('provider_error');
    expect((error as Error).cause).toBeInstanceOf(ProviderError);
  });

  it("the caller's own invalid params are a 400 and nothing is sent, never an outage", async () => {
    const { gateway, client, primary } = await setup();
    const error: unknown = await gateway
      .wrap(client)
      .chat.completions.create({ model: 'smart', messages: [], temperature: 7 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages' });
    expect((error as Error & { cause: InvalidRequestError }).cause.code).toBe('invalid_request');
    expect(primary.requests).toHaveLength(0);
  });

  it("a scope's model list refusing is the SDK PermissionDeniedError (403)", async () => {
    const { gateway, client, primary } = await setup();
    const error: unknown = await gateway
      .wrap(client, { scope: { principal: { id: 'ana' }, models: ['embed'] } })
      .chat.completions.create({ model: 'smart', messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((error as Error).cause).toBeInstanceOf(AccessDeniedError);
    expect(primary.requests).toHaveLength(0);
  });

  it('every target failing: the last provider failure, as the SDK class of its status', async () => {
    const { gateway, client, primary, backup } = await setup();
    primary.enqueue({ kind: 'error', status: 503 });
    backup.enqueue({ kind: 'error', status: 502 });
    await expect(gateway.wrap(client).chat.completions.create({ model: 'smart', messages })).rejects.toMatchObject({ status: 502, constructor: OpenAI.InternalServerError });
  });

  it('a stream cut by the provider after its first chunk throws the SDK APIConnectionError from the loop', async () => {
    const { gateway, client, primary } = await setup();
    primary.enqueue({ content: 'one two three four', cutAfter: 2 });
    const stream = await gateway.wrap(client).chat.completions.create({ model: 'smart', messages, stream: true });
    const error = await (async () => {
      for await (const _chunk of stream) {
        // read until it fails
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect((error as Error).cause).toBeInstanceOf(StreamInterruptedError);
  });
});
