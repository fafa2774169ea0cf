import { describe, expect, it } from 'vitest';
import {
  PROVIDER_MESSAGE_LIMIT,
  describeProviderError,
  providerName,
  providerText,
  sdkErrorToGatewayError,
  type ErrorScope,
  type SdkErrorReading,
} from './adapter-errors.js';
import { InvalidRequestError, ProviderError } from '../errors/errors.js';
import { REDACTED } from '../errors/redact.js';

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
  it('drops a provider type or code that is not identifier-shaped, from the message and `providerCode`', () => {
    const type = `invalid ${PROMPT} ${SECRET}`;
    const code = 'c'.repeat(200_000);
    for (const options of [{}, { exposeProviderMessages: true }]) {
      const error = sdkErrorToGatewayError(new Error('x'), { ...scope, ...options }, () => answered({ status: 400, providerType: type, providerCode: code, message: 'bad' }));
      expect(error).toMatchObject({ status: 400, providerCode: undefined, retryable: false });
      const visible = `${error.message}\n${JSON.stringify(error)}`;
      expect(visible).not.toContain(PROMPT);
      expect(visible).not.toContain(SECRET);
      expect(visible).not.toContain('ccc');
      expect(error.message.length).toBeLessThan(400);
      expect(error.message).toMatch(/^openai\/gpt-4\.1 answered 400\. The provider rejected the request/);
    }
  });

  it('keeps an identifier-shaped type when only the code is junk, and still classifies a prompt over the window', () => {
    const typed = sdkErrorToGatewayError(new Error('x'), scope, () => answered({ status: 429, providerType: 'rate_limit_error', providerCode: `${PROMPT}`, message: '' }));
    expect(typed).toMatchObject({ providerCode: 'rate_limit_error' });
    expect(typed.message).toMatch(/^openai\/gpt-4\.1 answered 429 \(rate_limit_error\)\. Rate limited/);
    const tooLong = sdkErrorToGatewayError(new Error('x'), scope, () => answered({ status: 400, providerCode: 'x'.repeat(65), message: 'prompt is too long' }));
    expect(tooLong).toMatchObject({ providerCode: 'context_length_exceeded' });
  });

  it('drops an identifier-shaped code that holds a credential, known or key-shaped', () => {
    for (const providerCode of [SECRET, `err_${SECRET}`, 'sk-abcdef0123456789']) {
      const error = sdkErrorToGatewayError(new Error('x'), scope, () => answered({ status: 401, providerCode, message: '' }));
      expect(error).toMatchObject({ providerCode: undefined });
      expect(error.message).not.toContain(providerCode);
    }
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
  it('scrubs a 2,000-character token that straddles the cut, however long the secret is', () => {
    const token = `eyJ${'abcdefghij0123456789'.repeat(100)}`.slice(0, 2000);
    for (const start of [PROVIDER_MESSAGE_LIMIT - 300, PROVIDER_MESSAGE_LIMIT - 50, PROVIDER_MESSAGE_LIMIT - 1]) {
      const out = providerText(`${'a'.repeat(start - 1)} ${token} ${'z'.repeat(5000)}`, [SECRET, token]);
      expect(out).not.toContain(token.slice(0, 3));
      expect(out).not.toContain('abcdefghij');
      expect(out.length).toBeLessThanOrEqual(PROVIDER_MESSAGE_LIMIT + 1);
      expect(out.startsWith(`${'a'.repeat(start - 1)} [`)).toBe(true);
    }
    expect(providerText(`${'a'.repeat(400)} ${token} tail`, [token])).toBe(`${'a'.repeat(400)} ${REDACTED} tail`);
  });

  it('never moves the cut-off start of a credential into view by redacting an earlier one', () => {
    const token = `tok${'0123456789'.repeat(30)}`.slice(0, 300);
    // Redacting the first copy shortens the text by 290: the second, cut at 500 + 300, would slide into the first 500.
    expect(providerText(`${token} ${'y'.repeat(250)} ${token} ${'z'.repeat(1000)}`, [token])).toBe(`${REDACTED} ${'y'.repeat(250)} ${REDACTED}…`);
    // A copy cut by the end of the window read is never shown, in part or whole.
    const far = providerText(`${token} ${'y'.repeat(550)} ${token} ${'z'.repeat(1000)}`, [token]);
    expect(far).toBe(`${REDACTED} ${'y'.repeat(489)}…`);
  });

  it('measures the window after collapsing whitespace, so a long run of blanks cannot push a credential out of it', () => {
    const token = `tok${'0123456789'.repeat(30)}`;
    const out = providerText(`${'w '.repeat(200)}${' '.repeat(300)}${token} end`, [token]);
    expect(out).toBe(`${'w '.repeat(200)}${REDACTED} end`);
    expect(out).not.toContain('tok0');
  });
});

describe('describeProviderError', () => {
  it('leaves the withheld note out when the provider sent no text', () => {
    expect(describeProviderError(scope, 'reported an error event in stream', { code: 'server_error' })).toBe(
      'openai/gpt-4.1 reported an error event in stream (server_error).',
    );
  });

  it('names only identifier-shaped types and codes, and scrubs every credential from the whole message', () => {
    expect(describeProviderError(scope, 'reported an error event in stream', { type: `invalid ${PROMPT}`, code: 'c'.repeat(200_000) })).toBe(
      'openai/gpt-4.1 reported an error event in stream.',
    );
    expect(describeProviderError(scope, 'reported an error event in stream', { type: 'api_error', code: 'server:overloaded.v2-x' })).toBe(
      'openai/gpt-4.1 reported an error event in stream (api_error: server:overloaded.v2-x).',
    );
    // The backstop: a credential in any part of the message, not only the provider's text.
    expect(describeProviderError(scope, `answered 400 with ${SECRET}`, {})).toBe(`openai/gpt-4.1 answered 400 with ${REDACTED}.`);
  });
});

describe('providerName', () => {
  it('accepts identifiers up to 64 characters, and nothing else', () => {
    for (const name of ['invalid_request_error', 'INVALID_ARGUMENT', 'a', 'x.y:z-1', 'n'.repeat(64)]) expect(providerName(name, [SECRET])).toBe(name);
    for (const value of ['', 'n'.repeat(65), 'has space', 'quote"d', 'a\nb', 'é', `x${SECRET}`, 'sk-abcdef0123', 400, null, undefined]) {
      expect(providerName(value, [SECRET])).toBeUndefined();
    }
  });
});
