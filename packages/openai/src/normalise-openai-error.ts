import {
  AbortError,
  GatewayError,
  ProviderError,
  TimeoutError,
  isRetryableStatus,
  parseRetryAfter,
  redactSecrets,
} from '@switchyard/core';

export interface ErrorScope {
  provider: string;
  model: string;
  /** Credentials to scrub from messages (the client's API key). */
  secrets: readonly string[];
  signal: AbortSignal | undefined;
}

interface SdkApiErrorShape {
  status?: unknown;
  headers?: { get(name: string): string | null } | null;
  code?: unknown;
  type?: unknown;
  requestID?: unknown;
  message?: unknown;
}

/** The SDK's error classes leave `name` as 'Error'; their constructor names tell them apart. */
function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return '';
  return error.name !== 'Error' ? error.name : error.constructor.name;
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
  const where = { provider: scope.provider, model: scope.model };
  const reason: unknown = scope.signal?.reason;
  if (scope.signal?.aborted) {
    if (reason instanceof TimeoutError) return new TimeoutError(reason.timeoutMs, where);
    return new AbortError(where);
  }
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
