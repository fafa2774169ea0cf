import { providerResponseFromHeaders, type CallContext } from '@switchyard/core/adapter';

/**
 * Google documents no request id header for the Gemini API: `x-goog-request-id` is read when
 * a response (or a proxy in front of Gemini) carries one, and `providerRequestId` is undefined
 * otherwise. The body's `responseId` names the answer, not the HTTP request, so it is not used.
 */
export const GOOGLE_REQUEST_ID_HEADER = 'x-goog-request-id';

/** An HTTP response's headers, as an SDK exposes them. */
export type ResponseHeaders = Headers | Readonly<Record<string, string>>;

/**
 * Reports a call's provider response from the headers its SDK exposes. Every streamed
 * response carries the headers of the HTTP response it came in, so each distinct set is
 * reported once: a later HTTP response (`@google/genai`'s continuation of a stream)
 * replaces the first, but the chunks of one never repeat it.
 */
export class ProviderResponseReporter {
  readonly #call: Pick<CallContext, 'response'>;
  #last: string | undefined;
  #lastSource: ResponseHeaders | undefined;

  constructor(call: Pick<CallContext, 'response'>) {
    this.#call = call;
  }

  see(headers: ResponseHeaders | undefined): void {
    // The chunks of one HTTP response usually share its headers object: nothing to compare then.
    if (!headers || headers === this.#lastSource) return;
    this.#lastSource = headers;
    const response = providerResponseFromHeaders(headers, GOOGLE_REQUEST_ID_HEADER);
    const key = JSON.stringify(response.headers);
    if (key === this.#last) return;
    this.#last = key;
    this.#call.response(response);
  }
}
