import { afterEach, describe, expect, it, vi } from 'vitest';
import { TimeoutError } from './errors.js';
import { readBodyText } from './read-body-text.js';

function responseOf(pieces: readonly Uint8Array[], options: { end?: boolean; onCancel?: () => void } = {}): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const piece of pieces) controller.enqueue(piece);
      if (options.end !== false) controller.close();
    },
    cancel: options.onCancel,
  });
  return new Response(body);
}

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
