// A sink for the app's own destination (HTTP, a queue): events queue at once, go out in batches, are retried, and are counted when lost; a call never waits for it.
import pRetry from 'p-retry';
import type { GatewayEvent, GatewayEventType } from '../events/events.js';
import type { EventSink, SinkStats } from './event-sink.js';
import { toEventRecord, type EventRecord } from './event-record.js';
import { DropReporter } from './drop-reporter.js';

const DEFAULTS = { maxBatchSize: 100, flushIntervalMs: 1_000, maxQueue: 10_000, sendTimeoutMs: 10_000, concurrency: 1, closeTimeoutMs: 10_000 };
const RETRY_DEFAULTS = { retries: 3, minDelayMs: 200, maxDelayMs: 5_000 };
/** Node's timers hold at most 2^31 - 1 ms; a longer one fires at once. */
const MAX_TIMER_MS = 2_147_483_647;
/** Releasing what the sink holds (a file) is given at least this long, even when delivering used up close()'s bound. */
const RELEASE_MIN_MS = 1_000;

export interface BatchRetryOptions {
  /** Tries after the first (default 3). */
  retries?: number | undefined;
  /** The first wait, doubled each retry, with jitter (×1 to ×2) (default 200 ms). */
  minDelayMs?: number | undefined;
  /** The longest wait (default 5 000 ms). */
  maxDelayMs?: number | undefined;
}

export interface BatchingSinkOptions {
  /**
   * Delivers one batch, in the order the events were written; reject (or exceed `sendTimeoutMs`)
   * to have it retried. `signal` aborts at `sendTimeoutMs` and when `close()` runs out of time.
   */
  send: (batch: readonly EventRecord[], context: { signal: AbortSignal }) => Promise<void>;
  /** For warnings and `close()`'s report (default `'batch'`). */
  name?: string | undefined;
  /** The event types to take (default: every type); others are ignored, and the gateway does not build them for this sink. */
  types?: readonly GatewayEventType[] | undefined;
  /** Events per batch at most (default 100); a full batch goes out at once. */
  maxBatchSize?: number | undefined;
  /** How long an event waits for a batch to fill before it goes out anyway (default 1 000 ms). */
  flushIntervalMs?: number | undefined;
  /** Events held at most, queued and being sent (default 10 000); an event that finds it full is dropped and counted. */
  maxQueue?: number | undefined;
  /** Retries of a failed batch (p-retry), or `false` for none; a batch still failing after them is dropped and counted. */
  retry?: BatchRetryOptions | false | undefined;
  /** The longest one try of `send` may take: then its signal aborts and the try counts as failed (default 10 000 ms). */
  sendTimeoutMs?: number | undefined;
  /** Batches out at once (default 1, which keeps delivery in order). */
  concurrency?: number | undefined;
  /**
   * Told of each loss with its count (1 for an event refused, a batch's size for a batch given
   * up) and the stats after it. Default: a process warning `SWITCHYARD_EVENTS_DROPPED`, at most
   * one per 10 s with the count since the last. It must not throw (a throw is ignored).
   */
  onDrop?: ((dropped: number, stats: SinkStats) => void) | undefined;
}

/** One batch out: where it starts in the sequence of accepted events, so that `flush()` knows when its events are settled. */
interface Batch {
  readonly first: number;
  readonly records: readonly EventRecord[];
}

/**
 * The batching sink's machinery, with a hook for what a sink built on it must release at close
 * (a file handle). Every accepted event gets a sequence number: the queue holds a contiguous run
 * of them, each batch out another; `flush()` waits until every number before its mark is settled
 * (delivered, or dropped and counted).
 */
export class BatchingSink implements EventSink {
  readonly name: string;
  readonly types: readonly GatewayEventType[] | undefined;
  readonly #wanted: ReadonlySet<GatewayEventType> | undefined;
  readonly #send: BatchingSinkOptions['send'];
  readonly #maxBatch: number;
  readonly #interval: number;
  readonly #maxQueue: number;
  readonly #retry: Required<BatchRetryOptions> | false;
  readonly #sendTimeout: number;
  readonly #concurrency: number;
  readonly #drops: DropReporter;
  readonly #release: (() => Promise<void>) | undefined;
  #queue: EventRecord[] = [];
  /** The sequence number of `#queue[0]`; `#head + #queue.length` is the next one. */
  #head = 0;
  /** Events before this number go out now even in a partial batch (the interval passed, a flush or close asked). */
  #due = 0;
  readonly #out = new Set<Batch>();
  #sendingEvents = 0;
  #accepted = 0;
  #delivered = 0;
  #dropped = 0;
  #failures = 0;
  #timer: NodeJS.Timeout | undefined;
  #waiters: Array<{ readonly mark: number; readonly resolve: () => void }> = [];
  #closed: Promise<SinkStats> | undefined;
  /** Aborts the batches out and their retry waits when `close()` runs out of time. */
  readonly #giveUp = new AbortController();

  constructor(options: BatchingSinkOptions, release?: () => Promise<void>) {
    if (typeof options.send !== 'function') throw new TypeError('createBatchingSink: send must be a function that delivers a batch.');
    this.name = options.name ?? 'batch';
    this.types = options.types;
    this.#wanted = options.types ? new Set(options.types) : undefined;
    this.#send = options.send;
    this.#maxBatch = positiveInteger(options.maxBatchSize, DEFAULTS.maxBatchSize, 'maxBatchSize');
    this.#interval = milliseconds(options.flushIntervalMs, DEFAULTS.flushIntervalMs, 'flushIntervalMs');
    this.#maxQueue = positiveInteger(options.maxQueue, DEFAULTS.maxQueue, 'maxQueue');
    this.#sendTimeout = milliseconds(options.sendTimeoutMs, DEFAULTS.sendTimeoutMs, 'sendTimeoutMs', 1);
    this.#concurrency = positiveInteger(options.concurrency, DEFAULTS.concurrency, 'concurrency');
    this.#retry = options.retry === false ? false : retryOptions(options.retry);
    this.#drops = new DropReporter(this.name, options.onDrop);
    this.#release = release;
  }

  /** Synchronous and constant-time (a copy of the event, whose size is bounded), never throws: queues the event, or counts it as dropped when the sink is full or closed. */
  write(event: GatewayEvent): void {
    if (this.#wanted && !this.#wanted.has(event.type)) return;
    if (this.#closed || this.#queue.length + this.#sendingEvents >= this.#maxQueue) {
      this.#drop(1);
      return;
    }
    let record: EventRecord;
    try {
      record = toEventRecord(event);
    } catch {
      // Not an event the gateway emits (a cycle, a getter that throws): it cannot be written.
      this.#drop(1);
      return;
    }
    this.#queue.push(record);
    this.#accepted++;
    if (this.#queue.length >= this.#maxBatch) this.#pump();
    else this.#timer ??= unref(setTimeout(this.#intervalPassed, this.#interval));
  }

  stats(): SinkStats {
    return { accepted: this.#accepted, delivered: this.#delivered, dropped: this.#dropped, queued: this.#queue.length + this.#sendingEvents, failures: this.#failures };
  }

  /** Sends everything queued now, partial batch included; resolves when those events are delivered, or dropped and counted. */
  flush(): Promise<void> {
    const mark = this.#head + this.#queue.length;
    this.#due = Math.max(this.#due, mark);
    this.#pump();
    if (this.#settledBefore() >= mark) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ mark, resolve }));
  }

  close(options: { timeoutMs?: number | undefined } = {}): Promise<SinkStats> {
    const timeoutMs = options.timeoutMs;
    // close() must not throw: a bound that is not a usable number of ms is the default one.
    const bound = typeof timeoutMs === 'number' && timeoutMs >= 0 ? Math.min(timeoutMs, MAX_TIMER_MS) : DEFAULTS.closeTimeoutMs;
    return (this.#closed ??= this.#close(bound));
  }

  async #close(timeoutMs: number): Promise<SinkStats> {
    const end = performance.now() + timeoutMs;
    const outcome = await within(this.flush(), timeoutMs);
    if (outcome === 'timeout') {
      // What is left is lost: the queue is counted now, the batches out are aborted and counted as they give up.
      this.#giveUp.abort(new Error(`The event sink '${this.name}' was closed before it could deliver everything.`));
      const left = this.#queue.length;
      this.#queue = [];
      this.#head += left;
      this.#drop(left);
      this.#wake();
      await this.flush();
    }
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      // Releasing (closing a file) gets what is left of the bound, at least a moment: a close() that hangs there would break its promise.
      if (this.#release) await within(this.#release(), Math.max(end - performance.now(), RELEASE_MIN_MS));
    } finally {
      this.#drops.close();
    }
    return this.stats();
  }

  readonly #intervalPassed = (): void => {
    this.#timer = undefined;
    this.#due = this.#head + this.#queue.length;
    this.#pump();
  };

  /** Starts batches while there is room: full ones always, partial ones for events that are due. */
  #pump(): void {
    while (this.#out.size < this.#concurrency && this.#queue.length > 0 && !this.#giveUp.signal.aborted) {
      if (this.#queue.length < this.#maxBatch && this.#head >= this.#due) break;
      const batch: Batch = { first: this.#head, records: this.#queue.splice(0, this.#maxBatch) };
      this.#head += batch.records.length;
      this.#out.add(batch);
      this.#sendingEvents += batch.records.length;
      void this.#deliver(batch);
    }
    // Events left waiting for a batch to fill still go out after the interval.
    if (this.#head + this.#queue.length > this.#due) this.#timer ??= unref(setTimeout(this.#intervalPassed, this.#interval));
  }

  async #deliver(batch: Batch): Promise<void> {
    const count = batch.records.length;
    let delivered = false;
    try {
      await this.#sendWithRetries(batch.records);
      delivered = true;
    } catch {
      // Every retry failed, or close() gave up on it: counted below as dropped.
    }
    // Settled before it is counted, so that the stats handed to onDrop no longer count it as queued.
    this.#out.delete(batch);
    this.#sendingEvents -= count;
    if (delivered) this.#delivered += count;
    else this.#drop(count);
    this.#wake();
    this.#pump();
  }

  #sendWithRetries(records: readonly EventRecord[]): Promise<void> {
    const once = () => this.#sendOnce(records);
    if (this.#retry === false) return once();
    return pRetry(once, {
      retries: this.#retry.retries,
      minTimeout: this.#retry.minDelayMs,
      maxTimeout: this.#retry.maxDelayMs,
      factor: 2,
      randomize: true,
      signal: this.#giveUp.signal,
      unref: true,
    });
  }

  /** One try within its time bound: a send that ignores its signal still counts as failed at the bound. */
  async #sendOnce(records: readonly EventRecord[]): Promise<void> {
    const controller = new AbortController();
    const onGiveUp = () => controller.abort(this.#giveUp.signal.reason);
    this.#giveUp.signal.addEventListener('abort', onGiveUp, { once: true });
    const timer = unref(setTimeout(() => controller.abort(new Error(`The event sink '${this.name}' took more than ${this.#sendTimeout} ms to send a batch.`)), this.#sendTimeout));
    const aborted = new Promise<never>((_resolve, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }));
    // The abort may come after the send settled (close() giving up later): no one waits for it then.
    aborted.catch(() => undefined);
    try {
      await Promise.race([this.#send(records, { signal: controller.signal }), aborted]);
    } catch (error) {
      this.#failures++;
      // p-retry gives up at once on a TypeError (a bug, it assumes); a destination's every failure is worth its retries.
      throw error instanceof TypeError ? new Error(error.message, { cause: error }) : error;
    } finally {
      clearTimeout(timer);
      this.#giveUp.signal.removeEventListener('abort', onGiveUp);
    }
  }

  /** The first sequence number not yet settled: every event before it is delivered or dropped. */
  #settledBefore(): number {
    let first = this.#head;
    for (const batch of this.#out) first = Math.min(first, batch.first);
    return first;
  }

  #wake(): void {
    if (this.#waiters.length === 0) return;
    const settled = this.#settledBefore();
    const waiting = this.#waiters;
    this.#waiters = waiting.filter((waiter) => waiter.mark > settled);
    for (const waiter of waiting) if (waiter.mark <= settled) waiter.resolve();
  }

  #drop(count: number): void {
    if (count <= 0) return;
    this.#dropped += count;
    this.#drops.report(count, this.stats());
  }
}

/** A sink for your own destination (docs/events.md#sinks): `send` gets batches of versioned event records. */
export function createBatchingSink(options: BatchingSinkOptions): EventSink {
  return new BatchingSink(options);
}

/**
 * `'timeout'` if `work` has not settled within `ms` (it rejects: the rejection is the caller's).
 * The timer is not unref'd: the app is waiting for close()'s report, and the wait is bounded.
 */
async function within(work: Promise<void>, ms: number): Promise<'done' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  try {
    return await Promise.race([work.then(() => 'done' as const), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Lets the process exit while the timer is pending: a sink never keeps it alive on its own. */
function unref(timer: NodeJS.Timeout): NodeJS.Timeout {
  timer.unref();
  return timer;
}

function positiveInteger(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`createBatchingSink: ${name} must be a positive integer, got ${String(value)}.`);
  return value;
}

function milliseconds(value: number | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min || value > MAX_TIMER_MS) throw new RangeError(`createBatchingSink: ${name} must be a number of ms from ${min} to ${MAX_TIMER_MS}, got ${String(value)}.`);
  return value;
}

function retryOptions(retry: BatchRetryOptions | undefined): Required<BatchRetryOptions> {
  const retries = retry?.retries ?? RETRY_DEFAULTS.retries;
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError(`createBatchingSink: retry.retries must be an integer, 0 or more, got ${String(retries)}.`);
  const minDelayMs = milliseconds(retry?.minDelayMs, RETRY_DEFAULTS.minDelayMs, 'retry.minDelayMs');
  const maxDelayMs = milliseconds(retry?.maxDelayMs, Math.max(RETRY_DEFAULTS.maxDelayMs, minDelayMs), 'retry.maxDelayMs');
  if (maxDelayMs < minDelayMs) throw new RangeError(`createBatchingSink: retry.maxDelayMs (${maxDelayMs}) must not be less than retry.minDelayMs (${minDelayMs}).`);
  return { retries, minDelayMs, maxDelayMs };
}
