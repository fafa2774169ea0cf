import {
  AbortError,
  GatewayError,
  ProviderError,
  TimeoutError,
  errorKind,
  isRetryableStatus,
  parseRetryAfter,
  redactSecrets,
  signalError,
  type ErrorScope,
} from '@switchyard/core';

interface SdkApiErrorShape {
  status?: unknown;
  headers?: { get(name: string): string | null } | null;
  code?: unknown;
  type?: unknown;
  requestID?: unknown;
  message?: unknown;
}

const CONNECTION_ERRORS = new Set(['APIConnectionError', 'APIConnectionTimeoutError', 'TypeError']);

/**
 * Turns whatever the `openai` SDK (or the network under it) threw into a `GatewayError`.
 * Matches on shape and name rather than `instanceof`, so a second copy of the SDK in the
 * app's node_modules still maps correctly. Messages are scrubbed of credentials and the
 * SDK error is not kept as `cause` (its request data may hold them).
 */
export function normaliseOpenAIError(error: unknown, scope: ErrorScope): GatewayError {
  if (error instanceof GatewayError) return error;
  const fromSignal = signalError(scope);
  if (fromSignal) return fromSignal;
  const where = { provider: scope.provider, model: scope.model };
  if (error instanceof TimeoutError) return new TimeoutError(error.timeoutMs, where);
  const kind = errorKind(error);
  if (kind === 'AbortError' || kind === 'APIUserAbortError') return new AbortError(where);

  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkApiErrorShape;
  const rawMessage = typeof shape.message === 'string' ? shape.message : String(error);
  const message = redactSecrets(rawMessage, scope.secrets);

  if (typeof shape.status === 'number') {
    const status = shape.status;
    const providerCode =
      typeof shape.code === 'string' ? shape.code : typeof shape.type === 'string' ? shape.type : undefined;
    const retryAfterMs = parseRetryAfter(shape.headers);
    return new ProviderError(`${scope.provider}/${scope.model} answered ${status}: ${message}`, {
      ...where,
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs,
      providerCode,
      providerRequestId: typeof shape.requestID === 'string' ? shape.requestID : undefined,
    });
  }
  const connection = CONNECTION_ERRORS.has(kind);
  return new ProviderError(
    connection
      ? `Could not reach ${scope.provider} (${scope.model}): ${message}`
      : `${scope.provider}/${scope.model} failed: ${message}`,
    { ...where, retryable: connection, providerCode: connection ? 'connection_error' : undefined },
  );
}
