import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_MAX_BODY_BYTES, ResponseTooLargeError } from './body-limits.js';
import { TimeoutError } from '../errors/errors.js';
import { readBodyText } from './read-body-text.js';

function responseOf(pieces: readonly Uint8Array[], options: { end?: boolean; onCancel?: () => void; headers?: Record<string, string> } = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      if (options.end !== false) controller.close();
    },
    cancel: options.onCancel,
  });
  return new Response(body, { headers: options.headers });
}

/** A body that never ends: a new piece for every read, counted. */
function endless(piece: Uint8Array) {
  const state = { reads: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.reads++;
      controller.enqueue(piece);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { response: new Response(body), state };
}

const MiB = 1024 * 1024;
const source = { provider: 'openai', model: 'gpt-x' };

describe('readBodyText', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('joins the chunks before decoding, so a character split across reads survives', async () => {
    const bytes = new TextEncoder().encode('{"text":"héllo ✓"}');
    const pieces = [bytes.slice(0, 11), bytes.slice(11, 16), bytes.slice(16)];
    expect(await readBodyText(responseOf(pieces), 1000)).toBe('{"text":"héllo ✓"}');
  });

  it('reads an empty or absent body as empty text', async () => {
    expect(await readBodyText(responseOf([]), 1000)).toBe('');
    expect(await readBodyText(new Response(null), 1000)).toBe('');
  });

  it('cancels a body that outlasts the deadline and throws a TimeoutError', async () => {
    vi.useFakeTimers();
    const onCancel = vi.fn();
    const reading = readBodyText(responseOf([new TextEncoder().encode('{"par')], { end: false, onCancel }), 5000);
    const outcome = reading.catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(5000);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(5000);
    expect(onCancel).toHaveBeenCalledOnce();
  });

  it('leaves no timer behind once the body is read', async () => {
    vi.useFakeTimers();
    await readBodyText(responseOf([new TextEncoder().encode('{}')]), 5000);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('readBodyText limits', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('cancels a body that never ends once it passes the limit, with a non-retryable typed error', async () => {
    vi.useFakeTimers();
    const { response, state } = endless(new Uint8Array(MiB));
    const error = await readBodyText(response, 60_000, { maxBytes: 8 * MiB, source }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResponseTooLargeError);
    expect(error).toMatchObject({ code: 'provider_error', providerCode: 'body_too_large', retryable: false, provider: 'openai', model: 'gpt-x', limit: 'maxBodyBytes' });
    expect((error as Error).message).toMatch(/larger than 8 MiB.*limits\.maxBodyBytes/);
    expect(state.cancelled).toBe(true);
    // Stopped at the read that crossed the limit (plus the one the stream pulls ahead), not later.
    expect(state.reads).toBeLessThanOrEqual(10);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('accepts a body of exactly the limit', async () => {
    const text = await readBodyText(responseOf([new TextEncoder().encode('{"a":'), new TextEncoder().encode('1}')]), 1000, { maxBytes: 7 });
    expect(text).toBe('{"a":1}');
    await expect(readBodyText(responseOf([new TextEncoder().encode('{"a":10}')]), 1000, { maxBytes: 7 })).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it('refuses a declared length past the limit before reading, but trusts no length under an encoding', async () => {
    const onCancel = vi.fn();
    const declared = responseOf([new TextEncoder().encode('{}')], { end: false, onCancel, headers: { 'content-length': String(100 * MiB) } });
    await expect(readBodyText(declared, 1000, { maxBytes: MiB })).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(onCancel).toHaveBeenCalledOnce();
    // A gzip body's length is the compressed one: what it inflates to is what counts.
    const encoded = responseOf([new TextEncoder().encode('{}')], { headers: { 'content-length': String(100 * MiB), 'content-encoding': 'gzip' } });
    expect(await readBodyText(encoded, 1000, { maxBytes: MiB })).toBe('{}');
  });

  it('defaults to a 64 MiB limit', async () => {
    expect(DEFAULT_MAX_BODY_BYTES).toBe(64 * MiB);
    const { response, state } = endless(new Uint8Array(MiB));
    await expect(readBodyText(response, 60_000)).rejects.toBeInstanceOf(ResponseTooLargeError);
    expect(state.reads).toBeGreaterThanOrEqual(65);
    expect(state.reads).toBeLessThanOrEqual(67);
  });

  it('turns the engine refusing a string that long into the typed error', async () => {
    // What Node throws past its longest string (512 MiB), which a limit set that high could reach.
    const tooLong = Object.assign(new Error('Cannot create a string longer than 0x1fffffe8 characters'), { code: 'ERR_STRING_TOO_LONG' });
    const decode = vi.spyOn(TextDecoder.prototype, 'decode').mockImplementationOnce(() => {
      throw tooLong;
    });
    try {
      await expect(readBodyText(responseOf([new Uint8Array(8)]), 1000, { maxBytes: 2 ** 40 })).rejects.toBeInstanceOf(ResponseTooLargeError);
    } finally {
      decode.mockRestore();
    }
  });
});
