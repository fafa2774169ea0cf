import { isContextLengthCode } from '../adapter/adapter-errors.js';
import { AbortError, GatewayError, ProviderError } from '../errors/errors.js';

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

/**
 * The prompt does not fit the model's context window: OpenAI's code, or the one the
 * adapters set when Anthropic's or Gemini's wording says so (their text is not kept in
 * messages, so it cannot be matched here).
 */
export function isContextLengthError(error: unknown): boolean {
  return error instanceof ProviderError && isContextLengthCode(error.providerCode);
}
