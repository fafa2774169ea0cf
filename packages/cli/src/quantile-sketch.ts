// A bounded streaming quantile sketch: counts in log-spaced buckets, so any quantile is known within a fixed relative error.

/** The relative error of every quantile the sketch returns (1%): |estimate − exact| ≤ 0.01 × exact. */
export const SKETCH_RELATIVE_ERROR = 0.01;
/** Values below this (in the unit recorded, here ms) count as 0: a latency under a microsecond is 0 for a report. */
export const SKETCH_MIN_VALUE = 1e-3;

const GAMMA = (1 + SKETCH_RELATIVE_ERROR) / (1 - SKETCH_RELATIVE_ERROR);
const LOG_GAMMA = Math.log(GAMMA);

/**
 * Bucket `i` holds the values in (γ^(i−1), γ^i] with γ = (1+α)/(1−α); its representative value
 * 2γ^i/(γ+1) is within α of every value in it. Memory is one counter per bucket used: from 1 µs
 * to 10⁷ ms (almost 3 hours) that is at most about 1 150 buckets, whatever the number of values.
 */
export class QuantileSketch {
  readonly #buckets = new Map<number, number>();
  #zeros = 0;
  #count = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = Number.NEGATIVE_INFINITY;

  get count(): number {
    return this.#count;
  }

  /** The number of buckets in use: what the sketch's memory grows with. */
  get bucketCount(): number {
    return this.#buckets.size + (this.#zeros > 0 ? 1 : 0);
  }

  get min(): number | undefined {
    return this.#count === 0 ? undefined : this.#min;
  }

  get max(): number | undefined {
    return this.#count === 0 ? undefined : this.#max;
  }

  /** Records one value; negative, NaN and infinite values are ignored (a clock step cannot make a latency). */
  add(value: number): void {
    if (!Number.isFinite(value) || value < 0) return;
    this.#count += 1;
    if (value < this.#min) this.#min = value;
    if (value > this.#max) this.#max = value;
    if (value < SKETCH_MIN_VALUE) {
      this.#zeros += 1;
      return;
    }
    const index = bucketIndex(value);
    this.#buckets.set(index, (this.#buckets.get(index) ?? 0) + 1);
  }

  /**
   * The value at quantile `q` (0..1): the one of rank ⌊q·(n−1)⌋ (0-based) among the values sorted,
   * within the relative error; `undefined` when the sketch is empty.
   */
  quantile(q: number): number | undefined {
    if (this.#count === 0) return undefined;
    const rank = Math.floor(Math.min(Math.max(q, 0), 1) * (this.#count - 1));
    if (rank < this.#zeros) return 0;
    let seen = this.#zeros;
    for (const index of this.#sortedIndexes()) {
      seen += this.#buckets.get(index) ?? 0;
      if (seen > rank) return clamp(bucketValue(index), this.#min, this.#max);
    }
    return this.#max;
  }

  /** The buckets in order, as `[lower, upper]` bounds with their count (the zero bucket first, as `[0, 0]`). */
  buckets(): Array<{ lower: number; upper: number; count: number }> {
    const list: Array<{ lower: number; upper: number; count: number }> = this.#zeros > 0 ? [{ lower: 0, upper: 0, count: this.#zeros }] : [];
    for (const index of this.#sortedIndexes()) list.push({ lower: GAMMA ** (index - 1), upper: GAMMA ** index, count: this.#buckets.get(index) ?? 0 });
    return list;
  }

  /** Adds another sketch's values to this one (merging is exact: the same buckets). */
  merge(other: QuantileSketch): void {
    for (const { index, count } of other.#entries()) this.#buckets.set(index, (this.#buckets.get(index) ?? 0) + count);
    this.#zeros += other.#zeros;
    this.#count += other.#count;
    if (other.#count > 0) {
      this.#min = Math.min(this.#min, other.#min);
      this.#max = Math.max(this.#max, other.#max);
    }
  }

  *#entries(): Generator<{ index: number; count: number }> {
    for (const [index, count] of this.#buckets) yield { index, count };
  }

  #sortedIndexes(): number[] {
    return [...this.#buckets.keys()].sort((a, b) => a - b);
  }
}

function bucketIndex(value: number): number {
  return Math.ceil(Math.log(value) / LOG_GAMMA);
}

function bucketValue(index: number): number {
  return (2 * GAMMA ** index) / (GAMMA + 1);
}

/** The representative value can lie just outside the values seen; the true quantile cannot. Clamping only brings it closer. */
function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
