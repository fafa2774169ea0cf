import { z } from 'zod';
import { invalidOptionsError, mustBe, objectErrors } from '../errors/option-messages.js';

export interface TokenBucketOptions {
  /** The most tokens the bucket holds; it starts full. 0: never a token (as a retry budget: no retries). */
  capacity: number;
  /** Tokens added per second, continuously (fractions accrue); 0 never refills. */
  refillPerSecond: number;
}

const finiteNonNegative = z.custom<number>((value) => typeof value === 'number' && value >= 0 && Number.isFinite(value), mustBe('a finite number ≥ 0'));

const tokenBucketOptionsShape = {
  capacity: finiteNonNegative,
  refillPerSecond: finiteNonNegative,
} satisfies { [K in keyof TokenBucketOptions]: z.ZodType<TokenBucketOptions[K]> };

/**
 * The one definition of what a token bucket accepts: the bucket checks its options with it,
 * and the gateway config (`routing.retryBudget`) embeds it, so the two cannot disagree.
 */
export const tokenBucketOptionsSchema = z.object(tokenBucketOptionsShape, objectErrors(tokenBucketOptionsShape)).strict();

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
    const checked = tokenBucketOptionsSchema.safeParse(options);
    if (!checked.success) throw invalidOptionsError('token bucket', checked.error.issues);
    const { capacity, refillPerSecond } = options;
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
