import { z } from 'zod';
import { invalidOptionsError, mustBe, objectErrors } from '../errors/option-messages.js';

export interface LatencyTrackerOptions {
  /** How long until a sample counts half as much as a new one (default 60_000 ms). */
  halfLifeMs?: number | undefined;
}

const latencyTrackerOptionsShape = {
  halfLifeMs: z.custom<number>((value) => typeof value === 'number' && value > 0 && Number.isFinite(value), mustBe('a finite number > 0')).optional(),
} satisfies { [K in keyof Required<LatencyTrackerOptions>]: z.ZodType<LatencyTrackerOptions[K]> };

/** The one definition of what a latency tracker accepts; the tracker checks its options with it. */
export const latencyTrackerOptionsSchema = z.object(latencyTrackerOptionsShape, objectErrors(latencyTrackerOptionsShape)).strict();

/**
 * A deployment's recent speed, as exponentially time-decayed averages: request latency, time
 * to first token (streams), and milliseconds per output token. Each sample's weight halves
 * every `halfLifeMs`, so once a slow deployment recovers its old samples fade instead of
 * keeping it out of latency-based routing. Also counts requests in flight. All O(1).
 */
export class LatencyTracker {
  readonly #now: () => number;
  readonly #halfLifeMs: number;
  readonly #latency = new DecayingAverage();
  readonly #timeToFirstToken = new DecayingAverage();
  readonly #timePerOutputToken = new DecayingAverage();
  #inFlight = 0;

  constructor(options: LatencyTrackerOptions = {}, now: () => number) {
    const checked = latencyTrackerOptionsSchema.safeParse(options);
    if (!checked.success) throw invalidOptionsError('latency', checked.error.issues);
    this.#now = now;
    this.#halfLifeMs = options.halfLifeMs ?? 60_000;
  }

  /** Whole-request latency in ms. */
  recordLatency(ms: number): void {
    this.#latency.add(ms, this.#now(), this.#halfLifeMs);
  }

  recordTimeToFirstToken(ms: number): void {
    this.#timeToFirstToken.add(ms, this.#now(), this.#halfLifeMs);
  }

  /** Generation speed: ms per output token, e.g. (latency − time to first token) / output tokens. */
  recordTimePerOutputToken(ms: number): void {
    this.#timePerOutputToken.add(ms, this.#now(), this.#halfLifeMs);
  }

  /** `undefined` until a sample is recorded. */
  get averageLatency(): number | undefined {
    return this.#latency.value;
  }

  get averageTimeToFirstToken(): number | undefined {
    return this.#timeToFirstToken.value;
  }

  get averageTimePerOutputToken(): number | undefined {
    return this.#timePerOutputToken.value;
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  start(): void {
    this.#inFlight++;
  }

  /** An unmatched `end()` is ignored rather than driving the count negative. */
  end(): void {
    if (this.#inFlight > 0) this.#inFlight--;
  }
}

/**
 * Σ wᵢ·xᵢ / Σ wᵢ with wᵢ = 0.5^(ageᵢ / halfLife). Both sums decay by the same factor, so they
 * are only brought up to date when a sample arrives and the ratio can be read at any time.
 */
class DecayingAverage {
  #weightedSum = 0;
  #weight = 0;
  #at = 0;

  get value(): number | undefined {
    return this.#weight === 0 ? undefined : this.#weightedSum / this.#weight;
  }

  add(sample: number, now: number, halfLifeMs: number): void {
    // A negative or non-finite sample is a measuring bug; one must not poison the average.
    if (!Number.isFinite(sample) || sample < 0) return;
    if (this.#weight > 0) {
      const decay = 0.5 ** (Math.max(0, now - this.#at) / halfLifeMs);
      this.#weightedSum *= decay;
      this.#weight *= decay;
    }
    this.#weightedSum += sample;
    this.#weight += 1;
    this.#at = now;
  }
}
