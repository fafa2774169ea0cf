import { AbortError, GatewayError, ProviderError, TimeoutError } from './errors.js';
import { redactSecrets } from './redact.js';
import { isRetryableStatus } from './retry-after.js';

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

/** What an adapter reads off its SDK's error object. */
export interface SdkErrorReading {
  /** HTTP status, when the provider answered. */
  status?: number | undefined;
  /** The provider's message (scrubbed of secrets here). */
  message: string;
  providerCode?: string | undefined;
  retryAfterMs?: number | undefined;
  providerRequestId?: string | undefined;
  /** The SDK could not reach the provider (no status). */
  connection: boolean;
}

/**
 * The one place an SDK failure becomes a `GatewayError`: the call's own abort or deadline
 * first, then a provider answer (retryable on 408, 409, 429 and 5xx), then a connection
 * failure (retryable) or anything else (not). Adapters only say how to read their SDK's
 * error; the SDK error itself is not kept, since its request data may hold credentials.
 */
export function sdkErrorToGatewayError(error: unknown, scope: ErrorScope, read: (error: unknown) => SdkErrorReading): GatewayError {
  if (error instanceof GatewayError) return error;
  const fromSignal = signalError(scope);
  if (fromSignal) return fromSignal;
  const where = { provider: scope.provider, model: scope.model };
  if (error instanceof TimeoutError) return new TimeoutError(error.timeoutMs, where);
  const kind = errorKind(error);
  if (kind === 'AbortError' || kind === 'APIUserAbortError') return new AbortError(where);
  const reading = read(error);
  const message = redactSecrets(reading.message, scope.secrets);
  if (reading.status !== undefined) {
    return new ProviderError(`${scope.provider}/${scope.model} answered ${reading.status}: ${message}`, {
      ...where,
      status: reading.status,
      retryable: isRetryableStatus(reading.status),
      retryAfterMs: reading.retryAfterMs,
      providerCode: reading.providerCode,
      providerRequestId: reading.providerRequestId,
    });
  }
  return new ProviderError(
    reading.connection ? `Could not reach ${scope.provider} (${scope.model}): ${message}` : `${scope.provider}/${scope.model} failed: ${message}`,
    { ...where, retryable: reading.connection, providerCode: reading.connection ? 'connection_error' : undefined },
  );
}

/** The fields the Stainless-made SDKs (openai, @anthropic-ai/sdk) put on their errors. */
export interface StainlessErrorShape {
  status?: unknown;
  headers?: { get(name: string): string | null } | null;
  requestID?: unknown;
  message?: unknown;
}

export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
