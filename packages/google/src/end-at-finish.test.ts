import { describe, expect, it } from 'vitest';
import { endAtFinish, expectedCandidates } from './end-at-finish.js';

/** Where a response is replaced by `LATE`, the next one comes only after two turns of the event loop: too late for the turn after a finish. */
const LATE = Symbol('late');
const turn = () => new Promise((resolve) => setImmediate(resolve));

/** An SDK-like stream of responses; after them it ends, or never yields again (`hold`). */
function sdkStream(responses: readonly unknown[], after: 'end' | 'hold') {
  const state = { returned: false };
  async function* stream(): AsyncGenerator<unknown> {
    try {
      for (const response of responses) {
        if (response !== LATE) yield response;
        else {
          await turn();
          await turn();
        }
      }
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
const usageMetadata = { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 };
/** A finishing response with its usage, as Gemini sends it (see the recorded streams). */
const finish = (index: number) => ({ candidates: [{ index, finishReason: 'STOP' }], usageMetadata });
const bareFinish = (index: number) => ({ candidates: [{ index, finishReason: 'STOP' }] });
const present = (responses: readonly unknown[]) => responses.filter((response) => response !== LATE);

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

  it('passes on usage that follows the finish, and then ends (repro: it was dropped)', async () => {
    for (const after of ['end', 'hold'] as const) {
      const release = new AbortController();
      const responses = [part(0), bareFinish(0), { usageMetadata }];
      const { stream } = sdkStream(responses, after);
      expect(await collect(endAtFinish(stream, release)), after).toEqual(responses);
      expect(release.signal.aborted, after).toBe(after === 'hold');
    }
  });

  it('waits past the finish for usage that has not come yet, however late', async () => {
    const release = new AbortController();
    const responses = [part(0), bareFinish(0), LATE, { usageMetadata }];
    const { stream } = sdkStream(responses, 'end');
    expect(await collect(endAtFinish(stream, release))).toEqual(present(responses));
    expect(release.signal.aborted).toBe(false);
  });

  it('passes on a response that comes in the turn after the finish, and reads on to the next finish', async () => {
    const release = new AbortController();
    const responses = [part(0), finish(0), { usageMetadata }, { modelVersion: 'm' }];
    const { stream } = sdkStream(responses, 'hold');
    expect(await collect(endAtFinish(stream, release))).toEqual(responses);
    expect(release.signal.aborted).toBe(true);
  });

  it('waits for every candidate asked for, even one that first appears after the others finished (repro: it was lost)', async () => {
    const release = new AbortController();
    const responses = [finish(0), LATE, part(1), LATE, finish(1)];
    const { stream, state } = sdkStream(responses, 'end');
    expect(await collect(endAtFinish(stream, release, 2))).toEqual(present(responses));
    expect(release.signal.aborted).toBe(false);
    expect(state.returned).toBe(true);
  });

  it('ends a held stream once every candidate asked for has finished', async () => {
    const release = new AbortController();
    const responses = [finish(1), LATE, part(0), finish(0)];
    const { stream } = sdkStream(responses, 'hold');
    expect(await collect(endAtFinish(stream, release, 2))).toEqual(present(responses));
    expect(release.signal.aborted).toBe(true);
  });

  it('ends without an error when the body fails after the finish, releasing the request', async () => {
    const release = new AbortController();
    async function* failing(): AsyncGenerator<unknown> {
      yield part(0);
      yield finish(0);
      throw new Error('socket reset after the answer');
    }
    expect(await collect(endAtFinish(failing(), release))).toEqual([part(0), finish(0)]);
    expect(release.signal.aborted).toBe(true);
  });

  it('reads the candidate count off the request: generationConfig.candidateCount (OpenAI n), else 1', () => {
    expect(expectedCandidates({ contents: [] })).toBe(1);
    expect(expectedCandidates({ contents: [], generationConfig: { temperature: 0 } })).toBe(1);
    expect(expectedCandidates({ contents: [], generationConfig: { candidateCount: 3 } })).toBe(3);
    for (const candidateCount of [0, -1, 1.5, Number.NaN]) expect(expectedCandidates({ contents: [], generationConfig: { candidateCount } })).toBe(1);
  });

  it('releases the request when the consumer stops early', async () => {
    const release = new AbortController();
    const { stream } = sdkStream([part(0), part(0)], 'hold');
    for await (const _ of endAtFinish(stream, release)) break;
    expect(release.signal.aborted).toBe(true);
  });
});
