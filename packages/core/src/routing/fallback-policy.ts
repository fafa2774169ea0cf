import { AbortError, GatewayError, ProviderError } from '../errors.js';

/** Statuses that say "this deployment cannot serve you" rather than "your request is wrong". */
const DEPLOYMENT_STATUSES = new Set([401, 403, 404]);

/**
 * The default for when to move on to the next target: whatever is retryable (429, 5xx,
 * timeouts, connection failures, malformed answers), a deployment's own 401/403/404, and
 * a target that cannot do what the request needs. A bad request (400), a content filter
 * or the caller's abort would fail the same way anywhere, so they do not fall back.
 */
export function defaultFallbackOn(error: GatewayError): boolean {
  if (error instanceof AbortError) return false;
  // Only to a larger context window; the executor skips the others.
  if (isContextLengthError(error)) return true;
  if (error.code === 'unsupported_feature') return true;
  if (error instanceof ProviderError && error.status !== undefined && DEPLOYMENT_STATUSES.has(error.status)) return true;
  return error.retryable;
}

/** Failures that count against a deployment's health (its circuit breaker). */
export function indictsDeployment(error: unknown): boolean {
  if (!(error instanceof GatewayError) || error instanceof AbortError) return false;
  if (error instanceof ProviderError && error.status !== undefined && (error.status === 401 || error.status === 403)) return true;
  return error.retryable;
}

const CONTEXT_CODES = new Set(['context_length_exceeded', 'string_above_max_length']);
const CONTEXT_MESSAGE = /context length|context window|maximum context|prompt is too long|too many tokens|exceeds the maximum number of tokens/i;

/** The prompt does not fit the model's context window (OpenAI's code, or the wording Anthropic and Gemini use). */
export function isContextLengthError(error: unknown): boolean {
  if (!(error instanceof ProviderError)) return false;
  if (error.providerCode !== undefined && CONTEXT_CODES.has(error.providerCode)) return true;
  return (error.status === 400 || error.status === 413) && CONTEXT_MESSAGE.test(error.message);
}
