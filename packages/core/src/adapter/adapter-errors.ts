import { AbortError, GatewayError, InvalidRequestError, ProviderError, TimeoutError } from '../errors/errors.js';
import { isUnserialisableParams, networkErrorCode } from './network-failure.js';
import { REDACTED, longestSecret, redactSecrets, secretSpans } from '../errors/redact.js';
import { isRetryableStatus } from './retry-after.js';

/** What an adapter knows when it turns an SDK failure into a gateway error. */
export interface ErrorScope {
  provider: string;
  model: string;
  /** Credentials to scrub from messages: every key and token the client (and its key pool) holds. */
  secrets: readonly string[];
  signal: AbortSignal | undefined;
  /**
   * Put the provider's own error text (scrubbed, at most `PROVIDER_MESSAGE_LIMIT` characters)
   * in messages. Off by default: providers echo the prompt back in their errors.
   */
  exposeProviderMessages?: boolean | undefined;
}

/** The most of a provider's own error text an error message carries, when it carries any. */
export const PROVIDER_MESSAGE_LIMIT = 500;
/** Room past the cut for a key-shaped run (`sk-…`, `Bearer …`, `key=…`) to be recognised as one. */
const KEY_SHAPE_ROOM = 64;

/** `text` with whitespace collapsed and trimmed, up to `max` characters: reads no further than it needs. */
function collapsedPrefix(text: string, max: number): string {
  let out = '';
  for (const [word] of text.matchAll(/\S+/g)) {
    out += out === '' ? word : ` ${word}`;
    if (out.length >= max) return out.slice(0, max);
  }
  return out;
}

/**
 * The provider's own text, fit to show: whitespace collapsed, every known credential and
 * key-shaped run scrubbed, at most `PROVIDER_MESSAGE_LIMIT` characters (then `…`).
 *
 * The text is read up to the limit plus twice the longest known secret (at least
 * `KEY_SHAPE_ROOM`), credentials are found over that window, and only text that lies at least
 * one secret's length before the window's end is shown. So a credential that starts in what is
 * shown is whole where it was looked for, however long it is (a JWT, a long bearer token), and
 * removing one credential never moves the cut-off start of another into view.
 */
export function providerText(text: string, secrets: readonly string[]): string {
  const known = secrets.map((secret) => secret.replace(/\s+/g, ' ').trim());
  const room = Math.max(KEY_SHAPE_ROOM, longestSecret(known));
  const size = PROVIDER_MESSAGE_LIMIT + 2 * room;
  const read = collapsedPrefix(text, size + 1);
  const more = read.length > size;
  const window = more ? read.slice(0, size) : read;
  // Past `safe`, a credential could run beyond the window: nothing there is shown.
  const safe = more ? size - room : window.length;
  const spans = secretSpans(window, known).sort((a, b) => a[0] - b[0]);
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (out.length >= PROVIDER_MESSAGE_LIMIT || start >= safe) break;
    if (end <= at) continue;
    if (start > at) out += window.slice(at, start);
    if (start >= at) out += REDACTED;
    at = Math.max(at, end);
  }
  if (out.length < PROVIDER_MESSAGE_LIMIT && at < safe) {
    out += window.slice(at, safe);
    at = safe;
  }
  if (!more && at >= window.length && out.length <= PROVIDER_MESSAGE_LIMIT) return out;
  return `${out.slice(0, PROVIDER_MESSAGE_LIMIT)}…`;
}

/** The provider's text when the adapter opted in, else a pointer to the option (only if there was text to withhold). */
function providerDetail(scope: ErrorScope, text: string | undefined): string {
  if (text === undefined || text.trim() === '') return '';
  if (scope.exposeProviderMessages) return ` The provider said: ${providerText(text, scope.secrets)}`;
  return ' Its own message is withheld, as it may quote the prompt; set `exposeProviderMessages: true` on the adapter to include it.';
}

/** The wording Anthropic, Gemini and OpenAI-compatible servers use for a prompt over the context window. */
const CONTEXT_MESSAGE = /context length|context window|maximum context|prompt is too long|too many tokens|exceeds the maximum number of tokens/i;

/** The provider's text says the prompt does not fit the model's context window. */
export function saysContextLength(text: string): boolean {
  return CONTEXT_MESSAGE.test(text);
}

/** The code that drives context-window fallback (`isContextLengthError`). */
export const CONTEXT_LENGTH_CODE = 'context_length_exceeded';
const CONTEXT_CODES = new Set([CONTEXT_LENGTH_CODE, 'string_above_max_length']);

/** A provider code that says the prompt is over the context window (OpenAI's two, or the one set from the wording). */
export function isContextLengthCode(code: string | undefined): boolean {
  return code !== undefined && CONTEXT_CODES.has(code);
}

/** What the caller can do about a status, in a few words. */
function hintFor(status: number | undefined, code: string | undefined): string {
  if (isContextLengthCode(code)) return "The prompt does not fit the model's context window.";
  if (status === undefined) return '';
  if (status === 401) return "The API key was refused: check the key the adapter's client holds.";
  if (status === 403) return 'The key is not allowed to use this model or resource.';
  if (status === 404) return "Not found: check the model name and the client's base URL.";
  if (status === 413) return 'The request is too large for the provider.';
  if (status === 429) return 'Rate limited: wait `retryAfterMs` (when given) before trying again.';
  if (status === 408 || status === 409 || status >= 500) return 'A failure on the provider side; worth trying again.';
  if (status >= 400) return 'The provider rejected the request: check the params.';
  return '';
}

export interface ProviderErrorText {
  status?: number | undefined;
  /** The provider's error type, e.g. `invalid_request_error`, as sent: shown only if identifier-shaped (`providerName`). */
  type?: string | undefined;
  /** The provider's error code, e.g. `context_length_exceeded`, as sent: shown only if identifier-shaped. */
  code?: string | undefined;
  /** The provider's own message: shown only with `exposeProviderMessages`. */
  text?: string | undefined;
}

/** What a provider's error type or code must look like to be shown or kept: an identifier, not free text. */
const PROVIDER_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/**
 * A provider's error type or code, if it is one: identifier-shaped (at most 64 letters, digits
 * and `_.:-`) and holding no credential. Anything else (free text that may quote the prompt
 * or echo the key, or a value of any size) is dropped: `undefined`.
 */
export function providerName(value: unknown, secrets: readonly string[]): string | undefined {
  if (typeof value !== 'string' || value.length > 64 || !PROVIDER_NAME.test(value)) return undefined;
  return redactSecrets(value, secrets) === value ? value : undefined;
}

/**
 * A message about a provider's error that carries no prompt content: who, what happened
 * (`answered 400`), the provider's error type and code (only identifier-shaped ones, see
 * `providerName`), what to do next, and the provider's own text only when the adapter opted
 * in. Every known credential and key-shaped run is scrubbed from the whole, as a backstop.
 */
export function describeProviderError(scope: ErrorScope, what: string, error: ProviderErrorText): string {
  const type = providerName(error.type, scope.secrets);
  const code = providerName(error.code, scope.secrets);
  const names = [...new Set([type, code].filter((name): name is string => name !== undefined))];
  const hint = hintFor(error.status, code);
  return redactSecrets(
    `${scope.provider}/${scope.model} ${what}${names.length > 0 ? ` (${names.join(': ')})` : ''}.${hint ? ` ${hint}` : ''}${providerDetail(scope, error.text)}`,
    scope.secrets,
  );
}

/** The provider sent something the adapter cannot read. Worth another try. */
export function malformedResponse(scope: ErrorScope, what: string): ProviderError {
  return new ProviderError(`${scope.provider}/${scope.model} sent a malformed response: ${what}.`, {
    provider: scope.provider,
    model: scope.model,
    retryable: true,
    providerCode: 'malformed_response',
  });
}

/** The stream's body ended before the provider said it was complete. */
export function truncatedStream(scope: ErrorScope): ProviderError {
  return new ProviderError(`${scope.provider}/${scope.model}: the stream ended before it was complete.`, {
    provider: scope.provider,
    model: scope.model,
    retryable: true,
    providerCode: 'stream_truncated',
  });
}

/**
 * The SDK could not serialise the params (a circular reference or a BigInt): the caller's
 * mistake, raised before anything was sent. Not retryable, so it never counts against the
 * deployment nor falls back. The engine's own message names the caller's fields: not kept.
 */
export function unserialisableParams(scope: ErrorScope): InvalidRequestError {
  const error = new InvalidRequestError(
    `The params for ${scope.provider}/${scope.model} cannot be sent: they hold a value JSON cannot carry ` +
      "(a circular reference or a BigInt, e.g. in an extra field or a tool's parameters). Nothing was sent; pass plain JSON values.",
    [{ path: 'params', message: 'is not JSON-serialisable (a circular reference or a BigInt)' }],
  );
  error.provider = scope.provider;
  error.model = scope.model;
  return error;
}

/**
 * When the call's own signal fired, the SDK's error says little: this says whether it
 * was the caller (abort) or the deadline (timeout). `undefined` when the signal is quiet.
 */
export function signalError(scope: ErrorScope): GatewayError | undefined {
  if (!scope.signal?.aborted) return undefined;
  const where = { provider: scope.provider, model: scope.model };
  const reason: unknown = scope.signal.reason;
  return reason instanceof TimeoutError ? new TimeoutError(reason.timeoutMs, where) : new AbortError(where);
}

/** The SDKs' error classes leave `name` as 'Error'; their constructor names tell them apart. */
export function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return '';
  return error.name !== 'Error' ? error.name : error.constructor.name;
}

/** What an adapter reads off its SDK's error object. */
export interface SdkErrorReading {
  /** HTTP status, when the provider answered. */
  status?: number | undefined;
  /** The provider's own message: classified here, shown only with `exposeProviderMessages` (scrubbed, bounded). */
  message: string;
  /** The provider's error type, when it has one beside the code (OpenAI's `type`). */
  providerType?: string | undefined;
  /**
   * The provider's error code, as sent. Kept (as `providerCode`, and in the message) only if
   * identifier-shaped (`providerName`), else the type is, if it is.
   */
  providerCode?: string | undefined;
  retryAfterMs?: number | undefined;
  providerRequestId?: string | undefined;
  /** The SDK could not reach the provider (no status): `isNetworkFailure`, or an SDK's own sign of it. */
  connection: boolean;
}

/**
 * The one place an SDK failure becomes a `GatewayError`: the call's own abort or deadline
 * first, then params the SDK could not serialise (the caller's, nothing sent), then a
 * provider answer (retryable on 408, 409, 429 and 5xx), then a connection failure
 * (retryable) or anything else (not). Adapters only say how to read their SDK's error; the
 * SDK error itself is not kept, since its request data may hold credentials, and the
 * provider's text is left out unless the adapter opted in, since it may quote the prompt.
 */
export function sdkErrorToGatewayError(error: unknown, scope: ErrorScope, read: (error: unknown) => SdkErrorReading): GatewayError {
  if (error instanceof GatewayError) return error;
  const fromSignal = signalError(scope);
  if (fromSignal) return fromSignal;
  const where = { provider: scope.provider, model: scope.model };
  if (error instanceof TimeoutError) return new TimeoutError(error.timeoutMs, where);
  const kind = errorKind(error);
  if (kind === 'AbortError' || kind === 'APIUserAbortError') return new AbortError(where);
  if (isUnserialisableParams(error)) return unserialisableParams(scope);
  const reading = read(error);
  if (reading.status !== undefined) {
    const status = reading.status;
    // Only an identifier-shaped code (or else type) is kept: the provider controls both.
    const reported = providerName(reading.providerCode, scope.secrets) ?? providerName(reading.providerType, scope.secrets);
    // Classified now, while the provider's text is at hand: messages no longer carry it.
    const providerCode =
      (status === 400 || status === 413) && !isContextLengthCode(reported) && saysContextLength(reading.message) ? CONTEXT_LENGTH_CODE : reported;
    return new ProviderError(describeProviderError(scope, `answered ${status}`, { status, type: reading.providerType, code: providerCode, text: reading.message }), {
      ...where,
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: reading.retryAfterMs,
      providerCode,
      providerRequestId: reading.providerRequestId,
    });
  }
  if (reading.connection) {
    const code = networkErrorCode(error) ?? (kind === 'APIConnectionTimeoutError' ? 'timed out' : undefined);
    return new ProviderError(
      `Could not reach ${scope.provider} (${scope.model})${code ? `: ${code}` : ''}. Check the client's base URL and the network.`,
      { ...where, retryable: true, providerCode: 'connection_error' },
    );
  }
  return new ProviderError(redactSecrets(`${scope.provider}/${scope.model} failed (${kind || typeof error}).${providerDetail(scope, reading.message)}`, scope.secrets), {
    ...where,
    retryable: false,
  });
}

/** The fields the Stainless-made SDKs (openai, @anthropic-ai/sdk) put on their errors. */
export interface StainlessErrorShape {
  status?: unknown;
  headers?: { get(name: string): string | null } | null;
  requestID?: unknown;
  message?: unknown;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
