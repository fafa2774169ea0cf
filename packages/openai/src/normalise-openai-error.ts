import {
  errorKind,
  parseRetryAfter,
  sdkErrorToGatewayError,
  stringOf,
  type ErrorScope,
  type GatewayError,
  type StainlessErrorShape,
} from '@switchyard/core';

interface OpenAIErrorShape extends StainlessErrorShape {
  code?: unknown;
  type?: unknown;
}

const CONNECTION_ERRORS = new Set(['APIConnectionError', 'APIConnectionTimeoutError', 'TypeError']);

/**
 * Turns whatever the `openai` SDK (or the network under it) threw into a `GatewayError`.
 * Matches on shape and class name rather than `instanceof`, so a second copy of the SDK
 * in the app's node_modules still maps correctly.
 */
export function normaliseOpenAIError(error: unknown, scope: ErrorScope): GatewayError {
  return sdkErrorToGatewayError(error, scope, (raw) => {
    const shape = (typeof raw === 'object' && raw !== null ? raw : {}) as OpenAIErrorShape;
    return {
      status: typeof shape.status === 'number' ? shape.status : undefined,
      message: stringOf(shape.message) ?? String(raw),
      providerCode: stringOf(shape.code) ?? stringOf(shape.type),
      retryAfterMs: parseRetryAfter(shape.headers),
      providerRequestId: stringOf(shape.requestID),
      connection: CONNECTION_ERRORS.has(errorKind(raw)),
    };
  });
}
