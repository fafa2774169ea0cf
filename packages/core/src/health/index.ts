// health/: per-deployment health state (breaker, rate bucket, latency, retry budget); imports only errors/.
export {
  CircuitBreaker,
  type BreakerPermit,
  type CircuitBreakerOptions,
  type CircuitBreakerState,
  type CircuitBreakerTransition,
} from './circuit-breaker.js';
export {
  DeploymentHealth,
  type Breaker,
  type DeploymentHealthEntry,
  type DeploymentHealthOptions,
  type RetryBudget,
} from './deployment-health.js';
export { LatencyTracker, type LatencyTrackerOptions } from './latency-tracker.js';
export { TokenBucket, type TokenBucketOptions } from './token-bucket.js';
