import { z } from 'zod';
import { invalidOptionsError, mustBe, objectErrors } from '../errors/option-messages.js';

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
 * - `halfOpenMaxProbes: 1`: probes allowed in flight at once while half-open;
 * - `probeTimeoutMs: 10_000`: how long a probe holds its slot; past it, another call may probe.
 */
export interface CircuitBreakerOptions {
  /** 0–1. */
  failureRateThreshold?: number | undefined;
  minimumRequests?: number | undefined;
  windowMs?: number | undefined;
  cooldownMs?: number | undefined;
  halfOpenMaxProbes?: number | undefined;
  /**
   * A probe that has not ended after this long gives its slot up (it may still settle the
   * breaker when it ends), so one hung call cannot keep a recovered deployment shut.
   */
  probeTimeoutMs?: number | undefined;
  /** Called synchronously on every state change, after it took effect; a throw is ignored. */
  onTransition?: ((transition: CircuitBreakerTransition) => void) | undefined;
}

/** A number option that `valid` accepts; otherwise the message names the rule and the value. */
const numberOption = (expected: string, valid: (value: number) => boolean) =>
  z.custom<number>((value) => typeof value === 'number' && valid(value), mustBe(expected)).optional();

const circuitBreakerOptionsShape = {
  failureRateThreshold: numberOption('between 0 and 1', (v) => v >= 0 && v <= 1),
  minimumRequests: numberOption('an integer ≥ 1', (v) => Number.isInteger(v) && v >= 1),
  windowMs: numberOption('a finite number > 0', (v) => v > 0 && Number.isFinite(v)),
  cooldownMs: numberOption('a finite number ≥ 0', (v) => v >= 0 && Number.isFinite(v)),
  halfOpenMaxProbes: numberOption('an integer ≥ 1', (v) => Number.isInteger(v) && v >= 1),
  probeTimeoutMs: numberOption('a finite number > 0', (v) => v > 0 && Number.isFinite(v)),
  onTransition: z.custom<(transition: CircuitBreakerTransition) => void>((value) => typeof value === 'function', mustBe('a function')).optional(),
} satisfies { [K in keyof Required<CircuitBreakerOptions>]: z.ZodType<CircuitBreakerOptions[K]> };

/**
 * The one definition of what a circuit breaker accepts: the breaker checks its options with
 * it, and the gateway config (`routing.breaker`) embeds it, so the two cannot disagree.
 */
export const circuitBreakerOptionsSchema = z.object(circuitBreakerOptionsShape, objectErrors(circuitBreakerOptionsShape)).strict();

const DEFAULTS = { failureRateThreshold: 0.5, minimumRequests: 5, windowMs: 60_000, cooldownMs: 30_000, halfOpenMaxProbes: 1, probeTimeoutMs: 10_000 };

/**
 * One call let through by `tryAcquire()`. End it exactly once with its verdict; only the
 * first of these counts, so a permit can never free a slot twice or settle a later episode.
 */
export interface BreakerPermit {
  /** Let in as a half-open probe: its verdict closes or reopens the breaker. */
  readonly probe: boolean;
  /** The deployment served the call. */
  success(): void;
  /** The deployment failed the call (a failure that indicts it). */
  failure(): void;
  /** The call ended without a verdict on the deployment (aborted, or the caller's own mistake). */
  release(): void;
}

/** The window is a ring of this many buckets, so an outcome ages out within one bucket of `windowMs`. */
const WINDOW_BUCKETS = 10;

interface ProbeSlot {
  readonly deadline: number;
  held: boolean;
}

/**
 * Stops sending requests to a deployment that keeps failing, then lets a few probes through
 * after a cooldown to see whether it recovered. Closed: everything passes and outcomes are
 * counted over a rolling window. Open: nothing passes until `retryAt`. Half-open: up to
 * `halfOpenMaxProbes` probes pass; the first success closes the breaker, a failure reopens it.
 *
 * Time only moves when the breaker is used (no timers): the open→half-open change happens on
 * the first call after the cooldown, and a probe past its deadline frees its slot on the next
 * call. Outcomes come through the permit `tryAcquire()` returned, so deciding to let a call in
 * and marking it as a probe are one step, and a late outcome of a call let in under another
 * state (sent while closed, ending once half-open) changes nothing. Every operation is O(1)
 * (O(`halfOpenMaxProbes`) while half-open).
 */
export class CircuitBreaker {
  readonly #now: () => number;
  readonly #threshold: number;
  readonly #minimumRequests: number;
  readonly #windowMs: number;
  readonly #bucketMs: number;
  readonly #cooldownMs: number;
  readonly #maxProbes: number;
  readonly #probeTimeoutMs: number;
  readonly #onTransition: ((transition: CircuitBreakerTransition) => void) | undefined;
  /** The permit every call gets while closed: one object, no allocation per call. */
  readonly #pass: BreakerPermit;

  #state: CircuitBreakerState = 'closed';
  #retryAt: number | undefined;
  /** Counts half-open spells, so a probe from an earlier one cannot settle a later one. */
  #episode = 0;
  /** Probes of the current half-open spell still holding a slot. */
  #slots: ProbeSlot[] = [];

  // Rolling window: slot `n % WINDOW_BUCKETS` holds bucket number `n` (time / bucketMs);
  // `#head` is the newest bucket number and the totals cover the whole ring.
  readonly #successes = new Float64Array(WINDOW_BUCKETS);
  readonly #failures = new Float64Array(WINDOW_BUCKETS);
  #head: number;
  #totalSuccesses = 0;
  #totalFailures = 0;

  constructor(options: CircuitBreakerOptions = {}, now: () => number) {
    this.#now = now;
    const checked = circuitBreakerOptionsSchema.safeParse(options);
    if (!checked.success) throw invalidOptionsError('circuit breaker', checked.error.issues);
    this.#threshold = options.failureRateThreshold ?? DEFAULTS.failureRateThreshold;
    this.#minimumRequests = options.minimumRequests ?? DEFAULTS.minimumRequests;
    this.#windowMs = options.windowMs ?? DEFAULTS.windowMs;
    this.#cooldownMs = options.cooldownMs ?? DEFAULTS.cooldownMs;
    this.#maxProbes = options.halfOpenMaxProbes ?? DEFAULTS.halfOpenMaxProbes;
    this.#probeTimeoutMs = options.probeTimeoutMs ?? DEFAULTS.probeTimeoutMs;
    this.#onTransition = options.onTransition;
    this.#bucketMs = this.#windowMs / WINDOW_BUCKETS;
    this.#head = Math.floor(now() / this.#bucketMs);
    this.#pass = Object.freeze({
      probe: false,
      success: () => this.#passOutcome(false),
      failure: () => this.#passOutcome(true),
      release: () => {},
    });
  }

  get state(): CircuitBreakerState {
    return this.#refresh(this.#now());
  }

  /**
   * When the breaker will next let a call through (its clock): the end of the cooldown while
   * open, the first probe deadline while half-open with every slot taken; `undefined` when a
   * call would pass now.
   */
  get retryAt(): number | undefined {
    const now = this.#now();
    switch (this.#refresh(now)) {
      case 'closed':
        return undefined;
      case 'open':
        return this.#retryAt;
      case 'half-open':
        return this.#slots.length < this.#maxProbes ? undefined : Math.min(...this.#slots.map((slot) => slot.deadline));
    }
  }

  /** Lets a call through, with a permit to end it with, or refuses it (`undefined`). */
  tryAcquire(): BreakerPermit | undefined {
    const now = this.#now();
    switch (this.#refresh(now)) {
      case 'closed':
        return this.#pass;
      case 'open':
        return undefined;
      case 'half-open':
        if (this.#slots.length >= this.#maxProbes) return undefined;
        return this.#probe(now);
    }
  }

  #probe(now: number): BreakerPermit {
    const episode = this.#episode;
    const slot: ProbeSlot = { deadline: now + this.#probeTimeoutMs, held: true };
    this.#slots.push(slot);
    let settled = false;
    const settle = (verdict: 'success' | 'failure' | 'none') => {
      if (settled) return;
      settled = true;
      this.#freeSlot(slot);
      // A probe of an earlier spell, or one the breaker has moved on from, decides nothing.
      if (this.#refresh(this.#now()) !== 'half-open' || this.#episode !== episode) return;
      if (verdict === 'success') {
        this.#resetWindow();
        this.#move('closed', 'probe succeeded');
      } else if (verdict === 'failure') this.#open('probe failed');
    };
    return { probe: true, success: () => settle('success'), failure: () => settle('failure'), release: () => settle('none') };
  }

  #passOutcome(failed: boolean): void {
    // Only while closed: a call let in before the breaker opened says nothing about a probe.
    if (this.#refresh(this.#now()) !== 'closed') return;
    this.#count(failed);
    if (!failed) return;
    const total = this.#totalSuccesses + this.#totalFailures;
    // Checked on failures only: a success can never push the rate up.
    if (total >= this.#minimumRequests && this.#totalFailures / total >= this.#threshold) {
      this.#open(`${this.#totalFailures} of ${total} requests failed in the last ${this.#windowMs} ms`);
    }
  }

  #freeSlot(slot: ProbeSlot): void {
    if (!slot.held) return;
    slot.held = false;
    const index = this.#slots.indexOf(slot);
    if (index !== -1) this.#slots.splice(index, 1);
  }

  #refresh(now: number): CircuitBreakerState {
    if (this.#state === 'open') {
      if (now >= (this.#retryAt as number)) {
        this.#episode++;
        this.#move('half-open', 'cooldown elapsed', now);
      }
    } else if (this.#state === 'half-open' && this.#slots.length > 0) {
      // A probe past its deadline keeps its verdict but gives its slot up.
      for (const slot of this.#slots) if (slot.deadline <= now) slot.held = false;
      if (this.#slots.some((slot) => !slot.held)) this.#slots = this.#slots.filter((slot) => slot.held);
    }
    return this.#state;
  }

  #open(reason: string): void {
    const now = this.#now();
    this.#retryAt = now + this.#cooldownMs;
    this.#move('open', reason, now);
  }

  #move(to: CircuitBreakerState, reason: string, at = this.#now()): void {
    const from = this.#state;
    this.#state = to;
    if (to !== 'open') this.#retryAt = undefined;
    if (to !== 'half-open') {
      for (const slot of this.#slots) slot.held = false;
      this.#slots = [];
    }
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
