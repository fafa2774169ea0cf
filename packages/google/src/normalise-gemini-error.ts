import { type GatewayError } from '@switchyard/core';
import {
  MAX_RETRY_AFTER_MS,
  errorKind,
  isNetworkFailure,
  parseRetryAfter,
  sdkErrorToGatewayError,
  stringOf,
  type ErrorScope,
} from '@switchyard/core/adapter';

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

/**
 * `@google/generative-ai` wraps a failed fetch in its own error, keeping only the message of
 * undici's (`fetch failed`, `terminated`) and dropping the cause.
 */
const GENERATIVE_AI_FETCH_FAILURE = /^\[GoogleGenerativeAI Error\]: Error fetching from \S+: (fetch failed|terminated)$/;

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

/** RetryInfo's `retryDelay` ("34.4s") in milliseconds, capped as Retry-After is: a bogus delay must not park a call for days. */
export function retryDelayMs(details: unknown): number | undefined {
  if (!Array.isArray(details)) return undefined;
  for (const detail of details as Array<Record<string, unknown>>) {
    const type = detail['@type'];
    const delay = detail.retryDelay;
    if (typeof type === 'string' && type.endsWith('google.rpc.RetryInfo') && typeof delay === 'string') {
      const seconds = Number.parseFloat(delay);
      if (Number.isFinite(seconds) && seconds >= 0) return Math.min(Math.round(seconds * 1000), MAX_RETRY_AFTER_MS);
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
 * 5xx), the wait from RetryInfo (or Retry-After), Google's status name as the code (or
 * `context_length_exceeded` when the message says the prompt is over the window). Only a
 * real network failure counts as a connection error, not a `TypeError` from building the
 * request.
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
      connection: isNetworkFailure(raw) || (errorKind(raw) === 'GoogleGenerativeAIError' && GENERATIVE_AI_FETCH_FAILURE.test(message)),
    };
  });
}
