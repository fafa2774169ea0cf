/** What `inlineImage` needs of a fetched image URL: the status, two headers and the body. */
export interface FetchedImage {
  /** Whether the final response (after redirects) was a 2xx. */
  ok: boolean;
  contentType: string | null;
  contentLength: string | null;
  body: AsyncIterable<Uint8Array> | null;
  /** Releases the connection when the body will not be read. */
  discard(): void;
}

/** Fetches one image URL, following redirects. The signal covers the whole download. */
export type ImageFetcher = (url: URL, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<FetchedImage>;

export type RefusalReason = 'non-public-address' | 'redirect-scheme' | 'redirect-location' | 'too-many-redirects';

/**
 * Thrown by a fetcher that will not fetch a URL. It carries a reason and nothing about the
 * target (no address, status or location): `inlineImage` words the caller's error from it.
 */
export class ImageFetchRefusal extends Error {
  override name = 'ImageFetchRefusal';
  constructor(
    readonly reason: RefusalReason,
    /** Whether the refusal came on a redirect rather than on the URL the request named. */
    readonly redirected: boolean,
  ) {
    super(`image fetch refused: ${reason}`);
  }
}

/**
 * The app's own `fetch` (`images.fetch`) as an `ImageFetcher`. The app's function decides
 * what may be reached, redirects included: no address policy applies on this path.
 */
export function fetcherFromFetch(fetchImage: typeof fetch): ImageFetcher {
  return async (url, { signal, headers }) => {
    const response = await fetchImage(url.href, { signal, headers, redirect: 'follow' });
    const body = response.body;
    return {
      ok: response.ok,
      contentType: response.headers.get('content-type'),
      contentLength: response.headers.get('content-length'),
      body: body === null ? null : chunks(body),
      discard: () => void body?.cancel().catch(() => undefined),
    };
  };
}

/** A web stream as an async iterable that cancels the stream when the reader stops early. */
async function* chunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const result = await reader.read();
      if (result.done) {
        done = true;
        return;
      }
      yield result.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
  }
}
