import type { ProviderAdapter } from '../adapter/adapter.js';
import type { RetryOptions } from '../contract/call-options.js';
import type { LoadBalanceStrategy, RouteSpec } from './route-spec.js';
import { compileMatch, type Matcher } from '../rules/rule-match.js';

/** One deployment the gateway can call: a provider key and that provider's model name. */
export interface Target {
  /** `'<provider>/<model>'`. */
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly adapter: ProviderAdapter;
  /** Request fields this route sets for this target. */
  readonly params: Readonly<Record<string, unknown>> | undefined;
  /** Retrying set by the route for this target, if any. */
  readonly retry?: RetryOptions | false | undefined;
  /** Where the deployment runs (residency): the route's `region`, else the config's `regions`. */
  readonly region?: string | undefined;
}

/** A route compiled once at construction: picking from it never re-reads the config. */
export type RouteNode =
  | { readonly kind: 'target'; readonly weight: number; readonly target: Target }
  | { readonly kind: 'fallback'; readonly weight: number; readonly children: readonly RouteNode[] }
  | {
      readonly kind: 'loadbalance';
      /** Unique per compiled group, for sticky-session memory. */
      readonly id: number;
      readonly weight: number;
      readonly children: readonly RouteNode[];
      /** Running sums of the children's weights, for an O(log n) weighted pick. */
      readonly cumulative: readonly number[];
      readonly strategy: LoadBalanceStrategy;
      readonly sticky: string | undefined;
      /** For `cost`: the children's indexes, cheapest first (sorted once, here). */
      readonly byCost: readonly number[];
    }
  | {
      readonly kind: 'priority';
      readonly weight: number;
      readonly children: readonly RouteNode[];
      readonly maxMsPerOutputToken: number;
    }
  | {
      readonly kind: 'rules';
      readonly weight: number;
      readonly rules: ReadonlyArray<{ readonly matches: Matcher; readonly node: RouteNode }>;
      readonly otherwise: RouteNode | undefined;
    };

export interface CompileContext {
  /** A `'<provider>/<model>'` target, or `undefined` when the provider is unknown. */
  target(id: string): Omit<Target, 'params'> | undefined;
  /** Another route by name, compiled (aliases may nest). */
  route(name: string): RouteNode | undefined;
  /** A target's input + output price from the model catalog (see `costKey`), for the `cost` strategy. */
  price?(target: Omit<Target, 'params'>): number | undefined;
}

let nextGroupId = 0;

/** The cheapest target under a node (unknown prices count as most expensive). */
function cheapest(node: RouteNode, context: CompileContext): number {
  switch (node.kind) {
    case 'target':
      return context.price?.(node.target) ?? Number.POSITIVE_INFINITY;
    case 'rules':
      return Math.min(...node.rules.map((rule) => cheapest(rule.node, context)), node.otherwise ? cheapest(node.otherwise, context) : Number.POSITIVE_INFINITY);
    default:
      return Math.min(...node.children.map((child) => cheapest(child, context)));
  }
}

export function compileRoute(spec: RouteSpec, context: CompileContext, weight = 1): RouteNode {
  const node = compileShape(spec, context, weight);
  const retry = typeof spec === 'object' && 'retry' in spec ? spec.retry : undefined;
  return retry === undefined ? node : mapTargets(node, (target) => (target.retry === undefined ? { ...target, retry } : target));
}

function compileShape(spec: RouteSpec, context: CompileContext, weight: number): RouteNode {
  if (typeof spec === 'string') return named(spec, context, weight, undefined);
  if ('target' in spec) {
    const node = named(spec.target, context, spec.weight ?? weight, spec.params);
    const region = spec.region;
    return region === undefined ? node : mapTargets(node, (target) => ({ ...target, region }));
  }
  if ('rules' in spec) {
    return {
      kind: 'rules',
      weight: spec.weight ?? weight,
      rules: spec.rules.map((rule) => ({ matches: compileMatch(rule.when), node: compileRoute(rule.route, context) })),
      otherwise: spec.default === undefined ? undefined : compileRoute(spec.default, context),
    };
  }
  if ('priority' in spec) {
    const children = spec.priority.map((child) => compileRoute(child, context, typeof child === 'object' ? (child.weight ?? 1) : 1));
    return { kind: 'priority', weight: spec.weight ?? weight, children, maxMsPerOutputToken: spec.maxMsPerOutputToken };
  }
  const children = ('fallback' in spec ? spec.fallback : spec.loadbalance).map((child) =>
    compileRoute(child, context, typeof child === 'object' ? (child.weight ?? 1) : 1),
  );
  if ('fallback' in spec) return { kind: 'fallback', weight: spec.weight ?? weight, children };
  let sum = 0;
  const cumulative = children.map((child) => (sum += child.weight));
  const strategy = spec.strategy ?? 'weighted';
  const prices = strategy === 'cost' ? children.map((child) => cheapest(child, context)) : [];
  const byCost = strategy === 'cost' ? children.map((_, i) => i).sort((a, b) => (prices[a] as number) - (prices[b] as number)) : [];
  return { kind: 'loadbalance', id: nextGroupId++, weight: spec.weight ?? weight, children, cumulative, strategy, sticky: spec.sticky, byCost };
}

function named(name: string, context: CompileContext, weight: number, params: Record<string, unknown> | undefined): RouteNode {
  const route = context.route(name);
  if (route) return { ...(params ? withParams(route, params) : route), weight };
  const target = context.target(name);
  // Config validation has already rejected unknown names; this guards programming errors.
  if (!target) throw new Error(`Switchyard: '${name}' is neither a route nor a known target.`);
  return { kind: 'target', weight, target: { ...target, params } };
}

/** Overrides given on a reference to another route apply to every target under it. */
function withParams(node: RouteNode, params: Record<string, unknown>): RouteNode {
  return mapTargets(node, (target) => ({ ...target, params: { ...target.params, ...params } }));
}

const leaves = new WeakMap<RouteNode, readonly Target[]>();

/** Every target a route may reach, each once, in order (every branch of a `rules` node included); computed once per route. */
export function routeTargets(node: RouteNode): readonly Target[] {
  let found = leaves.get(node);
  if (found) return found;
  const seen = new Map<string, Target>();
  const visit = (current: RouteNode): void => {
    if (current.kind === 'target') {
      if (!seen.has(current.target.id)) seen.set(current.target.id, current.target);
    } else if (current.kind === 'rules') {
      for (const rule of current.rules) visit(rule.node);
      if (current.otherwise) visit(current.otherwise);
    } else for (const child of current.children) visit(child);
  };
  visit(node);
  found = [...seen.values()];
  leaves.set(node, found);
  return found;
}

/** A copy of a compiled route with every target changed (routes are shared, so never in place). */
function mapTargets(node: RouteNode, change: (target: Target) => Target): RouteNode {
  if (node.kind === 'target') return { ...node, target: change(node.target) };
  if (node.kind === 'rules') {
    return {
      ...node,
      rules: node.rules.map((rule) => ({ ...rule, node: mapTargets(rule.node, change) })),
      otherwise: node.otherwise && mapTargets(node.otherwise, change),
    };
  }
  return { ...node, children: node.children.map((child) => mapTargets(child, change)) } as RouteNode;
}
