import {
  ProviderError,
  errorKind,
  isRetryableStatus,
  parseRetryAfter,
  redactSecrets,
  sdkErrorToGatewayError,
  stringOf,
  type ErrorScope,
  type GatewayError,
  type StainlessErrorShape,
} from '@switchyard/core';
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

const CONNECTION_ERRORS = new Set(['APIConnectionError', 'APIConnectionTimeoutError', 'TypeError']);

/**
 * Turns what `@anthropic-ai/sdk` (or the network) threw into a `GatewayError`: status,
 * retryable (429, 5xx and 529 "overloaded"), Retry-After, Anthropic's error type.
 */
export function normaliseAnthropicError(error: unknown, scope: ErrorScope): GatewayError {
  return sdkErrorToGatewayError(error, scope, (raw) => {
    const shape = (typeof raw === 'object' && raw !== null ? raw : {}) as AnthropicErrorShape;
    const body = shape.error?.error;
    return {
      status: typeof shape.status === 'number' ? shape.status : undefined,
      message: stringOf(body?.message) ?? stringOf(shape.message) ?? String(raw),
      providerCode: stringOf(body?.type),
      retryAfterMs: parseRetryAfter(shape.headers),
      providerRequestId: stringOf(shape.requestID),
      connection: CONNECTION_ERRORS.has(errorKind(raw)),
    };
  });
}

/** An `error` event inside a 200 stream, e.g. `overloaded_error` while the answer is being written. */
export function streamErrorFromEvent(event: WireEvent, scope: ErrorScope): ProviderError {
  const type = event.error?.type ?? 'api_error';
  const status = STATUS_BY_TYPE[type];
  const message = redactSecrets(event.error?.message ?? 'error event in stream', scope.secrets);
  return new ProviderError(`${scope.provider}/${scope.model} reported ${type} mid-stream: ${message}`, {
    provider: scope.provider,
    model: scope.model,
    status,
    retryable: status === undefined || isRetryableStatus(status),
    providerCode: type,
  });
}
