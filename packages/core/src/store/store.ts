// The `Store` interface: the shared state that limits, budgets, caches and health will use.

/**
 * What a value entry holds. The store never interprets it: a caller that keeps objects
 * encodes them (the cache: JSON of a completion or of a stream's chunks), so that every
 * implementation stores exactly the same thing and hands it back unchanged. A string
 * comes back as the same string, bytes as a `Uint8Array` with the same bytes (a copy: the
 * store shares no memory with its callers).
 */
export type StoreValue = string | Uint8Array;

/** A counter as it stands. */
export interface CounterState {
  /** The counter's value; counters hold any finite number (doubles) and may go below 0. */
  value: number;
  /** Milliseconds until the counter expires and so reads as absent again; `null`: never. */
  ttlMs: number | null;
}

export interface IncrementOptions {
  /**
   * Lifetime of the counter in milliseconds, set when the increment creates it and not
   * moved by later increments (so a counter is a fixed window that starts at its first
   * increment). Ignored for a counter that already exists. Omit: the counter never expires.
   */
  ttlMs?: number | undefined;
}

export interface SetOptions {
  /** Lifetime of the value in milliseconds, from this write. Omit: it never expires. */
  ttlMs?: number | undefined;
  /** Write only if the key holds no live value (a lease, a single-flight lock). */
  ifAbsent?: boolean | undefined;
}

/**
 * A fixed-window counter that may reach `limit`. Its key names one window: pass a fresh
 * key per window (see `windowKey`), or a `ttlMs` so that the window starts at the first
 * counted call and ends `ttlMs` later.
 */
export interface WindowCheck {
  kind: 'window';
  key: string;
  /** What this call adds. Zero only reads (and creates nothing); a negative cost always passes (a refund). */
  cost: number;
  /** The most the counter may hold: the check passes when `value + cost <= limit`. Finite, ≥ 0. */
  limit: number;
  /** Lifetime of the counter, set when this check creates it (as `IncrementOptions.ttlMs`). */
  ttlMs?: number | undefined;
}

/**
 * A token bucket: `capacity` tokens, refilled continuously at `refillPerSecond`; a bucket
 * never seen (or idle until full) is full. It smooths a rate without a fixed window's burst
 * at each window boundary. The store expires a bucket once it would be full again.
 */
export interface BucketCheck {
  kind: 'bucket';
  key: string;
  /** Tokens this call takes. Zero only reads; a negative cost always passes and puts tokens back, up to `capacity`. */
  cost: number;
  /** The most tokens the bucket holds. Finite, ≥ 0. */
  capacity: number;
  /** Tokens added per second. Finite, > 0 (a quota that never refills is a `window` without `ttlMs`). */
  refillPerSecond: number;
}

/**
 * One limit of a decision. The `kind` tag keeps the shapes plain data, so that an
 * implementation can hand the whole list to one server-side script (one Lua script on Redis).
 * Room is left for more kinds (a sliding-window counter is the planned next one).
 */
export type StoreCheck = WindowCheck | BucketCheck;

export interface DecideOptions {
  /**
   * Apply every cost whatever the limits: to settle usage that already happened (the
   * difference between a reservation and the real usage). Counters may pass their limit and
   * buckets go below zero (a debt that later refills pay off); each result still says
   * whether its limit held.
   */
  force?: boolean | undefined;
}

/** How one check of a decision stands. */
export interface CheckResult {
  key: string;
  /** Whether this check's cost fits its limit. */
  allowed: boolean;
  /**
   * The counter's value, or the bucket's tokens, after the decision: with the cost when the
   * decision applied it, unchanged when it did not.
   */
  value: number;
  /** How much more fits right now: `limit - value` or the tokens, never below 0. */
  remaining: number;
  /**
   * Window: milliseconds until the counter expires and the window starts over (`null`: it
   * never expires, or does not exist). Bucket: milliseconds until it is full again.
   */
  resetMs: number | null;
  /**
   * Milliseconds until this check would allow the same cost: 0 when it allows it now, `null`
   * when waiting never helps (the cost exceeds the limit or capacity, or the window never
   * expires).
   */
  retryAfterMs: number | null;
}

/** The outcome of `decide`: all of the costs applied, or (unless `force`) none. */
export interface Decision {
  /** Whether every check allowed its cost. Without `force`, also whether the costs were applied. */
  allowed: boolean;
  /** One result per check, in the order of the checks. */
  results: CheckResult[];
  /**
   * Milliseconds until the refused checks would all allow their costs (the largest of their
   * `retryAfterMs`); 0 when allowed; `null` when waiting never helps.
   */
  retryAfterMs: number | null;
}

/**
 * Shared state for limits, budgets, caches and health. Every method is async so that an
 * implementation may live in another process (Redis); each call is atomic on its own.
 *
 * Keys are non-empty strings. Counters (and buckets) and values are separate: a counter
 * and a value may share a key without touching each other, while `delete` and
 * `deletePrefix` remove both. Using one key as a counter and as a bucket is an error.
 *
 * Time is the store's: an implementation takes its clock when it is created, so that every
 * expiry is judged by one clock (tests inject a fake one).
 *
 * A bad argument (an empty key, a non-finite number, a TTL ≤ 0, ...) rejects with a
 * `StoreArgumentError` and changes nothing.
 */
export interface Store {
  /**
   * Adds `by` (any finite number; negative to give back, as a settlement does) to the
   * counter at `key`, creating it at `by` when absent, and resolves to its new state. A zero
   * `by` on an absent counter creates nothing and resolves to `{ value: 0, ttlMs: null }`.
   */
  increment(key: string, by: number, options?: IncrementOptions): Promise<CounterState>;

  /** The counter at `key`, or `undefined` when it does not exist (or expired). */
  readCounter(key: string): Promise<CounterState | undefined>;

  /**
   * Checks every limit and, when each allows its cost, applies all costs; when any refuses,
   * applies none (all or nothing, atomically: no other call sees or interleaves with a
   * partial decision). Every matching limit of a call goes into one decision, so a call
   * counts against all of them or none. A key may appear only once.
   */
  decide(checks: readonly StoreCheck[], options?: DecideOptions): Promise<Decision>;

  /** The value at `key`, or `undefined` when absent or expired. */
  get(key: string): Promise<StoreValue | undefined>;

  /**
   * Stores `value` at `key`, replacing any value and its TTL. Resolves to whether it was
   * stored: `false` when `ifAbsent` found a live value, or when the implementation's bound
   * refuses the value (the in-memory store: a single value larger than `maxValueBytes`,
   * which also removes the old value).
   */
  set(key: string, value: StoreValue, options?: SetOptions): Promise<boolean>;

  /** Removes the value and the counter (or bucket) at `key`; resolves to whether there was one. */
  delete(key: string): Promise<boolean>;

  /**
   * Removes every value, counter and bucket whose key starts with `prefix` (non-empty),
   * and resolves to how many entries it removed (a value and a counter under one key count
   * as two). Not a snapshot on every implementation: an entry written while it runs may
   * survive.
   */
  deletePrefix(prefix: string): Promise<number>;
}
