// Gateway errors as the `openai` SDK throws them: its own classes, taken from the wrapped client's constructor, with the status and body `gateway.fetch` answers with and the gateway error as `cause`.
import { GatewayError, ProviderError } from '../../errors/errors.js';
import { errorAnswer, type OpenAIErrorBody } from '../fetch/error-response.js';

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

/** The HTTP answer of `error`, as `gateway.fetch` gives it: one table for every OpenAI-shaped door. */
function answerOf(error: GatewayError): { status: number; body: OpenAIErrorBody; headers: Headers } {
  const answer = errorAnswer(error);
  const headers = new Headers(answer.headers);
  if (error.requestId !== undefined) headers.set('x-request-id', error.requestId);
  return { status: answer.status, body: answer.body, headers };
}

function keepCause<E extends Error>(sdkError: E, cause: unknown): E {
  Object.defineProperty(sdkError, 'cause', { value: cause, writable: true, configurable: true, enumerable: false });
  return sdkError;
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
  // A provider that could not be reached, or a stream cut mid-way: no HTTP answer, the SDK's connection error.
  if (error.code === 'stream_interrupted' || (error instanceof ProviderError && error.status === undefined)) {
    return keepCause(new sdk.APIConnectionError({ message: error.message }), error);
  }
  const { status, body, headers } = answerOf(error);
  return keepCause(sdk.APIError.generate(status, body, error.message, headers), error);
}
