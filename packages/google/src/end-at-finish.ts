import { readWithinTurn } from '@switchyard/core/adapter';
import type { GeminiRequest } from './gemini-wire.js';

/** What this reads of a streamed response (both SDKs' shapes): the candidates, their finish reasons, the usage. */
interface StreamedResponse {
  candidates?: Array<{ index?: number; finishReason?: unknown }>;
  usageMetadata?: unknown;
}

/** How many candidates a request asks for: `generationConfig.candidateCount` (OpenAI `n`), 1 when unset. */
export function expectedCandidates(request: GeminiRequest): number {
  const count = request.generationConfig?.candidateCount;
  return typeof count === 'number' && Number.isSafeInteger(count) && count > 1 ? count : 1;
}

/**
 * The SDK's stream of responses, ended at its finish: once `candidates` candidates (as many
 * as the request asked for, or more if more came) have all finished and the usage has been
 * reported, which Gemini does in every response, the final one included.
 *
 * Both Google SDKs read the body until the server closes it, so a server that holds the
 * connection open after its last chunk would hang the call (or turn a complete answer into
 * a timeout). After the finish the body gets one turn of the event loop to end, as it
 * normally does. A response that arrives in that turn is passed on and reading goes on, to
 * the next finish or the end: nothing the server sends in time is dropped. If the body has
 * not ended after the turn, or the consumer stops early, `release` is aborted, which ends
 * the request and closes the connection rather than waiting for the server.
 *
 * A stream that finishes without ever reporting usage, or with fewer candidates than asked
 * for, is read to the end of the body, as the SDK reads it.
 */
export async function* endAtFinish(stream: AsyncIterable<unknown>, release: AbortController, candidates = 1): AsyncGenerator<unknown, void, undefined> {
  const iterator = stream[Symbol.asyncIterator]();
  const progress = new FinishProgress(candidates);
  let exhausted = false;
  try {
    let next = await iterator.next();
    while (next.done !== true) {
      yield next.value;
      progress.see(next.value as StreamedResponse | null);
      if (!progress.finished) next = await iterator.next();
      else {
        const after = await readWithinTurn(iterator.next());
        // Still open after a turn, or failed after the answer was complete: release the request.
        if (after === undefined) return;
        next = after;
      }
    }
    exhausted = true;
  } finally {
    if (!exhausted) {
      release.abort();
      // Settles once the aborted read does; nothing waits for it.
      Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
}

/** Which candidates have appeared and finished, and whether usage has been reported. */
class FinishProgress {
  readonly #expected: number;
  readonly #seen = new Set<number>();
  readonly #finished = new Set<number>();
  #usage = false;

  constructor(expected: number) {
    this.#expected = Math.max(1, expected);
  }

  see(response: StreamedResponse | null): void {
    if (typeof response?.usageMetadata === 'object' && response.usageMetadata !== null) this.#usage = true;
    const candidates = response?.candidates;
    if (!Array.isArray(candidates)) return;
    candidates.forEach((candidate, position) => {
      const index = candidate.index ?? position;
      this.#seen.add(index);
      if (candidate.finishReason) this.#finished.add(index);
    });
  }

  get finished(): boolean {
    return this.#usage && this.#finished.size >= Math.max(this.#expected, this.#seen.size);
  }
}
