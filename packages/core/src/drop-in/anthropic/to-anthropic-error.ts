// Gateway errors as the wrapped client's own error classes (`Anthropic.APIError.generate` and friends), with the gateway error as `cause`.
import {
  AbortError,
  ContentFilterError,
  InvalidRequestError,
  ProviderError,
  TimeoutError,
  UnavailableError,
  UnknownModelError,
  UnsupportedFeatureError,
} from '../../errors/errors.js';
import { AccessDeniedError, BudgetExceededError, RateLimitedError, ResidencyError, ScopeRevokedError } from '../../errors/governance-errors.js';
import { GuardrailBlockedError } from '../../errors/guardrail-errors.js';
import type { AnthropicErrorBody } from './anthropic-wire-types.js';
import { UntranslatableAnswerError } from './to-anthropic-message.js';

/** What the wrapper uses of an `@anthropic-ai/sdk` client class's statics: its error classes. */
export interface AnthropicErrorClasses {
  AnthropicError: new (message?: string) => Error;
  APIError: {
    generate(status: number | undefined, body: object | undefined, message: string | undefined, headers: Headers | undefined): Error;
    new (status: number | undefined, body: object | undefined, message: string | undefined, headers: Headers | undefined): Error;
  };
  APIUserAbortError: new (options?: { message?: string }) => Error;
  APIConnectionTimeoutError: new (options?: { message?: string }) => Error;
}

export function isAnthropicErrorClasses(value: unknown): value is AnthropicErrorClasses {
  const classes = value as Partial<Record<keyof AnthropicErrorClasses, unknown>> | null | undefined;
  return (
    typeof classes?.AnthropicError === 'function' &&
    typeof classes.APIError === 'function' &&
    typeof (classes.APIError as { generate?: unknown }).generate === 'function' &&
    typeof classes.APIUserAbortError === 'function' &&
    typeof classes.APIConnectionTimeoutError === 'function'
  );
}

/** The HTTP status and Anthropic error type that a gateway error stands for. */
export interface AnthropicErrorStatus {
  status: number;
  type: string;
  retryAfterMs?: number | undefined;
}

const OVERLOADED: AnthropicErrorStatus = { status: 529, type: 'overloaded_error' };
const API_ERROR: AnthropicErrorStatus = { status: 500, type: 'api_error' };

export function statusOf(error: unknown): AnthropicErrorStatus {
  if (error instanceof UntranslatableAnswerError) return API_ERROR;
  const retryAfterMs = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  const after = typeof retryAfterMs === 'number' ? retryAfterMs : undefined;
  if (error instanceof InvalidRequestError || error instanceof UnsupportedFeatureError || error instanceof GuardrailBlockedError || error instanceof ContentFilterError) {
    return { status: 400, type: 'invalid_request_error' };
  }
  if (error instanceof UnknownModelError) return { status: 404, type: 'not_found_error' };
  // The same statuses as the OpenAI-shaped doors (drop-in/fetch/error-response.ts), in Anthropic's error types.
  if (error instanceof ScopeRevokedError) return { status: 401, type: 'authentication_error' };
  if (error instanceof AccessDeniedError || error instanceof ResidencyError) return { status: 403, type: 'permission_error' };
  if (error instanceof RateLimitedError || error instanceof BudgetExceededError) return { status: 429, type: 'rate_limit_error', retryAfterMs: after };
  if (error instanceof UnavailableError) return { ...OVERLOADED, retryAfterMs: after };
  if (error instanceof ProviderError) {
    const status = (error as { status?: unknown }).status;
    switch (status) {
      case 400:
      case 422:
        return { status: 400, type: 'invalid_request_error' };
      case 401:
        return { status: 401, type: 'authentication_error' };
      case 403:
        return { status: 403, type: 'permission_error' };
      case 404:
        return { status: 404, type: 'not_found_error' };
      case 413:
        return { status: 413, type: 'request_too_large' };
      case 429:
        return { status: 429, type: 'rate_limit_error', retryAfterMs: after };
      case 503:
      case 529:
        return { ...OVERLOADED, retryAfterMs: after };
      default:
        return API_ERROR;
    }
  }
  return API_ERROR;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'The gateway failed the call.';
}

export function errorBodyOf(error: unknown): AnthropicErrorBody {
  return { type: 'error', error: { type: statusOf(error).type, message: messageOf(error) } };
}

function headersOf(status: AnthropicErrorStatus): Headers {
  const headers = new Headers({ 'content-type': 'application/json', 'x-should-retry': 'false' });
  if (status.retryAfterMs !== undefined) headers.set('retry-after', String(Math.max(0, Math.ceil(status.retryAfterMs / 1000))));
  return headers;
}

function withCause<E extends Error>(error: E, cause: unknown): E {
  Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  return error;
}

/** What the SDK throws for a call that failed before its answer began: by status, as for an HTTP error response. */
export function toAnthropicError(classes: AnthropicErrorClasses, error: unknown): Error {
  if (error instanceof AbortError) return withCause(new classes.APIUserAbortError(), error);
  if (error instanceof TimeoutError) return withCause(new classes.APIConnectionTimeoutError({ message: messageOf(error) }), error);
  const status = statusOf(error);
  return withCause(classes.APIError.generate(status.status, errorBodyOf(error), messageOf(error), headersOf(status)), error);
}

/** What the SDK throws for an `error` event inside a stream: an `APIError` with no status, the event as its body. */
export function toAnthropicStreamError(classes: AnthropicErrorClasses, error: unknown): Error {
  if (error instanceof AbortError) return withCause(new classes.APIUserAbortError(), error);
  return withCause(new classes.APIError(undefined, errorBodyOf(error), undefined, new Headers({ 'content-type': 'text/event-stream' })), error);
}
