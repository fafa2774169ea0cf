// A sink for the app's own destination (HTTP, a queue): events queue at once, go out in batches, are retried, and are counted when lost; a call never waits for it.
import pRetry from 'p-retry';
import type { GatewayEvent, GatewayEventType } from '../events/events.js';
import type { EventSink, SinkStats } from './event-sink.js';
import { toEventRecord, type EventRecord } from './event-record.js';

const DEFAULTS = { maxBatchSize: 100, flushIntervalMs: 1_000, maxQueue: 10_000, sendTimeoutMs: 10_000, closeTimeoutMs: 10_000 };
const RETRY_DEFAULTS = { retries: 3, minDelayMs: 200, maxDelayMs: 5_000 };
/** At most one drop warning this often (with the count since the last); `close()` reports the rest. */
const WARNING_INTERVAL_MS = 10_000;

export interface BatchRetryOptions {
  /** Tries after the first (default 3). */
  retries?: number | undefined;
  /** The first wait, doubled each retry with jitter (default 200 ms). */
  minDelayMs?: number | undefined;
  /** The longest wait (default 5 000 ms). */
  maxDelayMs?: number | undefined;
}

export interface BatchingSinkOptions {
  /** Delivers one batch; reject (or exceed `sendTimeoutMs`) to have it retried. `signal` aborts at the timeout and when `close()` gives up. */
  send: (batch: readonly EventRecord[], context: { signal: AbortSignal }) => Promise<void>;
  /** For warnings and `close()`'s report (default `'batch'`). */
  name?: string | undefined;
  /** The event types to take (default: every type). */
  types?: readonly GatewayEventType[] | undefined;
  /** Events per batch at most (default 100); a full batch goes out at once. */
  maxBatchSize?: number | undefined;
  /** How long a batch that is not full waits for more events (default 1 000 ms). */
  flushIntervalMs?: number | undefined;
  /** Events queued at most (default 10 000); an event that finds the queue full is dropped and counted. */
  maxQueue?: number | undefined;
  /** Retries of a failed batch (p-retry), or `false` for none; a batch still failing after them is dropped and counted. */
  retry?: BatchRetryOptions | false | undefined;
  /** The longest one `send` may take before it is aborted and counts as failed (default 10 000 ms). */
  sendTimeoutMs?: number | undefined;
  /** Told of every loss, with the count and the stats (default: a process warning `SWITCHYARD_EVENTS_DROPPED`, at most one per 10 s). */
  onDrop?: ((dropped: number, stats: SinkStats) => void) | undefined;
}

/** The batching sink's machinery, with a hook for what a sink built on it must release at close (a file handle). */
export class BatchingSink implements EventSink {
  readonly name: string;
  readonly types: readonly GatewayEventType[] | undefined;
  readonly #send: BatchingSinkOptions['send'];
  readonly #maxBatch: number;
  readonly #interval: number;
  readonly #maxQueue: number;
  readonly #retry: Required<BatchRetryOptions> | false;
  readonly #sendTimeout: number;
  readonly #onDrop: BatchingSinkOptions['onDrop'];
  readonly #release: (() => Promise<void>) | undefined;
  #queue: EventRecord[] = [];
  #sending = 0;
  #accepted = 0;
  #delivered = 0;
  #dropped = 0;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #draining: Promise<void> | undefined;
  #closed: Promise<SinkStats> | undefined;
  /** Aborts the batch in flight and any retry wait when `close()` runs out of time. */
  readonly #giveUp = new AbortController();
  #unwarned = 0;
  #warnedAt = Number.NEGATIVE_INFINITY;

  constructor(options: BatchingSinkOptions, release?: () => Promise<void>) {
    this.name = options.name ?? 'batch';
    this.types = options.types;
    this.#send = options.send;
    this.#maxBatch = positive(options.maxBatchSize, DEFAULTS.maxBatchSize, 'maxBatchSize');
    this.#interval = nonNegative(options.flushIntervalMs, DEFAULTS.flushIntervalMs, 'flushIntervalMs');
    this.#maxQueue = positive(options.maxQueue, DEFAULTS.maxQueue, 'maxQueue');
    this.#sendTimeout = positive(options.sendTimeoutMs, DEFAULTS.sendTimeoutMs, 'sendTimeoutMs');
    this.#retry = options.retry === false ? false : { ...RETRY_DEFAULTS, ...definedOnly(options.retry ?? {}) };
    this.#onDrop = options.onDrop;
    this.#release = release;
  }

  write(event: GatewayEvent): void {
    if (this.#closed || this.#queue.length >= this.#maxQueue) {
      this.#drop(1);
      return;
    }
    this.#queue.push(toEventRecord(event));
    this.#accepted++;
    if (this.#queue.length >= this.#maxBatch) this.#kick();
    else this.#timer ??= unref(setTimeout(() => this.#kick(), this.#interval));
  }

  stats(): SinkStats {
    return { accepted: this.#accepted, delivered: this.#delivered, dropped: this.#dropped, queued: this.#queue.length + this.#sending, failures: this.#failures };
  }

  /** Sends everything queued now, batch by batch; resolves when the queue is empty (delivered, or dropped and counted). */
  async flush(): Promise<void> {
    this.#kick();
    while (this.#draining) await this.#draining;
  }

  close(options: { timeoutMs?: number | undefined } = {}): Promise<SinkStats> {
    return (this.#closed ??= this.#close(options.timeoutMs ?? DEFAULTS.closeTimeoutMs));
  }

  async #close(timeoutMs: number): Promise<SinkStats> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([this.flush().then(() => 'flushed' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      // What is left is lost: the batch in flight is aborted (and counted when its send gives up), the queue counted now.
      this.#giveUp.abort(new Error(`The sink '${this.name}' was closed before it could deliver everything.`));
      const left = this.#queue.length;
      this.#queue = [];
      this.#drop(left);
      while (this.#draining) await this.#draining;
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      await this.#release?.();
    } finally {
      this.#warnNow();
    }
    return this.stats();
  }

  /** Starts draining now unless a drain is already running (it takes what is queued as it goes). */
  #kick(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#draining || this.#queue.length === 0) return;
    this.#draining = this.#drain().finally(() => {
      this.#draining = undefined;
      // Events that came while the last batch was out and did not fill one wait for the interval.
      if (this.#queue.length > 0 && !this.#giveUp.signal.aborted) this.#timer ??= unref(setTimeout(() => this.#kick(), this.#interval));
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0 && !this.#giveUp.signal.aborted) {
      // Only full batches go out back to back; a partial one waits for the interval unless flushed or closing.
      const batch = this.#queue.splice(0, this.#maxBatch);
      this.#sending = batch.length;
      try {
        await this.#sendWithRetries(batch);
        this.#delivered += batch.length;
      } catch {
        this.#drop(batch.length);
      } finally {
        this.#sending = 0;
      }
    }
  }

  #sendWithRetries(batch: readonly EventRecord[]): Promise<void> {
    const once = () => this.#sendOnce(batch);
    if (this.#retry === false) return once();
    return pRetry(once, {
      retries: this.#retry.retries,
      minTimeout: this.#retry.minDelayMs,
      maxTimeout: this.#retry.maxDelayMs,
      factor: 2,
      randomize: true,
      signal: this.#giveUp.signal,
    });
  }

  /** One send within its time bound: a send that ignores its signal still counts as failed at the bound. */
  async #sendOnce(batch: readonly EventRecord[]): Promise<void> {
    const controller = new AbortController();
    const onGiveUp = () => controller.abort(this.#giveUp.signal.reason);
    this.#giveUp.signal.addEventListener('abort', onGiveUp, { once: true });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`The sink '${this.name}' took more than ${this.#sendTimeout} ms to send a batch.`);
        controller.abort(error);
        reject(error);
      }, this.#sendTimeout);
      controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true });
    });
    // The bound may reject after the race is settled (a late abort): that is no one's to handle.
    bound.catch(() => undefined);
    try {
      await Promise.race([this.#send(batch, { signal: controller.signal }), bound]);
    } catch (error) {
      this.#failures++;
      throw error;
    } finally {
      clearTimeout(timer);
      this.#giveUp.signal.removeEventListener('abort', onGiveUp);
    }
  }

  #drop(count: number): void {
    if (count <= 0) return;
    this.#dropped += count;
    if (this.#onDrop) {
      try {
        this.#onDrop(count, this.stats());
      } catch {
        // The app's own drop handler failed: the count stays in the stats.
      }
      return;
    }
    this.#unwarned += count;
    if (performance.now() - this.#warnedAt >= WARNING_INTERVAL_MS) this.#warnNow();
  }

  #warnNow(): void {
    if (this.#unwarned === 0) return;
    const count = this.#unwarned;
    this.#unwarned = 0;
    this.#warnedAt = performance.now();
    process.emitWarning(`The Switchyard event sink '${this.name}' dropped ${count} event${count === 1 ? '' : 's'} (${this.#dropped} in all): its queue was full, a batch failed every retry, or it was closed. See sink.stats().`, {
      code: 'SWITCHYARD_EVENTS_DROPPED',
    });
  }
}

/** A sink for your own destination (docs/events.md#sinks): `send` gets batches of versioned event records. */
export function createBatchingSink(options: BatchingSinkOptions): EventSink {
  return new BatchingSink(options);
}

function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`createBatchingSink: ${name} must be a positive integer, got ${String(value)}.`);
  return value;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`createBatchingSink: ${name} must be a number of ms, 0 or more, got ${String(value)}.`);
  return value;
}

function definedOnly(retry: BatchRetryOptions): Partial<Required<BatchRetryOptions>> {
  return Object.fromEntries(Object.entries(retry).filter(([, value]) => value !== undefined));
}
