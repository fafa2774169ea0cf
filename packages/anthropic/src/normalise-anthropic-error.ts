import { ProviderError, type GatewayError } from '@switchyard/core';
import {
  describeProviderError,
  isNetworkFailure,
  isRetryableStatus,
  parseRetryAfter,
  providerName,
  sdkErrorToGatewayError,
  stringOf,
  type ErrorScope,
  type StainlessErrorShape,
} from '@switchyard/core/adapter';
import type { WireEvent } from './anthropic-wire-schemas.js';

/** Anthropic error types and the status they stand for, for errors that arrive inside a stream. */
const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  overloaded_error: 529,
};

interface AnthropicErrorShape extends StainlessErrorShape {
  error?: { error?: { type?: unknown; message?: unknown } } | null;
}

/**
 * Turns what `@anthropic-ai/sdk` (or the network) threw into a `GatewayError`: status,
 * retryable (429, 5xx and 529 "overloaded"), Retry-After, Anthropic's error type; a prompt
 * over the context window ("prompt is too long") gets the code `context_length_exceeded`.
 * Only a real network failure counts as a connection error, not a `TypeError` from
 * building the request.
 */
export function normaliseAnthropicError(error: unknown, scope: ErrorScope): GatewayError {
  return sdkErrorToGatewayError(error, scope, (raw) => {
    const shape = (typeof raw === 'object' && raw !== null ? raw : {}) as AnthropicErrorShape;
    const body = shape.error?.error;
    const type = stringOf(body?.type);
    return {
      status: typeof shape.status === 'number' ? shape.status : undefined,
      message: stringOf(body?.message) ?? stringOf(shape.message) ?? String(raw),
      providerType: type,
      providerCode: type,
      retryAfterMs: parseRetryAfter(shape.headers),
      providerRequestId: stringOf(shape.requestID),
      connection: isNetworkFailure(raw),
    };
  });
}

/** An `error` event inside a 200 stream, e.g. `overloaded_error` while the answer is being written. */
export function streamErrorFromEvent(event: WireEvent, scope: ErrorScope): ProviderError {
  const sent = event.error?.type;
  const type = sent === undefined ? 'api_error' : providerName(sent, scope.secrets);
  // Own keys only: a type such as `constructor` names no status.
  const status = type !== undefined && Object.hasOwn(STATUS_BY_TYPE, type) ? STATUS_BY_TYPE[type] : undefined;
  return new ProviderError(describeProviderError(scope, 'reported an error event in stream', { status, code: type, text: event.error?.message }), {
    provider: scope.provider,
    model: scope.model,
    status,
    retryable: status === undefined || isRetryableStatus(status),
    providerCode: type,
  });
}
