/** What this reads of a streamed response (both SDKs' shapes): the candidates and their finish reasons. */
interface StreamedResponse {
  candidates?: Array<{ index?: number; finishReason?: unknown }>;
}

/**
 * The SDK's stream of responses, ended after the one that finishes every candidate seen.
 * Both Google SDKs read the body until the server closes it, so a server that holds the
 * connection open after its last chunk would hang the call (or turn a complete answer into
 * a timeout). After the last chunk the body gets one turn of the event loop to end, as it
 * normally does; if it has not, or the consumer stops early, `release` is aborted, which
 * ends the request and closes the connection rather than waiting for the server.
 */
export async function* endAtFinish(stream: AsyncIterable<unknown>, release: AbortController): AsyncGenerator<unknown, void, undefined> {
  const iterator = stream[Symbol.asyncIterator]();
  const seen = new Set<number>();
  const finished = new Set<number>();
  let exhausted = false;
  try {
    for (;;) {
      const next = await iterator.next();
      if (next.done) {
        exhausted = true;
        return;
      }
      yield next.value;
      if (finishesAll(next.value as StreamedResponse | null, seen, finished)) {
        exhausted = await endsPromptly(iterator);
        return;
      }
    }
  } finally {
    if (!exhausted) {
      release.abort();
      // Settles once the aborted read does; nothing waits for it.
      Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
  }
}

function finishesAll(response: StreamedResponse | null, seen: Set<number>, finished: Set<number>): boolean {
  const candidates = response?.candidates;
  if (!Array.isArray(candidates)) return false;
  candidates.forEach((candidate, position) => {
    const index = candidate.index ?? position;
    seen.add(index);
    if (candidate.finishReason) finished.add(index);
  });
  return finished.size > 0 && finished.size === seen.size;
}

/** Whether the stream ends within one turn of the event loop (its end usually comes with the last chunk). */
function endsPromptly(iterator: AsyncIterator<unknown>): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const turn = setImmediate(resolve, false);
    iterator.next().then(
      (next) => {
        clearImmediate(turn);
        resolve(next.done === true);
      },
      () => {
        clearImmediate(turn);
        resolve(false);
      },
    );
  });
}
