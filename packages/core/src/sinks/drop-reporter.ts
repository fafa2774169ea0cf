// How a sink tells of the events it lost: to the app's onDrop, or as process warnings, at most one per interval so a flood of drops is not a flood of warnings.
import type { SinkStats } from './event-sink.js';

/** At most one drop warning this often, with the count since the last; `close()` reports the rest at once. */
export const DROP_WARNING_INTERVAL_MS = 10_000;

export class DropReporter {
  readonly #sink: string;
  readonly #onDrop: ((dropped: number, stats: SinkStats) => void) | undefined;
  /** Dropped since the last warning, not yet warned of. */
  #unwarned = 0;
  #total = 0;
  #warnedAt = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;

  constructor(sink: string, onDrop: ((dropped: number, stats: SinkStats) => void) | undefined) {
    this.#sink = sink;
    this.#onDrop = onDrop;
  }

  /** `stats` already counts the loss. Never throws. */
  report(count: number, stats: SinkStats): void {
    this.#total += count;
    if (this.#onDrop) {
      try {
        this.#onDrop(count, stats);
      } catch {
        // The app's drop handler failed: the loss stays counted in the stats, and a write must not throw.
      }
      return;
    }
    this.#unwarned += count;
    const wait = this.#warnedAt + DROP_WARNING_INTERVAL_MS - performance.now();
    if (wait <= 0) this.#warn();
    // The rest of this interval's drops are told when it ends, even if no more come (unref'd: it keeps no process alive).
    else this.#timer ??= setTimeout(() => this.#warn(), wait).unref();
  }

  /** Tells of what is still untold now (the sink is closing); later drops are reported as before. */
  close(): void {
    this.#warn();
  }

  #warn(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#unwarned === 0) return;
    const count = this.#unwarned;
    this.#unwarned = 0;
    this.#warnedAt = performance.now();
    try {
      process.emitWarning(
        `The Switchyard event sink '${this.#sink}' dropped ${count} event${count === 1 ? '' : 's'} (${this.#total} in all): its queue was full, a batch failed every retry, or it was closed. See its stats().`,
        { code: 'SWITCHYARD_EVENTS_DROPPED' },
      );
    } catch {
      // A warning listener that throws must not break a write.
    }
  }
}
