import { TimeoutError } from './errors.js';

const utf8 = new TextDecoder();

/**
 * Reads a whole response body as UTF-8 text, giving up after `timeoutMs`. Adapters that take
 * the SDK's raw `Response` (`.asResponse()`) read the body here, so that the body stays bound
 * by the client's timeout as it is when the SDK parses it. On the deadline the body is
 * cancelled, which releases the connection, and a `TimeoutError` is thrown; a read error
 * (e.g. the call's signal aborting the fetch) is thrown as it is, for the adapter to map.
 */
export async function readBodyText(response: Response, timeoutMs: number): Promise<string> {
  const body = response.body;
  if (!body) return '';
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
      parts.push(value);
      length += value.byteLength;
    }
    if (timedOut) throw new TimeoutError(timeoutMs);
    return utf8.decode(parts.length === 1 ? parts[0] : concat(parts, length));
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
