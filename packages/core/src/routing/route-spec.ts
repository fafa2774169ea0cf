import { z } from 'zod';

/**
 * How a route is declared in `models`. Nestable: a fallback entry may itself be a
 * load-balanced group, and so on.
 *
 * - `'openai/gpt-4.1'` or `'fast'`: a target, or another route by name;
 * - `{ target, weight?, params? }`: a target with a weight (inside `loadbalance`) and
 *   parameter overrides merged into the request for it (e.g. a smaller `max_tokens`);
 * - `{ fallback: [...] }`: try each entry in order until one succeeds;
 * - `{ loadbalance: [...] }`: pick an entry at random by `weight` (default 1); the others
 *   follow in weighted order if it fails.
 */
export type RouteSpec = string | TargetSpec | FallbackSpec | LoadBalanceSpec;

export interface TargetSpec {
  target: string;
  weight?: number | undefined;
  /** Request fields set for this target only (they win over the caller's). */
  params?: Record<string, unknown> | undefined;
}

export interface FallbackSpec {
  fallback: RouteSpec[];
  weight?: number | undefined;
}

export interface LoadBalanceSpec {
  loadbalance: RouteSpec[];
  weight?: number | undefined;
}

const weightSchema = z.number().positive().finite().optional();

export const routeSpecSchema: z.ZodType<RouteSpec> = z.lazy(() =>
  z.union([
    z.string().min(1, 'a route must name a target'),
    z.object({ target: z.string().min(1), weight: weightSchema, params: z.record(z.string(), z.unknown()).optional() }).strict(),
    z.object({ fallback: z.array(routeSpecSchema).min(1, 'a fallback needs at least one entry'), weight: weightSchema }).strict(),
    z.object({ loadbalance: z.array(routeSpecSchema).min(1, 'a load-balanced group needs at least one entry'), weight: weightSchema }).strict(),
  ]),
);

/** Every target or route name a spec mentions, with the path it stands at. */
export function* routeReferences(spec: RouteSpec, path: string): Generator<{ name: string; path: string }> {
  if (typeof spec === 'string') yield { name: spec, path };
  else if ('target' in spec) yield { name: spec.target, path: `${path}.target` };
  else {
    const [key, entries] = 'fallback' in spec ? ['fallback', spec.fallback] : ['loadbalance', spec.loadbalance];
    for (const [i, entry] of entries.entries()) yield* routeReferences(entry, `${path}.${key}.${i}`);
  }
}
