export type CircuitBreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerTransition {
  readonly from: CircuitBreakerState;
  readonly to: CircuitBreakerState;
  /** Why, for logs and events, e.g. `3 of 5 requests failed in the last 60000 ms`. */
  readonly reason: string;
  /** When the breaker noticed, on its clock (milliseconds). */
  readonly at: number;
  /**
   * Set when `to` is `'open'`: when a probe will be let through, on the same clock, so a
   * listener need not read the breaker back (`retryAt - at` is the cooldown).
   */
  readonly retryAt?: number | undefined;
}

/**
 * Defaults:
 * - `failureRateThreshold: 0.5`: open when at least half the requests in the window failed;
 * - `minimumRequests: 5`: never open on fewer requests than this in the window;
 * - `windowMs: 60_000`: how far back outcomes count (rolling, in 10 buckets);
 * - `cooldownMs: 30_000`: how long an open breaker rejects before letting a probe through;
 * - `halfOpenMaxProbes: 1`: probes allowed in flight at once while half-open.
 */
export interface CircuitBreakerOptions {
  /** 0–1. */
  failureRateThreshold?: number | undefined;
  minimumRequests?: number | undefined;
  windowMs?: number | undefined;
  cooldownMs?: number | undefined;
  halfOpenMaxProbes?: number | undefined;
  /** Called synchronously on every state change, after it took effect; a throw is ignored. */
  onTransition?: ((transition: CircuitBreakerTransition) => void) | undefined;
}

/** The window is a ring of this many buckets, so an outcome ages out within one bucket of `windowMs`. */
const WINDOW_BUCKETS = 10;

/**
 * Stops sending requests to a deployment that keeps failing, then lets a few probes through
 * after a cooldown to see whether it recovered. Closed: everything passes and outcomes are
 * counted over a rolling window. Open: nothing passes until `retryAt`. Half-open: up to
 * `halfOpenMaxProbes` probes pass; the first success closes the breaker, a failure reopens it.
 *
 * Time only moves when the breaker is used (no timers): the open→half-open change happens on
 * the first call after the cooldown. Outcomes are not tied to permits, so record only calls
 * that `tryAcquire()` let through; a half-open breaker takes any outcome as the probe's.
 * Every operation is O(1).
 */
export class CircuitBreaker {
  readonly #now: () => number;
  readonly #threshold: number;
  readonly #minimumRequests: number;
  readonly #windowMs: number;
  readonly #bucketMs: number;
  readonly #cooldownMs: number;
  readonly #maxProbes: number;
  readonly #onTransition: ((transition: CircuitBreakerTransition) => void) | undefined;

  #state: CircuitBreakerState = 'closed';
  #retryAt: number | undefined;
  #probes = 0;

  // Rolling window: slot `n % WINDOW_BUCKETS` holds bucket number `n` (time / bucketMs);
  // `#head` is the newest bucket number and the totals cover the whole ring.
  readonly #successes = new Float64Array(WINDOW_BUCKETS);
  readonly #failures = new Float64Array(WINDOW_BUCKETS);
  #head: number;
  #totalSuccesses = 0;
  #totalFailures = 0;

  constructor(options: CircuitBreakerOptions = {}, now: () => number) {
    this.#now = now;
    this.#threshold = option(options.failureRateThreshold, 0.5, 'failureRateThreshold', (v) => v >= 0 && v <= 1, 'between 0 and 1');
    this.#minimumRequests = option(options.minimumRequests, 5, 'minimumRequests', (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1');
    this.#windowMs = option(options.windowMs, 60_000, 'windowMs', (v) => v > 0 && Number.isFinite(v), 'a finite number > 0');
    this.#cooldownMs = option(options.cooldownMs, 30_000, 'cooldownMs', (v) => v >= 0 && Number.isFinite(v), 'a finite number ≥ 0');
    this.#maxProbes = option(options.halfOpenMaxProbes, 1, 'halfOpenMaxProbes', (v) => Number.isInteger(v) && v >= 1, 'an integer ≥ 1');
    this.#onTransition = options.onTransition;
    this.#bucketMs = this.#windowMs / WINDOW_BUCKETS;
    this.#head = Math.floor(now() / this.#bucketMs);
  }

  get state(): CircuitBreakerState {
    return this.#refresh();
  }

  /** When an open breaker will let a probe through (its clock); `undefined` unless open. */
  get retryAt(): number | undefined {
    return this.#refresh() === 'open' ? this.#retryAt : undefined;
  }

  /**
   * Whether a request may go to this deployment now. A `true` while half-open takes a probe
   * slot: end it with `recordSuccess()`, `recordFailure()` or `release()`.
   */
  tryAcquire(): boolean {
    switch (this.#refresh()) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half-open':
        if (this.#probes >= this.#maxProbes) return false;
        this.#probes++;
        return true;
    }
  }

  recordSuccess(): void {
    const state = this.#refresh();
    if (state === 'closed') this.#count(false);
    else if (state === 'half-open') {
      this.#resetWindow();
      this.#move('closed', 'probe succeeded');
    }
    // Open: a late outcome of a request sent before the breaker opened changes nothing.
  }

  recordFailure(): void {
    const state = this.#refresh();
    if (state === 'closed') {
      this.#count(true);
      const total = this.#totalSuccesses + this.#totalFailures;
      // Checked on failures only: a success can never push the rate up.
      if (total >= this.#minimumRequests && this.#totalFailures / total >= this.#threshold) {
        this.#open(`${this.#totalFailures} of ${total} requests failed in the last ${this.#windowMs} ms`);
      }
    } else if (state === 'half-open') {
      this.#open('probe failed');
    }
  }

  /** Frees a half-open probe slot for a call that ended without a verdict (e.g. the caller aborted). */
  release(): void {
    if (this.#state === 'half-open' && this.#probes > 0) this.#probes--;
  }

  #refresh(): CircuitBreakerState {
    if (this.#state === 'open') {
      const now = this.#now();
      if (now >= (this.#retryAt as number)) {
        this.#probes = 0;
        this.#move('half-open', 'cooldown elapsed', now);
      }
    }
    return this.#state;
  }

  #open(reason: string): void {
    const now = this.#now();
    this.#retryAt = now + this.#cooldownMs;
    this.#probes = 0;
    this.#move('open', reason, now);
  }

  #move(to: CircuitBreakerState, reason: string, at = this.#now()): void {
    const from = this.#state;
    this.#state = to;
    if (to !== 'open') this.#retryAt = undefined;
    if (!this.#onTransition) return;
    try {
      this.#onTransition(to === 'open' ? { from, to, reason, at, retryAt: this.#retryAt } : { from, to, reason, at });
    } catch {
      // A faulty listener must not leave the breaker half-updated or fail the request.
    }
  }

  #count(failed: boolean): void {
    const slot = this.#advance();
    if (failed) {
      this.#failures[slot] = (this.#failures[slot] ?? 0) + 1;
      this.#totalFailures++;
    } else {
      this.#successes[slot] = (this.#successes[slot] ?? 0) + 1;
      this.#totalSuccesses++;
    }
  }

  /** Clears the buckets that slid out of the window since the last call; returns the current slot. */
  #advance(): number {
    const bucket = Math.floor(this.#now() / this.#bucketMs);
    // A clock that stepped back (it should not) keeps counting into the newest bucket.
    if (bucket > this.#head) {
      if (bucket - this.#head >= WINDOW_BUCKETS) this.#resetWindow();
      else for (let n = this.#head + 1; n <= bucket; n++) this.#clear(slotOf(n));
      this.#head = bucket;
    }
    return slotOf(this.#head);
  }

  #clear(slot: number): void {
    this.#totalSuccesses -= this.#successes[slot] ?? 0;
    this.#totalFailures -= this.#failures[slot] ?? 0;
    this.#successes[slot] = 0;
    this.#failures[slot] = 0;
  }

  #resetWindow(): void {
    this.#successes.fill(0);
    this.#failures.fill(0);
    this.#totalSuccesses = 0;
    this.#totalFailures = 0;
  }
}

function slotOf(bucket: number): number {
  return ((bucket % WINDOW_BUCKETS) + WINDOW_BUCKETS) % WINDOW_BUCKETS;
}

function option(value: number | undefined, fallback: number, name: string, valid: (value: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !valid(value)) throw new RangeError(`Switchyard: circuit breaker \`${name}\` must be ${expected}, got ${String(value)}.`);
  return value;
}
