// A fetch's arguments (`input`, `init`) read as a real fetch reads them: URL, method, signal and body, `init` winning over a Request.

export interface IncomingCall {
  url: URL;
  /** Upper-cased, as fetch normalises it. */
  method: string;
  signal: AbortSignal | undefined;
  /** The body as text (empty when there is none). */
  bodyText(): Promise<string>;
}

/** Throws a `TypeError` for a URL that does not parse, as fetch rejects with. */
export function incomingCall(input: string | URL | Request, init: RequestInit | undefined): IncomingCall {
  const request = input instanceof Request ? input : undefined;
  const url = input instanceof URL ? input : new URL(request ? request.url : String(input));
  const method = (init?.method ?? request?.method ?? 'GET').toUpperCase();
  // `signal: null` in init means no signal, even on a Request that has one.
  const signal = init?.signal !== undefined ? (init.signal ?? undefined) : request?.signal;
  const body = init?.body;
  return {
    url,
    method,
    signal,
    bodyText: () => {
      // The SDKs send a string: no copy, no Body machinery.
      if (typeof body === 'string') return Promise.resolve(body);
      if (body !== undefined && body !== null) return new Response(body).text();
      return request ? request.text() : Promise.resolve('');
    },
  };
}
