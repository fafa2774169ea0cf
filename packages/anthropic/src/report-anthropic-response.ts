import { providerResponseFromHeaders, type CallContext } from '@switchyard/core/adapter';

/** Anthropic's id for one HTTP request, what its support asks for. */
export const ANTHROPIC_REQUEST_ID_HEADER = 'request-id';

/**
 * Makes an SDK call that resolves to the raw HTTP response and reports that response's
 * headers on `call` as soon as they are in. A refused call is reported too when the SDK's
 * error carries the response headers (`APIError.headers`); the error itself is rethrown
 * unchanged, for the adapter to normalise as before.
 */
export async function reportingResponse(call: Pick<CallContext, 'response'>, send: () => Promise<Response>): Promise<Response> {
  let response: Response;
  try {
    response = await send();
  } catch (error) {
    const headers = headersOf(error);
    if (headers) call.response(providerResponseFromHeaders(headers, ANTHROPIC_REQUEST_ID_HEADER));
    throw error;
  }
  call.response(providerResponseFromHeaders(response.headers, ANTHROPIC_REQUEST_ID_HEADER));
  return response;
}

/**
 * The response headers on an `@anthropic-ai/sdk` `APIError`; none on a connection error or
 * an abort. Checked by shape, not `instanceof`: a custom `fetch` brings its own `Headers` class.
 */
function headersOf(error: unknown): Headers | undefined {
  if (typeof error !== 'object' || error === null || !('headers' in error)) return undefined;
  const headers: unknown = error.headers;
  return isHeaders(headers) ? headers : undefined;
}

function isHeaders(value: unknown): value is Headers {
  if (typeof value !== 'object' || value === null) return false;
  return 'forEach' in value && typeof value.forEach === 'function' && 'get' in value && typeof value.get === 'function';
}
