import { AbortError, GatewayError, InvalidRequestError, UnsupportedFeatureError } from '@switchyard/core';

export interface InlineImageOptions {
  /** Largest image accepted, in bytes, whether it arrives in a data URL or is downloaded. */
  maxBytes: number;
  /** How long downloading one image may take in total (headers and body), in milliseconds. */
  timeoutMs: number;
  /** The call's signal: aborting it stops the download. */
  signal?: AbortSignal | undefined;
  /** Used instead of the global `fetch`, e.g. to route through a proxy or allow only some hosts. */
  fetch?: typeof fetch | undefined;
}

/** An image as Gemini's `inlineData` part takes it. */
export interface InlineImage {
  mimeType: string;
  /** Standard, padded base64. */
  data: string;
}

/** `image/<subtype>` with the characters RFC 6838 allows in a subtype. */
const IMAGE_TYPE = /^image\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;
const BASE64 = /^[A-Za-z0-9+/]*$/;

/**
 * Turns an OpenAI `image_url` into Gemini inline data. Gemini cannot fetch arbitrary URLs
 * itself (only Google-hosted file URIs), so `data:` URLs are decoded in place and http(s)
 * URLs are downloaded here, under a time limit and a hard size cap.
 *
 * Errors are `InvalidRequestError`s (the request carries an image that cannot be used),
 * `UnsupportedFeatureError` for schemes other than data/http/https, and `AbortError` when
 * the caller's signal fires. Messages name the host at most: a URL's path and query may
 * carry a signed token, so they are never repeated.
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
  return download(parsed, options);
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

async function download(url: URL, options: InlineImageOptions): Promise<InlineImage> {
  const host = url.host;
  const caller = options.signal;
  if (caller?.aborted) throw new AbortError();
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = caller ? AbortSignal.any([caller, deadline]) : deadline;
  const fetchImage = options.fetch ?? fetch;

  try {
    const response = await fetchImage(url.href, { signal, headers: { accept: 'image/*' }, redirect: 'follow' });
    let reading = false;
    try {
      if (!response.ok) throw invalid(`Could not fetch image_url: ${host} answered HTTP ${response.status}.`);
      const contentType = response.headers.get('content-type');
      const mimeType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
      if (!IMAGE_TYPE.test(mimeType)) {
        throw invalid(`image_url from ${host} is ${contentType === null ? 'untyped' : `of type ${quote(contentType)}`}, not an image.`);
      }
      // Refuse before reading a byte when the server says up front that the image is too big.
      const declared = response.headers.get('content-length')?.trim();
      if (declared !== undefined && /^\d+$/.test(declared) && Number(declared) > options.maxBytes) throw tooLarge(host, options.maxBytes);
      if (response.body === null) throw invalid(`image_url from ${host} has no body.`);
      reading = true;
      const bytes = await readAtMost(response.body, options.maxBytes, host);
      if (bytes.byteLength === 0) throw invalid(`image_url from ${host} is empty.`);
      return { mimeType, data: bytes.toString('base64') };
    } finally {
      // An unread body holds the connection open; nobody else will read it.
      if (!reading) response.body?.cancel().catch(() => undefined);
    }
  } catch (error) {
    if (caller?.aborted) throw new AbortError();
    if (error instanceof GatewayError) throw error;
    if (deadline.aborted) throw invalid(`Fetching image_url from ${host} took longer than ${options.timeoutMs} ms.`);
    // Node's fetch says only "fetch failed"; the cause's code (ECONNREFUSED, ENOTFOUND…) is the useful part.
    const code = networkCode(error);
    throw invalid(`Could not fetch image_url from ${host}${code === undefined ? '' : ` (${code})`}.`);
  }
}

/** Reads the body into memory, cancelling the download as soon as it passes `maxBytes`. */
async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number, host: string): Promise<Buffer> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, total);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(host, maxBytes);
    }
    chunks.push(value);
  }
}

function tooLarge(host: string, maxBytes: number): InvalidRequestError {
  return invalid(`image_url from ${host} is larger than the ${maxBytes}-byte limit for images.`);
}

function invalid(message: string): InvalidRequestError {
  return new InvalidRequestError(message, [{ path: 'image_url.url', message }]);
}

function networkCode(error: unknown): string | undefined {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code: unknown = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : undefined;
}

/** Quotes text that came from elsewhere, cut short so a hostile header cannot flood the message. */
function quote(text: string): string {
  return JSON.stringify(text.length > 100 ? `${text.slice(0, 100)}…` : text);
}
