import { z } from 'zod';
import { retryOptionsSchema, type RetryOptions } from '../call-options.js';

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
export type RouteSpec = string | TargetSpec | FallbackSpec | LoadBalanceSpec | RulesSpec | PrioritySpec;

/**
 * Entries in order of preference, like `fallback`, except that an entry measured slower
 * than `maxMsPerOutputToken` (decayed average) is tried only after the others.
 */
export interface PrioritySpec {
  priority: RouteSpec[];
  maxMsPerOutputToken: number;
  /** Retrying for every target in this group that sets none itself. */
  retry?: RetryOptions | false | undefined;
  weight?: number | undefined;
}

export interface TargetSpec {
  target: string;
  weight?: number | undefined;
  /** Request fields set for this target only (they win over the caller's). */
  params?: Record<string, unknown> | undefined;
  /** Retrying for this target (wins over an enclosing group's and `routing.retry`; a call's own `retry` wins over all). */
  retry?: RetryOptions | false | undefined;
}

export interface FallbackSpec {
  fallback: RouteSpec[];
  /** Retrying for every target in this group that sets none itself. */
  retry?: RetryOptions | false | undefined;
  weight?: number | undefined;
}

/**
 * How a load-balanced group picks its first entry:
 * - `weighted` (default): at random by weight;
 * - `latency`: the faster of two entries drawn by weight (decayed average latency, or
 *   time to first chunk for streams); unmeasured entries win, so a recovered one is found again;
 * - `least-busy`: the one with fewer calls in flight, of two drawn by weight;
 * - `cost`: the cheapest by `routing.prices`, then the next cheapest.
 * Drawing two and keeping the better ("power of two choices") keeps every pick O(1).
 */
export type LoadBalanceStrategy = 'weighted' | 'latency' | 'least-busy' | 'cost';

export interface LoadBalanceSpec {
  loadbalance: RouteSpec[];
  strategy?: LoadBalanceStrategy | undefined;
  /** Sticky sessions: calls with the same value of this metadata key go to the same entry while it is healthy. */
  sticky?: string | undefined;
  /** Retrying for every target in this group that sets none itself. */
  retry?: RetryOptions | false | undefined;
  weight?: number | undefined;
}

/** Who a rule applies to; every field given must match. String values may use `*` as a wildcard. */
export interface RuleMatch {
  metadata?: Record<string, string> | undefined;
  principal?: string | undefined;
  teams?: string[] | undefined;
  roles?: string[] | undefined;
}

/** Conditional routing: the first rule whose `when` matches the call decides; else `default`. */
export interface RulesSpec {
  rules: Array<{ when: RuleMatch; route: RouteSpec }>;
  default?: RouteSpec | undefined;
  weight?: number | undefined;
}

const weightSchema = z.number().positive().finite().optional();
const retrySchema = z.union([z.literal(false), retryOptionsSchema]).optional();

export const routeSpecSchema: z.ZodType<RouteSpec> = z.lazy(() =>
  z.union([
    z.string().min(1, 'a route must name a target'),
    z
      .object({
        target: z.string().min(1),
        weight: weightSchema,
        params: z.record(z.string(), z.unknown()).optional(),
        retry: retrySchema,
      })
      .strict(),
    z.object({ fallback: z.array(routeSpecSchema).min(1, 'a fallback needs at least one entry'), retry: retrySchema, weight: weightSchema }).strict(),
    z
      .object({
        loadbalance: z.array(routeSpecSchema).min(1, 'a load-balanced group needs at least one entry'),
        strategy: z.enum(['weighted', 'latency', 'least-busy', 'cost']).optional(),
        sticky: z.string().min(1).optional(),
        retry: retrySchema,
        weight: weightSchema,
      })
      .strict(),
    z
      .object({
        priority: z.array(routeSpecSchema).min(1, 'a priority list needs at least one entry'),
        maxMsPerOutputToken: z.number().positive().finite(),
        retry: retrySchema,
        weight: weightSchema,
      })
      .strict(),
    z
      .object({
        rules: z
          .array(
            z.object({
              when: z
                .object({
                  metadata: z.record(z.string(), z.string()).optional(),
                  principal: z.string().optional(),
                  teams: z.array(z.string()).optional(),
                  roles: z.array(z.string()).optional(),
                })
                .strict(),
              route: routeSpecSchema,
            }),
          )
          .min(1, 'rules need at least one rule'),
        default: routeSpecSchema.optional(),
        weight: weightSchema,
      })
      .strict(),
  ]),
);

/** Every target or route name a spec mentions, with the path it stands at. */
export function* routeReferences(spec: RouteSpec, path: string): Generator<{ name: string; path: string }> {
  if (typeof spec === 'string') yield { name: spec, path };
  else if ('target' in spec) yield { name: spec.target, path: `${path}.target` };
  else if ('rules' in spec) {
    for (const [i, rule] of spec.rules.entries()) yield* routeReferences(rule.route, `${path}.rules.${i}.route`);
    if (spec.default !== undefined) yield* routeReferences(spec.default, `${path}.default`);
  } else {
    const [key, entries] =
      'fallback' in spec ? ['fallback', spec.fallback] : 'priority' in spec ? ['priority', spec.priority] : ['loadbalance', spec.loadbalance];
    for (const [i, entry] of entries.entries()) yield* routeReferences(entry, `${path}.${key}.${i}`);
  }
}
