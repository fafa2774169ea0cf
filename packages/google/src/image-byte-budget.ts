import { InvalidRequestError } from '@switchyard/core';

/**
 * How many bytes one request's http(s) images may download in all (`images.maxTotalBytes`).
 * Downloads running side by side draw on it chunk by chunk as bytes arrive, so what the
 * request holds in memory never passes the limit by more than a chunk per download.
 */
export class ImageByteBudget {
  readonly limit: number;
  #remaining: number;

  constructor(limit: number) {
    this.limit = limit;
    this.#remaining = limit;
  }

  get remaining(): number {
    return this.#remaining;
  }

  /** Counts bytes just downloaded; throws once the request's images pass the limit. */
  take(bytes: number): void {
    this.#remaining -= bytes;
    if (this.#remaining < 0) throw this.exceeded();
  }

  /** The error for a request whose images (would) pass the limit. */
  exceeded(): InvalidRequestError {
    const message = `The request's http(s) image URLs add up to more than the ${this.limit}-byte limit for fetched images (images.maxTotalBytes); send fewer or smaller images.`;
    return new InvalidRequestError(message, [{ path: 'messages', message }]);
  }
}
