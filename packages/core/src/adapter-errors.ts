import { AbortError, ProviderError, TimeoutError, type GatewayError } from './errors.js';

/** What an adapter knows when it turns an SDK failure into a gateway error. */
export interface ErrorScope {
  provider: string;
  model: string;
  /** Credentials to scrub from messages (the client's API key). */
  secrets: readonly string[];
  signal: AbortSignal | undefined;
}

/** The provider sent something the adapter cannot read. Worth another try. */
export function malformedResponse(scope: ErrorScope, what: string): ProviderError {
  return new ProviderError(`${scope.provider}/${scope.model} sent a malformed response: ${what}.`, {
    provider: scope.provider,
    model: scope.model,
    retryable: true,
    providerCode: 'malformed_response',
  });
}

/** The stream's body ended before the provider said it was complete. */
export function truncatedStream(scope: ErrorScope): ProviderError {
  return new ProviderError(`${scope.provider}/${scope.model}: the stream ended before it was complete.`, {
    provider: scope.provider,
    model: scope.model,
    retryable: true,
    providerCode: 'stream_truncated',
  });
}

/**
 * When the call's own signal fired, the SDK's error says little: this says whether it
 * was the caller (abort) or the deadline (timeout). `undefined` when the signal is quiet.
 */
export function signalError(scope: ErrorScope): GatewayError | undefined {
  if (!scope.signal?.aborted) return undefined;
  const where = { provider: scope.provider, model: scope.model };
  const reason: unknown = scope.signal.reason;
  return reason instanceof TimeoutError ? new TimeoutError(reason.timeoutMs, where) : new AbortError(where);
}

/** The SDKs' error classes leave `name` as 'Error'; their constructor names tell them apart. */
export function errorKind(error: unknown): string {
  if (!(error instanceof Error)) return '';
  return error.name !== 'Error' ? error.name : error.constructor.name;
}
