import { LRUCache } from 'lru-cache';
import { CircuitBreaker, type BreakerPermit, type CircuitBreakerOptions, type CircuitBreakerTransition } from './circuit-breaker.js';
import { LatencyTracker } from './latency-tracker.js';
import { TokenBucket, type TokenBucketOptions } from './token-bucket.js';

/** What callers use of a breaker; a disabled breaker is a stand-in that is always closed. */
export type Breaker = Pick<CircuitBreaker, 'state' | 'retryAt' | 'tryAcquire'>;

/** What callers use of a retry budget; a disabled budget is a stand-in that always allows. */
export type RetryBudget = Pick<TokenBucket, 'available' | 'tryTake'>;

export interface DeploymentHealthOptions {
  /** Shared by every deployment's breaker (see `CircuitBreakerOptions` for defaults); `false` disables breaking. */
  breaker?: CircuitBreakerOptions | false | undefined;
  /** Each deployment's retry budget (default `{ capacity: 10, refillPerSecond: 1 }`); `false` allows every retry. */
  retryBudget?: TokenBucketOptions | false | undefined;
  /** Default 60_000 ms. */
  latencyHalfLifeMs?: number | undefined;
  /**
   * Every breaker state change, with the deployment it happened to; called synchronously after
   * `breaker.onTransition`. A throw is ignored.
   */
  onTransition?: ((deploymentId: string, transition: CircuitBreakerTransition) => void) | undefined;
}

export interface DeploymentHealthEntry {
  readonly breaker: Breaker;
  readonly retryBudget: RetryBudget;
  readonly latency: LatencyTracker;
}

// Stateless, so one of each serves every deployment.
const noVerdict = () => {};
const alwaysPass: BreakerPermit = Object.freeze({ probe: false, success: noVerdict, failure: noVerdict, release: noVerdict });
const alwaysClosed: Breaker = Object.freeze({
  state: 'closed',
  retryAt: undefined,
  tryAcquire: () => alwaysPass,
});

/** Bursts of 10 retries, then one a second: enough for blips, too little to feed an outage. */
const DEFAULT_RETRY_BUDGET: TokenBucketOptions = { capacity: 10, refillPerSecond: 1 };

const unlimited: RetryBudget = Object.freeze({ available: Number.POSITIVE_INFINITY, tryTake: () => true });

/**
 * The health of every deployment (`'<provider>/<model>'`) the gateway has called: a circuit
 * breaker, a retry budget and latency averages each, created on first use from shared options.
 * Lookups are one Map access.
 */
export class DeploymentHealth {
  readonly #options: DeploymentHealthOptions;
  readonly #now: () => number;
  /** Bounded: model names may come from callers, and a rarely used deployment may start afresh. */
  readonly #entries = new LRUCache<string, DeploymentHealthEntry>({ max: 4096 });

  constructor(options: DeploymentHealthOptions = {}, now: () => number) {
    this.#options = { ...options };
    this.#now = now;
    // Built once up front so bad options fail at startup rather than on the first request.
    this.#create('');
  }

  get(id: string): DeploymentHealthEntry {
    let entry = this.#entries.get(id);
    if (!entry) this.#entries.set(id, (entry = this.#create(id)));
    return entry;
  }

  #create(id: string): DeploymentHealthEntry {
    const { breaker, retryBudget = DEFAULT_RETRY_BUDGET, latencyHalfLifeMs, onTransition } = this.#options;
    let report: ((transition: CircuitBreakerTransition) => void) | undefined;
    if (breaker !== false && (breaker?.onTransition || onTransition)) {
      report = (transition) => {
        // The breaker swallows a throw; `finally` keeps one hook's throw from skipping the other.
        try {
          breaker?.onTransition?.(transition);
        } finally {
          onTransition?.(id, transition);
        }
      };
    }
    return {
      breaker: breaker === false ? alwaysClosed : new CircuitBreaker({ ...breaker, onTransition: report }, this.#now),
      retryBudget: retryBudget === false ? unlimited : new TokenBucket(retryBudget, this.#now),
      latency: new LatencyTracker({ halfLifeMs: latencyHalfLifeMs }, this.#now),
    };
  }
}
