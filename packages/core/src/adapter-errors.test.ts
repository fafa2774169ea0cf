import { describe, expect, it } from 'vitest';
import { PROVIDER_MESSAGE_LIMIT, describeProviderError, providerText, sdkErrorToGatewayError, type ErrorScope, type SdkErrorReading } from './adapter-errors.js';
import { InvalidRequestError, ProviderError } from './errors.js';
import { REDACTED } from './redact.js';

const SECRET = 'proj-live-secret-0123456789';
const scope: ErrorScope = { provider: 'openai', model: 'gpt-4.1', secrets: [SECRET], signal: undefined };
const PROMPT = 'my bank password is hunter2';

const answered = (reading: Partial<SdkErrorReading>): SdkErrorReading => ({ message: '', connection: false, ...reading });

describe('sdkErrorToGatewayError', () => {
  it('keeps the provider’s text out of the message by default: status, type, code and what to do', () => {
    const error = sdkErrorToGatewayError(new Error('x'), scope, () =>
      answered({ status: 400, providerType: 'invalid_request_error', providerCode: 'context_length_exceeded', message: `Your prompt "${PROMPT}" is too long` }),
    );
    expect(error).toBeInstanceOf(ProviderError);
    expect(error.message).toMatch(/^openai\/gpt-4\.1 answered 400 \(invalid_request_error: context_length_exceeded\)\. The prompt does not fit/);
    expect(error.message).toContain('exposeProviderMessages');
    expect(JSON.stringify(error) + String(error.stack)).not.toContain(PROMPT);
  });

  it('shows the text, scrubbed and bounded, only when the adapter opts in', () => {
    const text = `key ${SECRET} ${'x'.repeat(2000)}`;
    const error = sdkErrorToGatewayError(new Error('x'), { ...scope, exposeProviderMessages: true }, () => answered({ status: 500, message: text }));
    expect(error.message).toContain(`key ${REDACTED} xxx`);
    expect(error.message).not.toContain(SECRET);
    expect(error.message.length).toBeLessThan(PROVIDER_MESSAGE_LIMIT + 200);
  });

  it('classifies Anthropic’s and Gemini’s wording for a prompt over the window as context_length_exceeded', () => {
    for (const message of ['prompt is too long: 210000 tokens > 200000 maximum', 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).']) {
      const error = sdkErrorToGatewayError(new Error('x'), scope, () => answered({ status: 400, providerCode: 'invalid_request_error', message }));
      expect(error).toMatchObject({ providerCode: 'context_length_exceeded', retryable: false });
    }
    const other = sdkErrorToGatewayError(new Error('x'), scope, () => answered({ status: 400, providerCode: 'invalid_request_error', message: 'messages: field required' }));
    expect(other).toMatchObject({ providerCode: 'invalid_request_error' });
    // Only a 400 or 413 is about the request's size.
    const server = sdkErrorToGatewayError(new Error('x'), scope, () => answered({ status: 500, providerCode: 'api_error', message: 'context window service down' }));
    expect(server).toMatchObject({ providerCode: 'api_error' });
  });

  it('reports params the engine could not serialise as the caller’s InvalidRequestError, without reading the SDK error', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    let engineError: unknown;
    try {
      JSON.stringify(circular);
    } catch (e) {
      engineError = e;
    }
    const error = sdkErrorToGatewayError(engineError, scope, () => {
      throw new Error('must not be read');
    });
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ retryable: false, provider: 'openai', model: 'gpt-4.1', issues: [{ path: 'params' }] });
  });

  it('says what failed, without the SDK’s text, when nothing answered and nothing failed on the network', () => {
    const error = sdkErrorToGatewayError(new TypeError("Cannot read properties of undefined (reading 'x')"), scope, (raw) => answered({ message: String(raw) }));
    expect(error).toMatchObject({ retryable: false, providerCode: undefined });
    expect(error.message).toMatch(/^openai\/gpt-4\.1 failed \(TypeError\)\./);
    expect(error.message).not.toContain('Cannot read');
  });

  it('names the network failure of a connection error, retryable', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', syscall: 'connect' }) });
    const error = sdkErrorToGatewayError(refused, scope, () => answered({ connection: true, message: 'fetch failed' }));
    expect(error).toMatchObject({ retryable: true, providerCode: 'connection_error' });
    expect(error.message).toBe("Could not reach openai (gpt-4.1): ECONNREFUSED. Check the client's base URL and the network.");
  });
});

describe('providerText', () => {
  it('scrubs a key that straddles the cut, collapses whitespace and bounds the length', () => {
    const text = `${'a'.repeat(PROVIDER_MESSAGE_LIMIT - 5)} ${SECRET}\n\n<html>`;
    const out = providerText(text, [SECRET]);
    expect(out).not.toContain(SECRET.slice(0, 4));
    expect(out.length).toBeLessThanOrEqual(PROVIDER_MESSAGE_LIMIT + 1);
    expect(providerText('  line one\n\n  line two  ', [])).toBe('line one line two');
  });
});

describe('describeProviderError', () => {
  it('leaves the withheld note out when the provider sent no text', () => {
    expect(describeProviderError(scope, 'reported an error event in stream', { code: 'server_error' })).toBe(
      'openai/gpt-4.1 reported an error event in stream (server_error).',
    );
  });
});
