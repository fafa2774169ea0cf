// What a wrapped `openai` client's call returns: the SDK's `APIPromise` contract (a promise with `withResponse()`, `asResponse()` and `_thenUnwrap()`) over a gateway call, plus the gateway's `withMeta()`.
import type { CallMeta } from '../../pipeline/call-meta.js';
import type { WithMeta } from '../../pipeline/call-promise.js';
import { LazyCallPromise } from '../lazy-call-promise.js';

/** A settled gateway call as the wrapper hands it on: the SDK-shaped data, the HTTP response it stands for, and the call's meta. */
export interface SdkAnswer<T> {
  readonly data: T;
  readonly meta: CallMeta;
  /** The answer as a WHATWG `Response` (made when asked for; a stream's consumes the stream). */
  response(): Response;
  /** The same headers with no body: what `withResponse()` gives beside a stream that reads the body itself. */
  headersOnly(): Response;
}

/** What the SDK's `_thenUnwrap` transforms get besides the data (`APIResponseProps`): the parts a helper reads. */
export interface SdkResponseProps {
  readonly response: Response;
  readonly options: { readonly method: 'post'; readonly path: string; readonly body: unknown; readonly stream: boolean };
  readonly controller: AbortController;
  readonly requestLogID: string;
  readonly retryOfRequestLogID: undefined;
  readonly startTime: number;
}

export interface SdkRequestShape {
  readonly path: string;
  readonly body: unknown;
  readonly stream: boolean;
  readonly controller: AbortController | undefined;
  readonly startTime: number;
}

/** Adds the SDK's `_request_id` (non-enumerable, as the SDK does) to a result object. */
function withRequestId<T>(data: T, requestId: string): T {
  if (typeof data === 'object' && data !== null && !Array.isArray(data) && Object.isExtensible(data)) {
    Object.defineProperty(data, '_request_id', { value: requestId, enumerable: false, writable: true, configurable: true });
  }
  return data;
}

/** A promise of the call's SDK-shaped result, with the SDK's `_thenUnwrap()` for its helpers and the gateway's `withMeta()`. */
export class SdkCallPromise<T> extends LazyCallPromise<T> {
  readonly #answer: Promise<SdkAnswer<T>>;
  readonly #request: SdkRequestShape;

  constructor(answer: Promise<SdkAnswer<T>>, request: SdkRequestShape) {
    super();
    this.#answer = answer;
    this.#request = request;
  }

  protected result(): Promise<T> {
    return this.#answer.then((answer) => withRequestId(answer.data, answer.meta.requestId));
  }

  /** The answer as a WHATWG `Response`: a JSON body, or for a stream OpenAI's SSE body ending `data: [DONE]`; `x-request-id` is the gateway's request id. */
  asResponse(): Promise<Response> {
    return this.#answer.then((answer) => answer.response());
  }

  /**
   * The data, the `Response` and the request id (the gateway's). For a stream, `data` is the
   * stream and `response` carries the headers only: the stream reads the answer itself.
   */
  withResponse(): Promise<{ data: T; response: Response; request_id: string | null }> {
    return this.#answer.then((answer) => {
      const data = withRequestId(answer.data, answer.meta.requestId);
      const response = this.#request.stream ? answer.headersOnly() : answer.response();
      return { data, response, request_id: response.headers.get('x-request-id') };
    });
  }

  /** The data with the gateway's meta for the call (route, provider, attempts, usage, cost), as `gateway.chat.completions.create(...).withMeta()`. */
  withMeta(): Promise<WithMeta<T>> {
    return this.#answer.then((answer) => ({ data: withRequestId(answer.data, answer.meta.requestId), meta: answer.meta }));
  }

  /** The SDK's hook for its helpers (`parse()`, embeddings): a promise of `transform(data, props)` keeping `withResponse()`, `asResponse()` and `withMeta()`. */
  _thenUnwrap<U>(transform: (data: T, props: SdkResponseProps) => U): SdkCallPromise<U> {
    const request = this.#request;
    const answer = this.#answer.then((settled): SdkAnswer<U> => {
      const props: SdkResponseProps = {
        get response() {
          return settled.headersOnly();
        },
        options: { method: 'post', path: request.path, body: request.body, stream: request.stream },
        controller: request.controller ?? new AbortController(),
        requestLogID: settled.meta.requestId,
        retryOfRequestLogID: undefined,
        startTime: request.startTime,
      };
      const data = transform(withRequestId(settled.data, settled.meta.requestId), props);
      return { data, meta: settled.meta, response: () => settled.response(), headersOnly: () => settled.headersOnly() };
    });
    return new SdkCallPromise(answer, request);
  }
}
