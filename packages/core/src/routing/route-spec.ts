import { z } from 'zod';
import { retryOptionsSchema, type RetryOptions } from '../contract/call-options.js';
import { closestName, describeValue, mustBe, objectErrors, unknownKeysMessage } from '../errors/option-messages.js';
import type { RuleMatch } from '../rules/rule-match.js';
import { ruleMatchSchema } from '../rules/rule-match-schema.js';

/**
 * How a route is declared in `models`. Nestable: a fallback entry may itself be a
 * load-balanced group, and so on.
 *
 * - `'openai/gpt-4.1'` or `'fast'`: a target, or another route by name;
 * - `{ target, weight?, params? }`: a target with a weight (inside `loadbalance`) and
 *   parameter overrides merged into the request for it (e.g. a smaller `max_tokens`);
 * - `{ fallback: [...] }`: try each entry in order until one succeeds;
 * - `{ loadbalance: [...] }`: pick an entry at random by `weight` (default 1); the others
 *   follow in weighted order if it fails;
 * - `{ priority: [...], maxMsPerOutputToken }`: in order, slow entries last;
 * - `{ rules: [{ when, route }], default? }`: the first rule that matches the call decides.
 *
 * A config with a route of none of these forms is refused with a message naming the form it
 * most likely meant and what is wrong with it (see `routeSpecSchema`).
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
  /** Where this deployment runs, for residency (wins over the config's `regions`; docs/governance.md). */
  region?: string | undefined;
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
 * - `cost`: the cheapest by input + output price in the model catalog (`catalog`, or the deprecated `routing.prices`), then the next cheapest.
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

/** Conditional routing: the first rule whose `when` matches the call decides; else `default`. */
export interface RulesSpec {
  rules: Array<{ when: RuleMatch; route: RouteSpec }>;
  default?: RouteSpec | undefined;
  weight?: number | undefined;
}

/** The key that makes an object one form of route or another. */
type ShapeKey = 'target' | 'fallback' | 'loadbalance' | 'priority' | 'rules';

// Compile-time: every object form of `RouteSpec` is told apart by one of the shape keys, so a
// new form cannot be added without a place in `SHAPES` (and in the error messages).
type Unkeyed<T> = T extends unknown ? (Extract<keyof T, ShapeKey> extends never ? T : never) : never;
const _everyFormHasAShapeKey: [Unkeyed<Exclude<RouteSpec, string>>] extends [never] ? true : false = true;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

type Issues = ReadonlyArray<{ readonly path: readonly PropertyKey[]; readonly message: string }>;

/** Hands a nested check's issues on to the check running, their paths relative to its value. */
function forward(ctx: z.RefinementCtx, issues: Issues, rename?: { from: string; to: string }): void {
  for (const issue of issues) {
    const path = rename && issue.path[0] === rename.from ? [rename.to, ...issue.path.slice(1)] : [...issue.path];
    ctx.addIssue({ code: 'custom', message: issue.message, path: path as Array<string | number> });
  }
}

/**
 * `false` or an object of options, each told apart by its type so that a bad object says
 * what is wrong inside it (a plain union would only say "Invalid input").
 */
export function falseOr<T>(schema: z.ZodType<T>, shape: string, off: string): z.ZodType<T | false> {
  return z.custom<T | false>().superRefine((value, ctx) => {
    if (value === false) return;
    if (!isRecord(value)) {
      ctx.addIssue({ code: 'custom', message: `must be false (${off}) or ${shape}, got ${describeValue(value)}` });
      return;
    }
    const checked = schema.safeParse(value);
    if (!checked.success) forward(ctx, checked.error.issues);
  });
}

/** A retry policy: `false`, or `RetryOptions`. */
export const retrySettingSchema = falseOr<RetryOptions>(retryOptionsSchema, '{ retries?, minDelayMs?, maxDelayMs?, factor?, maxRetryAfterMs? }', 'one try per target');

const weightSchema = z.custom<number>((value) => typeof value === 'number' && value > 0 && Number.isFinite(value), mustBe('a finite number > 0 (default 1)')).optional();
const retrySchema = retrySettingSchema.optional();

/**
 * How a route is declared, checked by its form: a string, or an object with one shape key.
 * An object with none is matched to the form it most likely meant (a misspelt shape key, or
 * keys only that form has), so the message can say what to fix; every message about a
 * route that fits no form lists the forms there are.
 */
export const routeSpecSchema: z.ZodType<RouteSpec> = z.custom<RouteSpec>().superRefine((value, ctx) => checkRoute(value, ctx));

const entries = (group: string, empty: string) =>
  z.array(routeSpecSchema, mustBe(`a list of routes (the ${group}'s entries)`)).min(1, empty);

const targetShape = {
  target: z.string(mustBe("'<provider>/<model>' or a route name")).min(1, 'a route must name a target'),
  weight: weightSchema,
  params: z.record(z.string(), z.unknown(), mustBe('an object of request fields')).optional(),
  retry: retrySchema,
  region: z.string(mustBe('a region name, e.g. \'eu-west-1\'')).min(1, mustBe('a non-empty region name')).optional(),
} satisfies { [K in keyof Required<TargetSpec>]: z.ZodType<TargetSpec[K]> };

const fallbackShape = {
  fallback: entries('fallback', 'a fallback needs at least one entry'),
  retry: retrySchema,
  weight: weightSchema,
} satisfies { [K in keyof Required<FallbackSpec>]: z.ZodType<FallbackSpec[K]> };

const STRATEGIES: readonly LoadBalanceStrategy[] = ['weighted', 'latency', 'least-busy', 'cost'];

const loadBalanceShape = {
  loadbalance: entries('group', 'a load-balanced group needs at least one entry'),
  strategy: z
    .custom<LoadBalanceStrategy>((value) => typeof value === 'string' && (STRATEGIES as readonly string[]).includes(value), {
      error: (issue) => {
        const closest = typeof issue.input === 'string' ? closestName(issue.input, STRATEGIES) : undefined;
        return `must be one of ${STRATEGIES.map((name) => `'${name}'`).join(', ')}, got ${describeValue(issue.input)}${closest ? ` (did you mean '${closest}'?)` : ''}`;
      },
    })
    .optional(),
  sticky: z.string(mustBe('the name of a metadata key')).min(1, mustBe('the name of a metadata key')).optional(),
  retry: retrySchema,
  weight: weightSchema,
} satisfies { [K in keyof Required<LoadBalanceSpec>]: z.ZodType<LoadBalanceSpec[K]> };

const priorityShape = {
  priority: entries('priority list', 'a priority list needs at least one entry'),
  maxMsPerOutputToken: z.custom<number>((value) => typeof value === 'number' && value > 0 && Number.isFinite(value), mustBe('a finite number > 0 (ms per output token)')),
  retry: retrySchema,
  weight: weightSchema,
} satisfies { [K in keyof Required<PrioritySpec>]: z.ZodType<PrioritySpec[K]> };

// Routing rules run before a target is picked, and they pick it: `models` has nothing to match yet.
const whenSchema = ruleMatchSchema.superRefine((when, ctx) => {
  if (when.models !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['models'], message: "a routing rule cannot match `models`: it runs before a target is picked (match the name asked for with `routes`)" });
  }
});
const ruleShape = {
  when: whenSchema,
  route: routeSpecSchema,
};
const rulesShape = {
  rules: z.array(z.object(ruleShape, objectErrors(ruleShape, '{ when, route }')).strict(), mustBe('a list of { when, route } rules')).min(1, 'rules need at least one rule'),
  default: routeSpecSchema.optional(),
  weight: weightSchema,
} satisfies { [K in keyof Required<RulesSpec>]: z.ZodType<RulesSpec[K]> };

interface Shape {
  readonly key: ShapeKey;
  /** How the form is written, for messages. */
  readonly form: string;
  readonly schema: z.ZodType;
  /** Whether a value fits the shape key (a string for `target`, a list for the groups). */
  readonly fits: (value: unknown) => boolean;
  /** Keys only this form has: an object with one of them most likely meant it. */
  readonly ownKeys: readonly string[];
}

const strict = (shape: z.ZodRawShape, form: string) => z.object(shape, objectErrors(shape, form)).strict();

const SHAPES: readonly Shape[] = [
  {
    key: 'target',
    form: "{ target: '<provider>/<model>', weight?, params?, retry?, region? }",
    schema: strict(targetShape, 'a route'),
    fits: (value) => typeof value === 'string',
    ownKeys: ['params', 'model', 'provider'],
  },
  { key: 'fallback', form: '{ fallback: [...], retry?, weight? }', schema: strict(fallbackShape, 'a route'), fits: Array.isArray, ownKeys: [] },
  {
    key: 'loadbalance',
    form: '{ loadbalance: [...], strategy?, sticky?, retry?, weight? }',
    schema: strict(loadBalanceShape, 'a route'),
    fits: Array.isArray,
    ownKeys: ['strategy', 'sticky'],
  },
  {
    key: 'priority',
    form: '{ priority: [...], maxMsPerOutputToken, retry?, weight? }',
    schema: strict(priorityShape, 'a route'),
    fits: Array.isArray,
    ownKeys: ['maxMsPerOutputToken'],
  },
  { key: 'rules', form: '{ rules: [{ when, route }, ...], default?, weight? }', schema: strict(rulesShape, 'a route'), fits: Array.isArray, ownKeys: ['default', 'when', 'route'] },
];

/** Every form a route may take, for messages about one that fits none. */
export const ROUTE_FORMS = `a route is '<provider>/<model>', the name of another route (an alias), ${SHAPES.slice(0, -1)
  .map((shape) => shape.form)
  .join(', ')} or ${SHAPES[SHAPES.length - 1]?.form ?? ''}`;

function checkRoute(value: unknown, ctx: z.RefinementCtx): void {
  const fail = (message: string) => ctx.addIssue({ code: 'custom', message });
  if (typeof value === 'string') {
    if (value.length === 0) fail('a route must name a target');
    return;
  }
  if (Array.isArray(value)) {
    fail(`must be a route, got a list: a list of routes goes in { fallback: [...] } (tried in order) or { loadbalance: [...] } (spread); ${ROUTE_FORMS}`);
    return;
  }
  if (!isRecord(value)) {
    fail(`must be a route, got ${describeValue(value)}; ${ROUTE_FORMS}`);
    return;
  }
  const present = SHAPES.filter((shape) => Object.hasOwn(value, shape.key));
  const [only] = present;
  if (present.length > 1) {
    fail(`has ${present.map((shape) => `'${shape.key}'`).join(' and ')}, but a route takes one form; nest one inside the other, e.g. { fallback: [{ loadbalance: [...] }, ...] }`);
    return;
  }
  if (only) {
    const checked = only.schema.safeParse(value);
    if (!checked.success) forward(ctx, checked.error.issues);
    return;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    fail(`must be a route, got an empty object; ${ROUTE_FORMS}`);
    return;
  }
  const guess = likelyShape(value, keys);
  if (!guess) {
    fail(`${unknownKeysMessage(keys, [])}; ${ROUTE_FORMS}`);
    return;
  }
  const { shape, misspelt } = guess;
  if (misspelt !== undefined) {
    // Checked as if spelt right, so that one message also names what else is wrong.
    const { [misspelt]: entriesValue, ...rest } = value;
    fail(`unknown key '${misspelt}' (did you mean '${shape.key}'?); ${ROUTE_FORMS}`);
    const checked = shape.schema.safeParse({ ...rest, [shape.key]: entriesValue });
    if (!checked.success) forward(ctx, checked.error.issues, { from: shape.key, to: misspelt });
    return;
  }
  fail(`looks like ${shape.form} but has no '${shape.key}'; ${ROUTE_FORMS}`);
  const checked = shape.schema.safeParse(value);
  if (!checked.success) forward(ctx, checked.error.issues.filter((issue) => issue.path[0] !== shape.key));
}

/**
 * The form an object without a shape key most likely meant: a key that is a shape key
 * misspelt (more likely if its value fits, a list for a group), else keys only one form has.
 */
function likelyShape(value: Record<string, unknown>, keys: readonly string[]): { shape: Shape; misspelt?: string } | undefined {
  let best: { shape: Shape; misspelt?: string; score: number } | undefined;
  for (const shape of SHAPES) {
    const misspelt = keys.find((key) => closestName(key, [shape.key]) !== undefined);
    let score = misspelt === undefined ? 0 : shape.fits(value[misspelt]) ? 3 : 1;
    score += 2 * shape.ownKeys.filter((key) => keys.includes(key)).length;
    if (score > (best?.score ?? 0)) best = misspelt === undefined ? { shape, score } : { shape, misspelt, score };
  }
  return best;
}

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
