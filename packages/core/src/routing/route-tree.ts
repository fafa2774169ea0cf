import type { ProviderAdapter } from '../adapter.js';
import type { RouteSpec } from './route-spec.js';

/** One deployment the gateway can call: a provider key and that provider's model name. */
export interface Target {
  /** `'<provider>/<model>'`. */
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly adapter: ProviderAdapter;
  /** Request fields this route sets for this target. */
  readonly params: Readonly<Record<string, unknown>> | undefined;
}

/** A route compiled once at construction: picking from it never re-reads the config. */
export type RouteNode =
  | { readonly kind: 'target'; readonly weight: number; readonly target: Target }
  | { readonly kind: 'fallback'; readonly weight: number; readonly children: readonly RouteNode[] }
  | {
      readonly kind: 'loadbalance';
      readonly weight: number;
      readonly children: readonly RouteNode[];
      /** Running sums of the children's weights, for an O(log n) weighted pick. */
      readonly cumulative: readonly number[];
    };

export interface CompileContext {
  /** A `'<provider>/<model>'` target, or `undefined` when the provider is unknown. */
  target(id: string): Omit<Target, 'params'> | undefined;
  /** Another route by name, compiled (aliases may nest). */
  route(name: string): RouteNode | undefined;
}

export function compileRoute(spec: RouteSpec, context: CompileContext, weight = 1): RouteNode {
  if (typeof spec === 'string') return named(spec, context, weight, undefined);
  if ('target' in spec) return named(spec.target, context, spec.weight ?? weight, spec.params);
  const children = ('fallback' in spec ? spec.fallback : spec.loadbalance).map((child) =>
    compileRoute(child, context, typeof child === 'object' ? (child.weight ?? 1) : 1),
  );
  if ('fallback' in spec) return { kind: 'fallback', weight: spec.weight ?? weight, children };
  let sum = 0;
  const cumulative = children.map((child) => (sum += child.weight));
  return { kind: 'loadbalance', weight: spec.weight ?? weight, children, cumulative };
}

function named(name: string, context: CompileContext, weight: number, params: Record<string, unknown> | undefined): RouteNode {
  const route = context.route(name);
  if (route) return params ? withParams(route, params) : { ...route, weight };
  const target = context.target(name);
  // Config validation has already rejected unknown names; this guards programming errors.
  if (!target) throw new Error(`Switchyard: '${name}' is neither a route nor a known target.`);
  return { kind: 'target', weight, target: { ...target, params } };
}

/** Overrides given on a reference to another route apply to every target under it. */
function withParams(node: RouteNode, params: Record<string, unknown>): RouteNode {
  if (node.kind === 'target') return { ...node, target: { ...node.target, params: { ...node.target.params, ...params } } };
  return { ...node, children: node.children.map((child) => withParams(child, params)) } as RouteNode;
}
