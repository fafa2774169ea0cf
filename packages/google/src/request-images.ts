import { InvalidRequestError, UnsupportedFeatureError, type ChatCompletionMessageParam } from '@switchyard/core';
import { addressPolicy } from './address-policy.js';
import { publicImageFetcher, type Resolve } from './fetch-public-image.js';
import { ImageByteBudget } from './image-byte-budget.js';
import { DEFAULT_IMAGE_FETCH_OPTIONS, type ImageFetchOptions } from './image-fetch-options.js';
import { fetcherFromFetch, type ImageFetcher } from './image-fetcher.js';
import { inlineImage, type InlineImage } from './inline-image.js';

/**
 * Downloads at once per request. With the byte budget shared, memory is bounded whatever
 * this is; the bound is on sockets, and on how much is fetched in vain when one image fails.
 */
export const CONCURRENT_IMAGE_DOWNLOADS = 4;

const DATA_URL = /^\s*data:/i;

/** The http(s) (that is, non-data) image URLs in a request's messages: what `images.maxCount` counts. */
export function countImageUrls(messages: readonly ChatCompletionMessageParam[]): number {
  let count = 0;
  for (const message of messages) {
    if (message.role !== 'user' || typeof message.content === 'string') continue;
    for (const part of message.content) if (part.type === 'image_url' && !DATA_URL.test(part.image_url.url)) count++;
  }
  return count;
}

/**
 * One request's images: turns each `image_url` into inline data under the request's caps
 * (`maxCount`, checked up front; `maxTotalBytes`, shared as downloads run), at most
 * `CONCURRENT_IMAGE_DOWNLOADS` at a time. The first failure stops the other downloads, and
 * `close()` stops whatever is still running when the translation ends.
 */
export class RequestImages {
  readonly #options: ImageFetchOptions;
  readonly #fetcher: ImageFetcher | undefined;
  readonly #budget: ImageByteBudget;
  readonly #stop = new AbortController();
  readonly #signal: AbortSignal;
  #running = 0;
  readonly #queue: Array<() => void> = [];

  /** `resolve` stands in for DNS in tests. */
  constructor(options: ImageFetchOptions, signal: AbortSignal | undefined, urls: number, resolve?: Resolve) {
    const maxCount = options.maxCount ?? DEFAULT_IMAGE_FETCH_OPTIONS.maxCount;
    if (options.fetch !== false && urls > maxCount) {
      const message = `The request has ${urls} http(s) image URLs; this adapter fetches at most ${maxCount} per request (images.maxCount). Send fewer, or send some as base64 data URLs.`;
      throw new InvalidRequestError(message, [{ path: 'messages', message }]);
    }
    this.#options = options;
    this.#fetcher =
      options.fetch === false
        ? undefined
        : options.fetch
          ? fetcherFromFetch(options.fetch)
          : publicImageFetcher({ allows: addressPolicy(options.allowPrivateNetworks), resolve });
    this.#budget = new ImageByteBudget(options.maxTotalBytes ?? DEFAULT_IMAGE_FETCH_OPTIONS.maxTotalBytes);
    this.#signal = signal ? AbortSignal.any([signal, this.#stop.signal]) : this.#stop.signal;
  }

  /** The image at `url` as inline data; `where` (`messages.0.content.1`) locates it in errors. */
  async inline(url: string, where: string): Promise<InlineImage> {
    const { maxBytes, timeoutMs } = this.#options;
    if (DATA_URL.test(url)) return inlineImage(url, { maxBytes, timeoutMs });
    if (this.#fetcher === undefined) {
      throw new UnsupportedFeatureError('image_url', `${where}: fetching image URLs is turned off for this adapter (images.fetch: false); send the image as a base64 data URL.`);
    }
    await this.#turn();
    try {
      return await inlineImage(url, { maxBytes, timeoutMs, signal: this.#signal, fetcher: this.#fetcher, budget: this.#budget });
    } catch (error) {
      // The request fails with this error: the other downloads would be wasted.
      this.close();
      throw error;
    } finally {
      this.#running--;
      this.#queue.shift()?.();
    }
  }

  /** Stops every download still running or waiting. */
  close(): void {
    this.#stop.abort();
  }

  async #turn(): Promise<void> {
    while (this.#running >= CONCURRENT_IMAGE_DOWNLOADS) await new Promise<void>((resolve) => this.#queue.push(resolve));
    this.#running++;
  }
}
