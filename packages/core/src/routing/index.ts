// routing/: route specs, the compiled route tree, candidate picking, fallback and the route executor.
export { candidates, fixedPickContext, type PickContext } from './candidates.js';
export { defaultFallbackOn, indictsDeployment, isContextLengthError } from './fallback-policy.js';
export { RouteExecutor, type RouteExecutorOptions } from './route-executor.js';
export {
  routeSpecSchema,
  type FallbackSpec,
  type LoadBalanceSpec,
  type LoadBalanceStrategy,
  type PrioritySpec,
  type RouteSpec,
  type RulesSpec,
  type TargetSpec,
} from './route-spec.js';
export { compileRoute, routeTargets, type RouteNode, type Target } from './route-tree.js';
