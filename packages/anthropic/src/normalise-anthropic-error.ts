import {
  GatewayError,
  ProviderError,
  errorKind,
  isRetryableStatus,
  parseRetryAfter,
  redactSecrets,
  signalError,
  type ErrorScope,
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

interface SdkErrorShape {
  status?: unknown;
  headers?: { get(name: string): string | null } | null;
  error?: { error?: { type?: unknown; message?: unknown } } | null;
  requestID?: unknown;
  message?: unknown;
}

const CONNECTION_ERRORS = new Set(['APIConnectionError', 'APIConnectionTimeoutError', 'TypeError']);

/**
 * Turns what `@anthropic-ai/sdk` (or the network) threw into a `GatewayError`: status,
 * retryable (429, 5xx and 529 "overloaded"), Retry-After, Anthropic's error type. Keys
 * are scrubbed and the SDK error is not kept.
 */
export function normaliseAnthropicError(error: unknown, scope: ErrorScope): GatewayError {
  if (error instanceof GatewayError) return error;
  const fromSignal = signalError(scope);
  if (fromSignal) return fromSignal;
  const where = { provider: scope.provider, model: scope.model };
  const kind = errorKind(error);
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const body = shape.error?.error;
  const rawMessage = typeof body?.message === 'string' ? body.message : typeof shape.message === 'string' ? shape.message : String(error);
  const message = redactSecrets(rawMessage, scope.secrets);
  if (kind === 'AbortError' || kind === 'APIUserAbortError') {
    return new ProviderError(`${scope.provider}/${scope.model}: the request was aborted by the SDK.`, { ...where, retryable: true });
  }
  if (typeof shape.status === 'number') {
    return new ProviderError(`${scope.provider}/${scope.model} answered ${shape.status}: ${message}`, {
      ...where,
      status: shape.status,
      retryable: isRetryableStatus(shape.status),
      retryAfterMs: parseRetryAfter(shape.headers),
      providerCode: typeof body?.type === 'string' ? body.type : undefined,
      providerRequestId: typeof shape.requestID === 'string' ? shape.requestID : undefined,
    });
  }
  const connection = CONNECTION_ERRORS.has(kind);
  return new ProviderError(
    connection ? `Could not reach ${scope.provider} (${scope.model}): ${message}` : `${scope.provider}/${scope.model} failed: ${message}`,
    { ...where, retryable: connection, providerCode: connection ? 'connection_error' : undefined },
  );
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
