// The calls a gateway has in flight, for `close()` to wait for before it flushes the sinks: their last events must be delivered too.
import type { CallRecord } from '../pipeline/call-record.js';

export class InFlightCalls {
  readonly #calls = new Set<CallRecord>();
  #idle: Array<() => void> = [];

  add(record: CallRecord): void {
    this.#calls.add(record);
    record.onEnd(() => {
      this.#calls.delete(record);
      if (this.#calls.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
    });
  }

  get size(): number {
    return this.#calls.size;
  }

  /** Resolves once no call is in flight, or after `timeoutMs`, whichever is first. */
  async idle(timeoutMs: number): Promise<void> {
    if (this.#calls.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => this.#idle.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }
}
