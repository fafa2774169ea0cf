// What a wrapped `@anthropic-ai/sdk` client's `messages.create` returns: the SDK's `APIPromise` contract (a promise with `withResponse()` and `asResponse()`) over a gateway call.
import { LazyCallPromise } from '../lazy-call-promise.js';

/** A settled call as the wrapper hands it on: the SDK-shaped data and the HTTP responses it stands for. */
export interface AnthropicAnswer<T> {
  readonly data: T;
  /** The answer as a WHATWG `Response`, made when asked for (a stream's consumes the stream): what `asResponse()` gives. */
  response(): Response;
  /** The `Response` that `withResponse()` gives beside `data`: for a stream the headers only, as the stream reads the answer itself. */
  responseBesideData(): Response;
}

/** A promise of the call's SDK-shaped result; `messages.stream()` reads it through `withResponse()` only. */
export class AnthropicCallPromise<T> extends LazyCallPromise<T> {
  readonly #answer: Promise<AnthropicAnswer<T>>;

  constructor(answer: Promise<AnthropicAnswer<T>>) {
    super();
    this.#answer = answer;
  }

  protected result(): Promise<T> {
    return this.#answer.then((answer) => answer.data);
  }

  /** The data, the `Response` and the request id (the gateway's; `workspace_id` is always null). For a stream, `response` carries the headers only. */
  withResponse(): Promise<{ data: T; response: Response; request_id: string | null; workspace_id: string | null }> {
    return this.#answer.then((answer) => {
      const response = answer.responseBesideData();
      return { data: answer.data, response, request_id: response.headers.get('request-id'), workspace_id: null };
    });
  }

  /** The answer as a WHATWG `Response`: the Message as JSON, or for a stream Anthropic's SSE body; `request-id` is the gateway's request id. */
  asResponse(): Promise<Response> {
    return this.#answer.then((answer) => answer.response());
  }
}
