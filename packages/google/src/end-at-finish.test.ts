import { describe, expect, it } from 'vitest';
import { endAtFinish } from './end-at-finish.js';

/** An SDK-like stream of responses; after them it ends, or never yields again (`hold`). */
function sdkStream(responses: readonly unknown[], after: 'end' | 'hold') {
  const state = { returned: false };
  async function* stream(): AsyncGenerator<unknown> {
    try {
      yield* responses;
      if (after === 'hold') await new Promise(() => undefined);
    } finally {
      state.returned = true;
    }
  }
  return { stream: stream(), state };
}

async function collect(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const response of stream) out.push(response);
  return out;
}

const part = (index: number) => ({ candidates: [{ index, content: { parts: [{ text: 'x' }] } }] });
const finish = (index: number) => ({ candidates: [{ index, finishReason: 'STOP' }] });

describe('endAtFinish', () => {
  it('ends after the response that finishes the last open candidate, and releases a held request', async () => {
    const release = new AbortController();
    const responses = [part(0), part(1), finish(0), part(1), finish(1)];
    const { stream } = sdkStream(responses, 'hold');
    expect(await collect(endAtFinish(stream, release))).toEqual(responses);
    expect(release.signal.aborted).toBe(true);
  });

  it('leaves a request that ends by itself alone', async () => {
    const release = new AbortController();
    const { stream, state } = sdkStream([part(0), finish(0)], 'end');
    expect(await collect(endAtFinish(stream, release))).toHaveLength(2);
    expect(release.signal.aborted).toBe(false);
    expect(state.returned).toBe(true);
  });

  it('passes a stream with no finish through to its end', async () => {
    const release = new AbortController();
    const { stream } = sdkStream([part(0), { usageMetadata: {} }], 'end');
    expect(await collect(endAtFinish(stream, release))).toHaveLength(2);
    expect(release.signal.aborted).toBe(false);
  });

  it('releases the request when the consumer stops early', async () => {
    const release = new AbortController();
    const { stream } = sdkStream([part(0), part(0)], 'hold');
    for await (const _ of endAtFinish(stream, release)) break;
    expect(release.signal.aborted).toBe(true);
  });
});
