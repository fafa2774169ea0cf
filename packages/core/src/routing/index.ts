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
export { candidates, fixedPickContext, type PickContext } from './candidates.js';
export { compileMatch, globToRegExp, type RoutingSubject } from './rule-match.js';
export { defaultFallbackOn, indictsDeployment, isContextLengthError } from './fallback-policy.js';
export { RouteExecutor, type RouteExecutorOptions } from './route-executor.js';
export {
  routeSpecSchema,
  type FallbackSpec,
  type LoadBalanceSpec,
  type LoadBalanceStrategy,
  type PrioritySpec,
  type RouteSpec,
  type RuleMatch,
  type RulesSpec,
  type TargetSpec,
} from './route-spec.js';
export { compileRoute, type RouteNode, type Target } from './route-tree.js';
