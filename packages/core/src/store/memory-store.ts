// The in-memory Store: the default for one process, bounded, lazily expired, timer-free.
import { LRUCache } from 'lru-cache';
import type {
  BucketCheck,
  CheckResult,
  CounterState,
  DecideOptions,
  Decision,
  IncrementOptions,
  SetOptions,
  Store,
  StoreCheck,
  StoreValue,
  WindowCheck,
} from './store.js';
import { StoreArgumentError } from './store-argument-error.js';
import {
  checkChecks,
  checkDecideOptions,
  checkFinite,
  checkIncrementOptions,
  checkKey,
  checkPrefix,
  checkSetOptions,
  checkValue,
  describeArgument,
} from './validate-store-args.js';

export interface MemoryStoreOptions {
  /** The clock every expiry is judged by, in milliseconds (default `Date.now`); tests pass a fake one. */
  now?: (() => number) | undefined;
  /**
   * The most counters and buckets kept (default 100,000). Past it the least recently used
   * is forgotten, and a forgotten counter starts again from zero: a limit may then let
   * more through than it should. Size it above the number of live limit keys.
   */
  maxCounters?: number | undefined;
  /**
   * The most value bytes kept, keys and a fixed overhead per entry included (default
   * 64 MiB; strings count two bytes a character). Past it the least recently used values
   * are dropped, as a cache expects; a single value larger than the bound is not stored.
   */
  maxValueBytes?: number | undefined;
}

const DEFAULT_MAX_COUNTERS = 100_000;
const DEFAULT_MAX_VALUE_BYTES = 64 * 1024 * 1024;
/** What a value entry costs beyond its key and bytes (the entry object, the LRU's slots), roughly. */
const VALUE_OVERHEAD_BYTES = 64;
/** How many least recently used entries each write looks at to drop expired ones. */
const SWEEP_ENTRIES = 4;
/** Refill dust: 0.1 + 0.2 tokens must pay for 0.3 (as `TokenBucket` does). */
const TOKEN_TOLERANCE = 1e-9;

interface CounterEntry {
  kind: 'counter';
  value: number;
  /** Absolute time it expires at; `undefined`: never. */
  expiresAt: number | undefined;
}

interface BucketEntry {
  kind: 'bucket';
  tokens: number;
  updatedAt: number;
  /** When it will be full again, and so no different from a bucket never seen. */
  expiresAt: number;
}

type CountingEntry = CounterEntry | BucketEntry;

interface ValueEntry {
  /** A string, or bytes this store alone holds (copied in and out). */
  value: StoreValue;
  expiresAt: number | undefined;
}

interface Expiring {
  expiresAt: number | undefined;
}

const isLive = (entry: Expiring | undefined, now: number): entry is Expiring =>
  entry !== undefined && (entry.expiresAt === undefined || now < entry.expiresAt);

const ttlOf = (expiresAt: number | undefined, now: number): number | null => (expiresAt === undefined ? null : expiresAt - now);

const valueBytes = (key: string, value: StoreValue): number =>
  VALUE_OVERHEAD_BYTES + key.length * 2 + (typeof value === 'string' ? value.length * 2 : value.byteLength);

function checkBound(value: unknown, argument: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new StoreArgumentError(argument, `must be a whole number ≥ 1, got ${describeArgument(value)}.`);
  }
  return value;
}

class MemoryStore implements Store {
  readonly #now: () => number;
  readonly #maxValueBytes: number;
  // Counters and values are apart so that a cache filling up never evicts a limit's counter.
  // Both are bounded by `maxSize` rather than `max`, because `max` preallocates arrays of that
  // length up front, and a store nobody writes to must cost nothing.
  readonly #counters: LRUCache<string, CountingEntry>;
  readonly #values: LRUCache<string, ValueEntry>;

  constructor(options: MemoryStoreOptions) {
    const now = options.now ?? Date.now;
    if (typeof now !== 'function') throw new StoreArgumentError('now', `must be a function returning milliseconds, got ${describeArgument(now)}.`);
    this.#now = now;
    const maxCounters = checkBound(options.maxCounters, 'maxCounters', DEFAULT_MAX_COUNTERS);
    this.#maxValueBytes = checkBound(options.maxValueBytes, 'maxValueBytes', DEFAULT_MAX_VALUE_BYTES);
    this.#counters = new LRUCache<string, CountingEntry>({ maxSize: maxCounters, sizeCalculation: () => 1 });
    this.#values = new LRUCache<string, ValueEntry>({ maxSize: this.#maxValueBytes, sizeCalculation: (entry, key) => valueBytes(key, entry.value) });
  }

  async increment(key: string, by: number, options?: IncrementOptions): Promise<CounterState> {
    checkKey(key);
    checkFinite(by, 'by');
    const ttlMs = checkIncrementOptions(options);
    const now = this.#now();
    const entry = this.#counting(key, 'counter', now, 'key');
    if (entry === undefined) {
      // Adding nothing must not start a window that a later real increment would inherit.
      if (by === 0) return { value: 0, ttlMs: null };
      const created: CounterEntry = { kind: 'counter', value: by, expiresAt: ttlMs === undefined ? undefined : now + ttlMs };
      this.#write(this.#counters, key, created, now);
      return { value: by, ttlMs: ttlOf(created.expiresAt, now) };
    }
    entry.value = sum(entry.value, by, 'by');
    return { value: entry.value, ttlMs: ttlOf(entry.expiresAt, now) };
  }

  async readCounter(key: string): Promise<CounterState | undefined> {
    checkKey(key);
    const now = this.#now();
    const entry = this.#counting(key, 'counter', now, 'key');
    return entry === undefined ? undefined : { value: entry.value, ttlMs: ttlOf(entry.expiresAt, now) };
  }

  async decide(checks: readonly StoreCheck[], options?: DecideOptions): Promise<Decision> {
    checkChecks(checks);
    const { force } = checkDecideOptions(options);
    const now = this.#now();
    // Everything is read and judged before anything is written, with no await in between:
    // the event loop cannot run another call inside, so the decision is atomic.
    const readings = checks.map((check, index) => this.#read(check, index, now));
    const allowed = readings.every((reading) => reading.fits);
    const apply = allowed || force;
    const plans = readings.map((reading) => (reading.kind === 'window' ? planWindow(reading, apply, now) : planBucket(reading, apply, now)));
    if (apply) {
      for (let i = 0; i < plans.length; i++) {
        const write = (plans[i] as Plan).write;
        if (write === undefined) continue;
        if (write.entry === undefined) this.#counters.delete(write.key);
        // Set again even when it exists: another write of this decision may have evicted it. Only
        // a new key sweeps for expired entries first (an update takes no new place).
        else if ((readings[i] as Reading).entry !== undefined) this.#counters.set(write.key, write.entry);
        else this.#write(this.#counters, write.key, write.entry, now);
      }
    }
    const results = plans.map((plan) => plan.result);
    return { allowed, results, retryAfterMs: allowed ? 0 : retryAfter(results) };
  }

  async get(key: string): Promise<StoreValue | undefined> {
    checkKey(key);
    const now = this.#now();
    const entry = this.#values.get(key);
    if (entry === undefined) return undefined;
    if (!isLive(entry, now)) {
      this.#values.delete(key);
      return undefined;
    }
    return copyOut(entry.value);
  }

  async set(key: string, value: StoreValue, options?: SetOptions): Promise<boolean> {
    checkKey(key);
    checkValue(value);
    const { ttlMs, ifAbsent } = checkSetOptions(options);
    const now = this.#now();
    if (ifAbsent && isLive(this.#values.get(key), now)) return false;
    const stored = typeof value === 'string' ? value : new Uint8Array(value);
    if (valueBytes(key, stored) > this.#maxValueBytes) {
      // The old value goes too: a reader must not be handed what the writer meant to replace.
      this.#values.delete(key);
      return false;
    }
    this.#write(this.#values, key, { value: stored, expiresAt: ttlMs === undefined ? undefined : now + ttlMs }, now);
    return true;
  }

  async delete(key: string): Promise<boolean> {
    checkKey(key);
    const now = this.#now();
    const had = isLive(this.#counters.peek(key), now) || isLive(this.#values.peek(key), now);
    this.#counters.delete(key);
    this.#values.delete(key);
    return had;
  }

  async deletePrefix(prefix: string): Promise<number> {
    checkPrefix(prefix);
    const now = this.#now();
    return removePrefix(this.#counters, prefix, now) + removePrefix(this.#values, prefix, now);
  }

  /** The live counter or bucket at `key`, refusing one of the other kind; an expired one is dropped. */
  #counting<K extends CountingEntry['kind']>(key: string, kind: K, now: number, argument: string | (() => string)): Extract<CountingEntry, { kind: K }> | undefined {
    const entry = this.#counters.get(key);
    if (entry === undefined) return undefined;
    if (!isLive(entry, now)) {
      this.#counters.delete(key);
      return undefined;
    }
    if (entry.kind !== kind) {
      const holds = entry.kind === 'counter' ? 'a counter' : 'a token bucket';
      throw new StoreArgumentError(typeof argument === 'string' ? argument : argument(), `${describeArgument(key)} holds ${holds}; a key is either a counter or a bucket.`);
    }
    return entry as Extract<CountingEntry, { kind: K }>;
  }

  /** What a check finds: its entry, the value or tokens now, and whether its cost fits. */
  #read(check: StoreCheck, index: number, now: number): Reading {
    // The argument's name is made only for an error: every governed call's decision passes here.
    const argument = () => `checks[${index}].key`;
    if (check.kind === 'window') {
      const entry = this.#counting(check.key, 'counter', now, argument);
      const before = entry?.value ?? 0;
      if (!Number.isFinite(before + check.cost)) sum(before, check.cost, `checks[${index}].cost`);
      return { kind: 'window', check, entry, before, fits: check.cost <= 0 || before + check.cost <= check.limit };
    }
    const entry = this.#counting(check.key, 'bucket', now, argument);
    const before = tokensNow(check, entry, now);
    return { kind: 'bucket', check, entry, before, fits: check.cost <= 0 || before + TOKEN_TOLERANCE >= check.cost };
  }

  /**
   * Drops the few least recently used entries that expired, then writes: first, so that a
   * write into a full store takes the place of a dead entry rather than evict a live one.
   */
  #write<V extends Expiring & object>(cache: LRUCache<string, V>, key: string, entry: V, now: number): void {
    const expired: string[] = [];
    let seen = 0;
    for (const candidate of cache.rkeys()) {
      if (seen++ >= SWEEP_ENTRIES) break;
      if (!isLive(cache.peek(candidate), now)) expired.push(candidate);
    }
    for (const candidate of expired) cache.delete(candidate);
    cache.set(key, entry);
  }
}

type Reading =
  | { kind: 'window'; check: WindowCheck; entry: CounterEntry | undefined; before: number; fits: boolean }
  | { kind: 'bucket'; check: BucketCheck; entry: BucketEntry | undefined; before: number; fits: boolean };

/** What one check reports and, if the decision goes ahead, writes (`entry: undefined`: remove it). */
interface Plan {
  result: CheckResult;
  write: { key: string; entry: CountingEntry | undefined } | undefined;
}

function planWindow(reading: Extract<Reading, { kind: 'window' }>, apply: boolean, now: number): Plan {
  const { check, entry, before, fits } = reading;
  const { key, cost, limit } = check;
  const changes = apply && cost !== 0;
  const value = changes ? before + cost : before;
  const ttlMs = check.ttlMs === undefined ? undefined : Math.ceil(check.ttlMs);
  // An absent counter that this decision creates starts its window now.
  const expiresAt = entry !== undefined ? entry.expiresAt : changes && ttlMs !== undefined ? now + ttlMs : undefined;
  const resetMs = ttlOf(expiresAt, now);
  const result: CheckResult = {
    key,
    allowed: fits,
    value,
    remaining: Math.max(0, limit - value),
    resetMs,
    retryAfterMs: fits ? 0 : cost > limit ? null : resetMs,
  };
  return { result, write: changes ? { key, entry: { kind: 'counter', value, expiresAt } } : undefined };
}

function planBucket(reading: Extract<Reading, { kind: 'bucket' }>, apply: boolean, now: number): Plan {
  const { check, entry, before, fits } = reading;
  const { key, cost, capacity, refillPerSecond } = check;
  // Multiply before dividing: 10 tokens at 5 a second is exactly 2000 ms, where 10 / 0.005 need not be.
  const msFor = (tokens: number): number => Math.ceil((tokens * 1000) / refillPerSecond);
  const changes = apply && cost !== 0;
  let tokens = before;
  if (changes) {
    // A refund fills up to capacity; a take that fits leaves no negative dust; a forced one may leave a debt.
    tokens = cost < 0 ? Math.min(capacity, before - cost) : fits ? Math.max(0, before - cost) : before - cost;
  }
  const untilFull = tokens >= capacity ? 0 : msFor(capacity - tokens);
  const result: CheckResult = {
    key,
    allowed: fits,
    value: tokens,
    remaining: Math.max(0, tokens),
    resetMs: untilFull,
    retryAfterMs: fits ? 0 : cost > capacity ? null : msFor(cost - tokens),
  };
  if (!changes) return { result, write: undefined };
  // A full bucket is no different from one never seen, so it need not be kept.
  if (untilFull === 0) return { result, write: { key, entry: undefined } };
  // A clock that stepped back is not remembered, so the refill is not granted twice.
  const updatedAt = entry === undefined ? now : Math.max(entry.updatedAt, now);
  return { result, write: { key, entry: { kind: 'bucket', tokens, updatedAt, expiresAt: now + untilFull } } };
}

/** A bucket's tokens now: full when never seen, else refilled for the time since its last change. */
function tokensNow(check: BucketCheck, entry: BucketEntry | undefined, now: number): number {
  if (entry === undefined) return check.capacity;
  const elapsed = now - entry.updatedAt;
  const refilled = elapsed > 0 ? entry.tokens + (elapsed * check.refillPerSecond) / 1000 : entry.tokens;
  // `capacity` may have shrunk since (a config reload): the bucket never holds more.
  return Math.min(check.capacity, refilled);
}

/** `a + b`, refusing a sum that leaves the finite numbers (the counter would be stuck at ±Infinity). */
function sum(a: number, b: number, argument: string): number {
  const total = a + b;
  if (!Number.isFinite(total)) throw new StoreArgumentError(argument, `would take the counter past the largest number (${String(a)} + ${String(b)}).`);
  return total;
}

function copyOut(value: StoreValue): StoreValue {
  return typeof value === 'string' ? value : new Uint8Array(value);
}

function retryAfter(results: readonly CheckResult[]): number | null {
  let wait = 0;
  for (const result of results) {
    if (result.allowed) continue;
    if (result.retryAfterMs === null) return null;
    wait = Math.max(wait, result.retryAfterMs);
  }
  return wait;
}

function removePrefix<V extends Expiring & object>(cache: LRUCache<string, V>, prefix: string, now: number): number {
  const doomed: string[] = [];
  for (const key of cache.keys()) if (key.startsWith(prefix)) doomed.push(key);
  let live = 0;
  for (const key of doomed) {
    if (isLive(cache.peek(key), now)) live++;
    cache.delete(key);
  }
  return live;
}

/**
 * The default `Store`: one process's memory. Atomic because each call runs to completion
 * on the event loop; bounded (see `MemoryStoreOptions`); entries expire lazily when read,
 * and each write drops a few expired ones, so it holds no timer and never keeps the
 * process alive.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  return new MemoryStore(options);
}
