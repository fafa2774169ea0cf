export interface TokenBucketOptions {
  /** The most tokens the bucket holds; it starts full. */
  capacity: number;
  /** Tokens added per second, continuously (fractions accrue); 0 never refills. */
  refillPerSecond: number;
}

/**
 * A token bucket refilled lazily from the time elapsed since it was last used, so it needs
 * no timer. The gateway keeps one per deployment as a retry budget: retries spend tokens,
 * so an outage drains the budget instead of multiplying traffic into a retry storm.
 */
export class TokenBucket {
  readonly #now: () => number;
  readonly #capacity: number;
  readonly #perMs: number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: TokenBucketOptions, now: () => number) {
    const { capacity, refillPerSecond } = options;
    if (typeof capacity !== 'number' || !(capacity >= 0) || !Number.isFinite(capacity)) {
      throw new RangeError(`Switchyard: token bucket \`capacity\` must be a finite number ≥ 0, got ${String(capacity)}.`);
    }
    if (typeof refillPerSecond !== 'number' || !(refillPerSecond >= 0) || !Number.isFinite(refillPerSecond)) {
      throw new RangeError(`Switchyard: token bucket \`refillPerSecond\` must be a finite number ≥ 0, got ${String(refillPerSecond)}.`);
    }
    this.#now = now;
    this.#capacity = capacity;
    this.#perMs = refillPerSecond / 1000;
    this.#tokens = capacity;
    this.#updatedAt = now();
  }

  /** Tokens available now; may be fractional while refilling. */
  get available(): number {
    this.#refill();
    return this.#tokens;
  }

  /** Takes `count` tokens if that many are available; otherwise takes none. */
  tryTake(count = 1): boolean {
    if (!(count >= 0)) throw new RangeError(`Switchyard: cannot take ${String(count)} tokens.`);
    this.#refill();
    // The tolerance absorbs floating-point dust from fractional refills (0.1 + 0.2 ≠ 0.3).
    if (this.#tokens + 1e-9 < count) return false;
    this.#tokens = Math.max(0, this.#tokens - count);
    return true;
  }

  #refill(): void {
    const now = this.#now();
    const elapsed = now - this.#updatedAt;
    // A clock that stepped back (it should not) adds nothing and is not remembered.
    if (elapsed <= 0) return;
    this.#tokens = Math.min(this.#capacity, this.#tokens + elapsed * this.#perMs);
    this.#updatedAt = now;
  }
}
