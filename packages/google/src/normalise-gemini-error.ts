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

interface GoogleErrorBody {
  code?: number;
  message?: string;
  status?: string;
  details?: Array<Record<string, unknown>>;
}

interface SdkErrorShape {
  status?: unknown;
  message?: unknown;
  errorDetails?: unknown;
  headers?: { get(name: string): string | null } | null;
}

const CONNECTION_ERRORS = new Set(['TypeError', 'FetchError']);

/** Google's canonical status names, for SDKs that surface only the HTTP status. */
const STATUS_NAMES: Readonly<Record<number, string>> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

/** RetryInfo's `retryDelay` ("34.4s") in milliseconds. */
export function retryDelayMs(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as Array<Record<string, unknown>>) {
    const type = detail['@type'];
    const delay = detail.retryDelay;
    if (typeof type === 'string' && type.endsWith('google.rpc.RetryInfo') && typeof delay === 'string') {
      const seconds = Number.parseFloat(delay);
      if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
    }
  }
  return undefined;
}

/** `@google/genai` puts the JSON error body in the message; the older SDK appends it after the status. */
function errorBody(message: string): GoogleErrorBody | undefined {
  const start = message.indexOf('{');
  if (start === -1) return undefined;
  try {
    const parsed = JSON.parse(message.slice(start)) as { error?: GoogleErrorBody } | GoogleErrorBody;
    return 'error' in parsed && parsed.error ? parsed.error : (parsed as GoogleErrorBody);
  } catch {
    return undefined;
  }
}

/**
 * Turns what either Google SDK threw into a `GatewayError`: status, retryable (429 and
 * 5xx), the wait from RetryInfo (or Retry-After), Google's status name as the code. The
 * message is scrubbed of keys (Gemini also accepts them in URLs) and the SDK error dropped.
 */
export function normaliseGeminiError(error: unknown, scope: ErrorScope): GatewayError {
  if (error instanceof GatewayError) return error;
  const fromSignal = signalError(scope);
  if (fromSignal) return fromSignal;
  const where = { provider: scope.provider, model: scope.model };
  const shape = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  const raw = typeof shape.message === 'string' ? shape.message : String(error);
  const body = errorBody(raw);
  const status = typeof shape.status === 'number' ? shape.status : body?.code;
  const message = redactSecrets(body?.message ?? raw, scope.secrets);
  const kind = errorKind(error);
  if (kind.includes('Abort')) {
    return new ProviderError(`${scope.provider}/${scope.model}: the request was aborted by the SDK.`, { ...where, retryable: true });
  }
  if (typeof status === 'number') {
    return new ProviderError(`${scope.provider}/${scope.model} answered ${status}: ${message}`, {
      ...where,
      status,
      retryable: isRetryableStatus(status),
      retryAfterMs: retryDelayMs(shape.errorDetails) ?? retryDelayMs(body?.details) ?? parseRetryAfter(shape.headers),
      providerCode: body?.status ?? STATUS_NAMES[status],
    });
  }
  const connection = CONNECTION_ERRORS.has(kind) || /fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(raw);
  return new ProviderError(
    connection ? `Could not reach ${scope.provider} (${scope.model}): ${message}` : `${scope.provider}/${scope.model} failed: ${message}`,
    { ...where, retryable: connection, providerCode: connection ? 'connection_error' : undefined },
  );
}
