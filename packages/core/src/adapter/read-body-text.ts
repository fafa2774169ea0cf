import { DEFAULT_MAX_BODY_BYTES, ResponseTooLargeError, isPastEngineLimit, type ResponseSource } from './body-limits.js';
import { TimeoutError } from '../errors/errors.js';

const utf8 = new TextDecoder();

export interface ReadBodyOptions {
  /** Largest body accepted, in bytes as read (after `content-encoding` is undone); default 64 MiB, `DEFAULT_MAX_BODY_BYTES`. */
  maxBytes?: number | undefined;
  /** Who sent the body, named in the error a body past the limit raises. */
  source?: ResponseSource | undefined;
}

/**
 * Reads a whole response body as UTF-8 text, giving up after `timeoutMs`. Adapters that take
 * the SDK's raw `Response` (`.asResponse()`) read the body here, so that the body stays bound
 * by the client's timeout as it is when the SDK parses it. On the deadline the body is
 * cancelled, which releases the connection, and a `TimeoutError` is thrown; a read error
 * (e.g. the call's signal aborting the fetch) is thrown as it is, for the adapter to map.
 *
 * A body past `maxBytes` is cancelled as soon as the read that crosses the limit arrives
 * (or before reading, when its `content-length` already says so), and a non-retryable
 * `ResponseTooLargeError` is thrown. `fetch` undoes gzip, deflate and brotli as it reads,
 * so the limit holds for what a small compressed body inflates to.
 */
export async function readBodyText(response: Response, timeoutMs: number, options: ReadBodyOptions = {}): Promise<string> {
  const body = response.body;
  if (!body) return '';
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const tooLarge = () => new ResponseTooLargeError('maxBodyBytes', maxBytes, options.source);
  // Without an encoding, the declared length is what would be read: no need to wait for it.
  if (!response.headers.has('content-encoding') && Number(response.headers.get('content-length')) > maxBytes) {
    await body.cancel().catch(() => undefined);
    throw tooLarge();
  }
  const reader = body.getReader();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // A pending read resolves as done once the body is cancelled.
    reader.cancel().catch(() => undefined);
  }, timeoutMs);
  try {
    const parts: Uint8Array[] = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      length += value.byteLength;
      if (length > maxBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      parts.push(value);
    }
    if (timedOut) throw new TimeoutError(timeoutMs);
    try {
      return utf8.decode(parts.length === 1 ? parts[0] : concat(parts, length));
    } catch (error) {
      // A limit set past the engine's longest string must still fail typed.
      if (isPastEngineLimit(error)) throw tooLarge();
      throw error;
    }
  } finally {
    clearTimeout(timer);
  }
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const whole = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    whole.set(part, offset);
    offset += part.byteLength;
  }
  return whole;
}
