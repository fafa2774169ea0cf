// The waiting room of queue-mode rate limits: bottleneck keeps the waiters of each counter in order.
import Bottleneck from 'bottleneck';

/** What one try at admission found: admitted, or how long until the same call would fit (`null`: never). */
export type QueueTry<T> = { readonly admitted: T } | { readonly retryAfterMs: number | null };

/**
 * Calls waiting for room under the same counter wait in line, first come first served: the
 * one at the head retries when the store says room will be there, and the next waits behind
 * it (bottleneck, one job at a time per counter; its Redis clustering can later share the
 * line between processes). A call gives up at its deadline or when its signal aborts, queued
 * or at the head.
 */
export class LimitQueue {
  readonly #group = new Bottleneck.Group({ maxConcurrent: 1 });
  /** Calls in each line, waiting or at its head. */
  readonly #waiting = new Map<string, number>();

  /** How many lines have calls in them. */
  get size(): number {
    return this.#waiting.size;
  }

  /** Whether calls stand in `key`'s line: a newcomer should join it rather than take the room they wait for. */
  isWaiting(key: string): boolean {
    return this.#waiting.has(key);
  }

  /**
   * Runs `attempt` at the head of `key`'s line until it admits, or resolves `undefined` once
   * waiting cannot help in time (rejects with the signal's reason on abort). A try that admits
   * after the waiter gave up hands what it admitted to `release`.
   */
  async wait<T>(
    key: string,
    deadline: number,
    now: () => number,
    signal: AbortSignal | undefined,
    attempt: () => Promise<QueueTry<T>>,
    release: (admitted: T) => void,
  ): Promise<T | undefined> {
    // Aborted before it got here (while the store decided): an abort event will not come again.
    if (signal?.aborted) throw signal.reason;
    this.#waiting.set(key, (this.#waiting.get(key) ?? 0) + 1);
    let gaveUp = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let onAbort: (() => void) | undefined;
    const giveUp = new Promise<undefined>((resolve, reject) => {
      timer = setTimeout(() => {
        gaveUp = true;
        resolve(undefined);
      }, Math.max(0, deadline - now()));
      if (signal) {
        onAbort = () => {
          gaveUp = true;
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      }
    });
    const head = this.#group.key(key).schedule(async (): Promise<T | undefined> => {
      while (!gaveUp) {
        const tried = await attempt();
        if ('admitted' in tried) return tried.admitted;
        const left = deadline - now();
        if (tried.retryAfterMs === null || tried.retryAfterMs > left) return undefined;
        await sleep(tried.retryAfterMs, () => gaveUp);
      }
      return undefined;
    });
    // Admitted after the waiter gave up (the try was running, or bottleneck had yet to hand the
    // result over): the caller is gone, so what was admitted goes back.
    void head.then(
      (admitted) => {
        if (gaveUp && admitted !== undefined) release(admitted);
      },
      () => undefined,
    );
    try {
      return await Promise.race([head, giveUp]);
    } finally {
      const left = (this.#waiting.get(key) ?? 1) - 1;
      if (left > 0) this.#waiting.set(key, left);
      else this.#waiting.delete(key);
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  }
}

/** Sleeps in short steps so that a waiter who gave up frees the head of the line soon. */
async function sleep(ms: number, stop: () => boolean): Promise<void> {
  const until = performance.now() + ms;
  while (!stop()) {
    const left = until - performance.now();
    if (left <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.min(left, 50)));
  }
}
