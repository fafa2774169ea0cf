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
