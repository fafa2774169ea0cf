import { AbortError, GatewayError, InvalidRequestError, UnsupportedFeatureError } from '@switchyard/core';
import { excerpt, networkErrorCode } from '@switchyard/core/adapter';
import type { ImageByteBudget } from './image-byte-budget.js';
import { ImageFetchRefusal, type ImageFetcher } from './image-fetcher.js';

export interface InlineImageOptions {
  /** Largest image accepted, in bytes, whether it arrives in a data URL or is downloaded. */
  maxBytes: number;
  /** How long downloading one image may take in total (redirects, headers and body), in milliseconds. */
  timeoutMs: number;
  /** The call's signal: aborting it stops the download. */
  signal?: AbortSignal | undefined;
  /**
   * Downloads http(s) URLs: `publicImageFetcher` (public addresses only, unless the app opts
   * in) or the app's own `fetch` through `fetcherFromFetch`. Without one, such URLs are refused.
   */
  fetcher?: ImageFetcher | undefined;
  /** The request's allowance of downloaded bytes, shared by all its images. */
  budget?: ImageByteBudget | undefined;
}

/** An image as Gemini's `inlineData` part takes it. */
export interface InlineImage {
  mimeType: string;
  /** Standard, padded base64. */
  data: string;
}

/** `image/<subtype>` with the characters RFC 6838 allows in a subtype. */
const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
/** Any `type/subtype`: the only part of a foreign Content-Type an error repeats. */
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const BASE64 = /^[A-Za-z0-9+/]*$/;

/**
 * Turns an OpenAI `image_url` into Gemini inline data. Gemini cannot fetch arbitrary URLs
 * itself (only Google-hosted file URIs), so `data:` URLs are decoded in place and http(s)
 * URLs are downloaded here through the given fetcher, under a time limit and a hard size cap.
 *
 * Errors are `InvalidRequestError`s (the request carries an image that cannot be used),
 * `UnsupportedFeatureError` for schemes other than data/http/https, and `AbortError` when
 * the caller's signal fires. Messages name the host the caller gave at most: a URL's path
 * and query may carry a signed token, and what the target answered (status, body, where it
 * redirects, the address it resolves to) may describe an internal network, so none of it
 * is repeated.
 */
export async function inlineImage(url: string, options: InlineImageOptions): Promise<InlineImage> {
  // Checked before URL parsing: a multi-megabyte data URL need not go through the URL parser.
  if (/^\s*data:/i.test(url)) return fromDataUrl(url.trim(), options.maxBytes);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw invalid('image_url is not a valid URL.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnsupportedFeatureError(
      'image_url',
      `Gemini takes images inline: Switchyard can read data: URLs and download http(s) URLs, but not ${parsed.protocol} URLs.`,
    );
  }
  if (options.fetcher === undefined) {
    throw new UnsupportedFeatureError('image_url', 'Fetching image URLs is turned off for this adapter (images.fetch: false); send the image as a base64 data URL.');
  }
  return download(parsed, options.fetcher, options);
}

function fromDataUrl(url: string, maxBytes: number): InlineImage {
  const comma = url.indexOf(',');
  if (comma === -1) throw invalid('image_url is a malformed data URL (expected data:<media type>;base64,<data>).');
  const [mediaType = '', ...parameters] = url.slice('data:'.length, comma).split(';').map((part) => part.trim());
  const mimeType = mediaType.toLowerCase();
  if (!IMAGE_TYPE.test(mimeType)) throw invalid(`image_url is a data URL of type ${quote(mediaType || '(none)')}, not an image.`);
  if (!parameters.some((parameter) => parameter.toLowerCase() === 'base64')) {
    throw invalid('image_url data URLs must be base64-encoded (data:<media type>;base64,<data>).');
  }

  let data = url.slice(comma + 1);
  if (data.includes('%')) {
    try {
      data = decodeURIComponent(data);
    } catch {
      throw invalid('image_url is a data URL with broken percent-encoding.');
    }
  }
  // Line breaks are common in pasted base64, and base64url is unambiguous: accept both,
  // and hand Gemini the canonical padded alphabet.
  data = data.replace(/\s+/g, '').replaceAll('-', '+').replaceAll('_', '/').replace(/={0,2}$/, '');
  if (!BASE64.test(data) || data.length % 4 === 1) throw invalid('image_url is a data URL whose data is not valid base64.');
  const bytes = Math.floor((data.length * 3) / 4);
  if (bytes === 0) throw invalid('image_url is a data URL with no data.');
  if (bytes > maxBytes) throw invalid(`image_url is a data URL of ${bytes} bytes, over the ${maxBytes}-byte limit for images.`);
  return { mimeType, data: data + '='.repeat((4 - (data.length % 4)) % 4) };
}

async function download(url: URL, fetcher: ImageFetcher, options: InlineImageOptions): Promise<InlineImage> {
  // The host and port the caller wrote, cut short: the URL parser puts no bound on a host name.
  const host = excerpt(url.host);
  const caller = options.signal;
  if (caller?.aborted) throw new AbortError();
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;

  try {
    const response = await fetcher(url, { signal, headers: { accept: 'image/*' } });
    let reading = false;
    try {
      // The status stays out of the message: it would tell a caller how an internal server answers.
      if (!response.ok) throw invalid(`Could not fetch image_url from ${host}: the server did not answer with a success status.`);
      const contentType = response.contentType;
      const mimeType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!IMAGE_TYPE.test(mimeType)) {
        const type = contentType === null ? 'untyped' : MEDIA_TYPE.test(mimeType) ? `of type ${JSON.stringify(mimeType)}` : 'of an unrecognised type';
        throw invalid(`image_url from ${host} is ${type}, not an image.`);
      }
      // Refuse before reading a byte when the server says up front that the image is too big.
      const declared = response.contentLength?.trim();
      if (declared !== undefined && /^\d+$/.test(declared)) {
        if (Number(declared) > options.maxBytes) throw tooLarge(host, options.maxBytes);
        if (options.budget && Number(declared) > options.budget.remaining) throw options.budget.exceeded();
      }
      if (response.body === null) throw invalid(`image_url from ${host} has no body.`);
      reading = true;
      const bytes = await readAtMost(response.body, options, host);
      if (bytes.byteLength === 0) throw invalid(`image_url from ${host} is empty.`);
      return { mimeType, data: bytes.toString('base64') };
    } finally {
      // An unread body holds the connection open; nobody else will read it.
      if (!reading) response.discard();
    }
  } catch (error) {
    if (caller?.aborted) throw new AbortError();
    if (error instanceof GatewayError) throw error;
    if (error instanceof ImageFetchRefusal) throw refused(host, error);
    if (deadline.aborted) throw invalid(`Fetching image_url from ${host} took longer than ${options.timeoutMs} ms.`);
    // Node says only "fetch failed" or the like; the code (ECONNREFUSED, ENOTFOUND…) is the useful part.
    const code = networkErrorCode(error);
    throw invalid(`Could not fetch image_url from ${host}${code === undefined ? '' : ` (${code})`}.`);
  }
}

/** Reads the body into memory, stopping the download as soon as it passes `maxBytes` or the request's budget. */
async function readAtMost(body: AsyncIterable<Uint8Array>, options: InlineImageOptions, host: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early (by throwing) closes the body, and with it the connection.
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > options.maxBytes) throw tooLarge(host, options.maxBytes);
    options.budget?.take(chunk.byteLength);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function refused(host: string, refusal: ImageFetchRefusal): InvalidRequestError {
  const where = refusal.redirected ? 'a redirect from it leads' : 'it resolves';
  switch (refusal.reason) {
    case 'non-public-address':
      return invalid(
        `image_url from ${host} was refused: ${where} to a non-public address (loopback, private, link-local or reserved), and this gateway fetches images from the public internet only. Send the image as a base64 data URL, or have the app allow internal hosts with the google() adapter's images.allowPrivateNetworks.`,
      );
    case 'too-many-redirects':
      return invalid(`image_url from ${host} was refused: it redirects too many times.`);
    case 'redirect-scheme':
      return invalid(`image_url from ${host} was refused: it redirects to a URL that is not http(s).`);
    case 'redirect-location':
      return invalid(`image_url from ${host} was refused: it redirects to a malformed location.`);
  }
}

function tooLarge(host: string, maxBytes: number): InvalidRequestError {
  return invalid(`image_url from ${host} is larger than the ${maxBytes}-byte limit for images.`);
}

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(message, [{ path: 'image_url.url', message }]);
}

/** Quotes text that came from elsewhere, cut short so a hostile header cannot flood the message, and escaped. */
function quote(text: string): string {
  return JSON.stringify(excerpt(text));
}
