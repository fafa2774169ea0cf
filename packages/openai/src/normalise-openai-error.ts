import { type GatewayError } from '@switchyard/core';
import {
  isNetworkFailure,
  parseRetryAfter,
  sdkErrorToGatewayError,
  stringOf,
  type ErrorScope,
  type StainlessErrorShape,
} from '@switchyard/core/adapter';

interface OpenAIErrorShape extends StainlessErrorShape {
  code?: unknown;
  type?: unknown;
  /** The error body's `error` object (the SDK unwraps it), or the whole body. */
  error?: { message?: unknown } | null;
}

/**
 * Turns whatever the `openai` SDK (or the network under it) threw into a `GatewayError`.
 * Matches on shape and class name rather than `instanceof`, so a second copy of the SDK
 * in the app's node_modules still maps correctly. Only a real network failure counts as
 * a connection error: a `TypeError` from building the request (a circular or BigInt value
 * in the params) is the caller's, and core reports it as such.
 */
export function normaliseOpenAIError(error: unknown, scope: ErrorScope): GatewayError {
  return sdkErrorToGatewayError(error, scope, (raw) => {
    const shape = (typeof raw === 'object' && raw !== null ? raw : {}) as OpenAIErrorShape;
    const type = stringOf(shape.type);
    const code = stringOf(shape.code);
    return {
      status: typeof shape.status === 'number' ? shape.status : undefined,
      // The body's own message; the SDK's `message` prefixes the status, or is the raw body (an HTML page).
      message: stringOf(shape.error?.message) ?? stringOf(shape.message) ?? String(raw),
      providerType: type,
      providerCode: code ?? type,
      retryAfterMs: parseRetryAfter(shape.headers),
      providerRequestId: stringOf(shape.requestID),
      connection: isNetworkFailure(raw),
    };
  });
}

/**
 * The response headers an `openai` SDK error carries (`APIError.headers`), if it came from a
 * response: a connection failure or an abort has none. By shape, as above, for a second copy
 * of the SDK.
 */
export function openAIErrorHeaders(error: unknown): Headers | undefined {
  if (typeof error !== 'object' || error === null || !('headers' in error)) return undefined;
  const headers: unknown = error.headers;
  return isHeaders(headers) ? headers : undefined;
}

function isHeaders(value: unknown): value is Headers {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Headers>;
  return typeof candidate.get === 'function' && typeof candidate.forEach === 'function';
}
