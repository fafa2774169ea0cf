// Gateway errors as the AI SDK's error classes: APICallError with a status, the gateway error as `cause`.
import { APICallError } from '@ai-sdk/provider';
import { AbortError, GatewayError, ProviderError, type GatewayErrorCode } from '@switchyard/core';

/** The URL an APICallError names: there is no HTTP request between the AI SDK and the in-process gateway. */
export const CHAT_URL = 'switchyard://gateway/chat/completions';
export const EMBEDDINGS_URL = 'switchyard://gateway/embeddings';

/** The HTTP status a gateway error stands for, when the provider gave none (the status OpenAI's API would answer). */
const STATUS_BY_CODE: Record<GatewayErrorCode, number> = {
  config_error: 500,
  invalid_request: 400,
  unknown_model: 404,
  provider_error: 502,
  timeout: 504,
  aborted: 499,
  unsupported_feature: 400,
  stream_interrupted: 502,
  content_filter: 400,
  unavailable: 503,
  access_denied: 403,
  rate_limited: 429,
  budget_exceeded: 429,
  no_target_in_region: 403,
  scope_revoked: 403,
  guardrail_blocked: 400,
  guardrail_failed: 500,
  internal_error: 500,
};

export interface ErrorContext {
  url: string;
  requestBody: unknown;
  /** `settings.aiSdkRetries`: let the AI SDK retry what the gateway calls retryable. */
  aiSdkRetries: boolean;
}

/**
 * The error a model call throws for what the gateway threw. An abort stays the gateway's
 * `AbortError` (its name is what the AI SDK recognises an abort by); every other gateway
 * error becomes an `APICallError` whose `cause` is the gateway error, `data` its JSON
 * description. It is not retryable unless `aiSdkRetries` is on: by the time it reaches the
 * AI SDK, the gateway has retried and fallen back as its routes say.
 */
export function toAiSdkError(error: unknown, context: ErrorContext): unknown {
  if (error instanceof AbortError) return error;
  if (!(error instanceof GatewayError)) return error;
  const status = error instanceof ProviderError && error.status !== undefined ? error.status : STATUS_BY_CODE[error.code];
  const retryAfterMs = 'retryAfterMs' in error && typeof error.retryAfterMs === 'number' ? error.retryAfterMs : undefined;
  return new APICallError({
    message: error.message,
    url: context.url,
    requestBodyValues: context.requestBody,
    statusCode: status,
    ...(retryAfterMs === undefined ? {} : { responseHeaders: { 'retry-after-ms': String(retryAfterMs) } }),
    isRetryable: context.aiSdkRetries && error.retryable,
    cause: error,
    data: { ...error.toJSON(), requestId: error.requestId ?? null, attempts: error.attempts },
  });
}
