// What a wrapped `@anthropic-ai/sdk` client's `messages.create` returns: the SDK's `APIPromise` contract (a promise with `withResponse()` and `asResponse()`) over a gateway call.

/** A settled call as the wrapper hands it on: the SDK-shaped data and the HTTP responses it stands for. */
export interface AnthropicAnswer<T> {
  readonly data: T;
  /** The answer as a WHATWG `Response`, made when asked for (a stream's consumes the stream): what `asResponse()` gives. */
  response(): Response;
  /** The `Response` that `withResponse()` gives beside `data`: for a stream the headers only, as the stream reads the answer itself. */
  responseBesideData(): Response;
}

/**
 * A promise of the call's SDK-shaped result. Like the SDK's `APIPromise` it is a `Promise`
 * subclass whose `then`, `catch` and `finally` read the settled call, and whose derived
 * promises are made only when asked for: a caller that uses only `withResponse()` or
 * `asResponse()` (as `messages.stream()` does) leaves no rejected promise unobserved.
 * The base promise itself never settles.
 */
export class AnthropicCallPromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #answer: Promise<AnthropicAnswer<T>>;
  #data: Promise<T> | undefined;

  constructor(answer: Promise<AnthropicAnswer<T>>) {
    super(() => undefined);
    this.#answer = answer;
  }

  #settled(): Promise<T> {
    return (this.#data ??= this.#answer.then((answer) => answer.data));
  }

  override then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.#settled().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#settled().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#settled().finally(onfinally);
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
