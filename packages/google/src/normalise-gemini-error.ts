import { errorKind, parseRetryAfter, sdkErrorToGatewayError, stringOf, type ErrorScope, type GatewayError } from '@switchyard/core';

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
 * 5xx), the wait from RetryInfo (or Retry-After), Google's status name as the code.
 */
export function normaliseGeminiError(error: unknown, scope: ErrorScope): GatewayError {
  return sdkErrorToGatewayError(error, scope, (raw) => {
    const shape = (typeof raw === 'object' && raw !== null ? raw : {}) as SdkErrorShape;
    const message = stringOf(shape.message) ?? String(raw);
    const body = errorBody(message);
    const status = typeof shape.status === 'number' ? shape.status : body?.code;
    return {
      status,
      message: body?.message ?? message,
      providerCode: body?.status ?? (status === undefined ? undefined : STATUS_NAMES[status]),
      retryAfterMs: retryDelayMs(shape.errorDetails) ?? retryDelayMs(body?.details) ?? parseRetryAfter(shape.headers),
      connection: CONNECTION_ERRORS.has(errorKind(raw)) || /fetch failed|ECONNREFUSED|ECONNRESET|socket/i.test(message),
    };
  });
}
