// Gateway errors as the `openai` SDK throws them: its own classes, taken from the wrapped client's constructor, with a fitting HTTP status and the gateway error as `cause`.
import { GatewayError, ProviderError, type GatewayErrorCode } from '../../errors/errors.js';

type SdkErrorConstructor<Options> = new (options: Options) => Error;

/** The error classes of one copy of the `openai` SDK, as its client class carries them (`OpenAI.APIError`, ...). */
export interface OpenAISdkErrors {
  readonly OpenAIError: new (message: string) => Error;
  readonly APIError: { generate(status: number | undefined, body: object | undefined, message: string | undefined, headers: Headers | undefined): Error };
  readonly APIUserAbortError: SdkErrorConstructor<{ message?: string }>;
  readonly APIConnectionError: SdkErrorConstructor<{ message?: string }>;
  readonly APIConnectionTimeoutError: SdkErrorConstructor<{ message?: string }>;
}

/** A static of the client class by name, if it is a function. */
function staticOf<T>(owner: object, name: string): T | undefined {
  const value: unknown = Reflect.get(owner, name);
  return typeof value === 'function' ? (value as T) : undefined;
}

/** The SDK's error classes from `client.constructor`; `undefined` for a client class that lacks any of them. */
export function sdkErrorsOf(client: object): OpenAISdkErrors | undefined {
  const statics: unknown = client.constructor;
  if (typeof statics !== 'function') return undefined;
  const OpenAIError = staticOf<OpenAISdkErrors['OpenAIError']>(statics, 'OpenAIError');
  const APIError = staticOf<OpenAISdkErrors['APIError']>(statics, 'APIError');
  const APIUserAbortError = staticOf<OpenAISdkErrors['APIUserAbortError']>(statics, 'APIUserAbortError');
  const APIConnectionError = staticOf<OpenAISdkErrors['APIConnectionError']>(statics, 'APIConnectionError');
  const APIConnectionTimeoutError = staticOf<OpenAISdkErrors['APIConnectionTimeoutError']>(statics, 'APIConnectionTimeoutError');
  if (!OpenAIError || !APIError || !APIUserAbortError || !APIConnectionError || !APIConnectionTimeoutError) return undefined;
  if (typeof Reflect.get(APIError, 'generate') !== 'function') return undefined;
  return { OpenAIError, APIError, APIUserAbortError, APIConnectionError, APIConnectionTimeoutError };
}

/**
 * The HTTP status a caller sees for each gateway error code. A refusal of the caller's own
 * request (bad params, unknown model, access, limits) is a 4xx, never a 5xx: it must not look
 * like a provider outage. `undefined`: no HTTP answer (the SDK's connection, timeout and abort errors).
 */
const STATUS_OF: Record<GatewayErrorCode, number | undefined> = {
  config_error: 400,
  invalid_request: 400,
  unknown_model: 404,
  provider_error: undefined, // the provider's own status, or a connection error
  timeout: undefined,
  aborted: undefined,
  unsupported_feature: 400,
  stream_interrupted: undefined,
  content_filter: 400,
  unavailable: 503,
  access_denied: 403,
  rate_limited: 429,
  budget_exceeded: 429,
  no_target_in_region: 403,
  scope_revoked: 403,
  guardrail_blocked: 400,
  guardrail_failed: 503,
  internal_error: 500,
};

/** OpenAI's `error.type` for a status, as its API sends it. */
function errorTypeOf(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 401) return 'authentication_error';
  if (status === 403) return 'permission_error';
  if (status === 404) return 'not_found_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

/** The HTTP status `error` maps to; `undefined` when it maps to the SDK's connection, timeout or abort error. */
export function statusOfGatewayError(error: GatewayError): number | undefined {
  if (error instanceof ProviderError) return error.status;
  return STATUS_OF[error.code];
}

function retryAfterMsOf(error: GatewayError): number | undefined {
  const value: unknown = (error as { retryAfterMs?: unknown }).retryAfterMs;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** The headers an error response would carry: the gateway's request id, and Retry-After when waiting helps. */
function errorHeaders(error: GatewayError): Headers {
  const headers = new Headers();
  if (error.requestId !== undefined) headers.set('x-request-id', error.requestId);
  const retryAfterMs = retryAfterMsOf(error);
  if (retryAfterMs !== undefined) {
    headers.set('retry-after-ms', String(Math.ceil(retryAfterMs)));
    headers.set('retry-after', String(Math.ceil(retryAfterMs / 1000)));
  }
  return headers;
}

function keepCause<E extends Error>(sdkError: E, cause: unknown): E {
  Object.defineProperty(sdkError, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  return sdkError;
}

/** The OpenAI-shaped body of an error answer: what `APIError.error` holds (`code` is the gateway's code). */
export function errorBodyOf(error: GatewayError, status: number): { message: string; type: string; code: string; param: null } {
  return { message: error.message, type: errorTypeOf(status), code: error.code, param: null };
}

/**
 * `error` as the SDK would throw it: an `APIError` subclass for its status (`RateLimitError`,
 * `BadRequestError`, ...), `APIUserAbortError`, `APIConnectionTimeoutError` or
 * `APIConnectionError`, with the gateway error as `cause`. Anything that is not a gateway
 * error (a bug, a middleware's own throw) is passed on as it is.
 */
export function toSdkError(error: unknown, sdk: OpenAISdkErrors | undefined): unknown {
  if (sdk === undefined || !(error instanceof GatewayError)) return error;
  if (error.code === 'aborted') return keepCause(new sdk.APIUserAbortError({ message: error.message }), error);
  if (error.code === 'timeout') return keepCause(new sdk.APIConnectionTimeoutError({ message: error.message }), error);
  const status = statusOfGatewayError(error);
  if (status === undefined) {
    // A provider that could not be reached, or a stream cut mid-way: the SDK's connection error.
    return keepCause(new sdk.APIConnectionError({ message: error.message }), error);
  }
  return keepCause(sdk.APIError.generate(status, { error: errorBodyOf(error, status) }, error.message, errorHeaders(error)), error);
}
