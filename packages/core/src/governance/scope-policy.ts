// A scoped client's fixed identity and restrictions, compiled once when `gateway.scope()` makes it.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { callMetadataSchema, principalSchema, type Principal, type RequestMetadata } from '../contract/call-options.js';
import { AccessDeniedError } from '../errors/governance-errors.js';
import { ConfigError } from '../errors/errors.js';
import { objectErrors } from '../errors/option-messages.js';
import { compilePattern, type CompiledPattern } from '../rules/pattern.js';
import type { PeriodClock } from './budget-period.js';
import { BudgetPolicy } from './budget-policy.js';
import type { GovernedRule } from './charge.js';
import { governanceOptionsSchema, type BudgetRule, type LimitRule } from './governance-options.js';
import { LimitPolicy } from './limit-policy.js';
import { regionRestriction, type RegionRestriction } from './residency-policy.js';

/** A scope's own rate limits: a limit rule without `name`, `when` or `by` (it counts every call of the scope, on the scope's id). */
export type ScopeLimits = Omit<LimitRule, 'name' | 'when' | 'by'>;
/** A scope's own budget: a budget rule without `name`, `when` or `by`. */
export type ScopeBudget = Omit<BudgetRule, 'name' | 'when' | 'by'>;

/** What `gateway.scope()` takes (docs/governance.md). */
export interface ScopeOptions {
  /** Names the scope in errors, events and its counters (default: a random id). Scopes with the same id share their limits and budget, across processes too with a shared store. */
  id?: string | undefined;
  /** Who every call of the scope is made as; a call may not name another. */
  principal?: Principal | undefined;
  /** Added to the principal's teams. */
  teams?: string[] | undefined;
  /** Added to every call's tags. */
  tags?: string[] | undefined;
  /** Set on every call; a call may add keys but not change these. */
  metadata?: RequestMetadata | undefined;
  /** The routes and `'<provider>/<model>'` targets the scope may use (globs). A listed route may use every target it names; otherwise only listed targets are tried. Omit: any. */
  models?: string[] | undefined;
  limits?: ScopeLimits | undefined;
  budget?: ScopeBudget | undefined;
  /** The regions (globs) the scope's calls may be served in. */
  region?: string | string[] | undefined;
}

const label = z.string().min(1).max(200);
const scopeShape = {
  id: label.optional(),
  principal: principalSchema.optional(),
  teams: z.array(label).optional(),
  tags: z.array(label).optional(),
  metadata: callMetadataSchema.optional(),
  models: z.array(label).min(1, 'list at least one model or route (omit `models` to allow any)').optional(),
  limits: z.custom<ScopeLimits>().optional(),
  budget: z.custom<ScopeBudget>().optional(),
  region: z.union([label, z.array(label).min(1)]).optional(),
} satisfies { [K in keyof Required<ScopeOptions>]: z.ZodType<ScopeOptions[K]> };
const scopeSchema = z.object(scopeShape, objectErrors(scopeShape, '{ id?, principal?, teams?, tags?, metadata?, models?, limits?, budget?, region? }')).strict();

/**
 * The compiled scope: identity merged into every call, the model list, the regions, and the
 * scope's own limit and budget rules. `revoked` is the one mutable part: once set, every later
 * call fails; calls already running finish.
 */
export class ScopePolicy {
  readonly id: string;
  readonly principal: Principal | undefined;
  readonly tags: readonly string[];
  readonly metadata: RequestMetadata;
  readonly region: RegionRestriction | undefined;
  readonly rules: readonly GovernedRule[];
  readonly budget: BudgetPolicy | undefined;
  readonly modelsRule: string;
  readonly #models: CompiledPattern | undefined;
  revoked = false;

  constructor(options: ScopeOptions, clock: PeriodClock) {
    const issues = scopeIssues(options);
    if (issues.length > 0) throw new ConfigError(issues);
    this.id = options.id ?? randomUUID();
    const teams = [...new Set([...(options.principal?.teams ?? []), ...(options.teams ?? [])])];
    this.principal = options.principal ? { ...options.principal, ...(teams.length > 0 ? { teams } : {}) } : teams.length > 0 ? { id: `scope:${this.id}`, teams } : undefined;
    this.tags = options.tags ?? [];
    this.metadata = options.metadata ?? {};
    this.#models = options.models ? compilePattern(options.models) : undefined;
    this.modelsRule = `scope:${this.id}:models`;
    const regions = options.region === undefined ? undefined : typeof options.region === 'string' ? [options.region] : options.region;
    this.region = regions ? regionRestriction(`scope '${this.id}'`, regions) : undefined;
    const rules: GovernedRule[] = [];
    if (options.limits) rules.push(new LimitPolicy({ ...options.limits, name: `scope:${this.id}:limits` }, false, this.id));
    this.budget = options.budget ? new BudgetPolicy({ ...options.budget, name: `scope:${this.id}:budget` }, false, clock, this.id) : undefined;
    if (this.budget) rules.push(this.budget);
    this.rules = rules;
  }

  /** Whether the scope has a model list at all. */
  get hasModels(): boolean {
    return this.#models !== undefined;
  }

  /** Whether the scope lists the route itself (then every target of it may serve). */
  listsRoute(route: string): boolean {
    return this.#models === undefined || this.#models.matchesValue(route);
  }

  /** A target of a route the scope does not list: allowed only if listed itself. */
  checkTarget(target: string, route: string): AccessDeniedError | undefined {
    if (this.#models === undefined || this.#models.matchesValue(target)) return undefined;
    return new AccessDeniedError(this.modelsRule, `Scope '${this.id}' may not use '${target}' (route '${route}'): neither is in its models list; nothing was sent to it.`);
  }
}

/** The scope's options checked like config: its limits and budget by the same schema as governance rules. */
function scopeIssues(options: ScopeOptions): Array<{ path: string; message: string }> {
  const parsed = scopeSchema.safeParse(options);
  const issues = parsed.success ? [] : parsed.error.issues.map((issue) => ({ path: `scope.${issue.path.join('.')}`, message: issue.message }));
  if (!parsed.success) return issues;
  const rules = governanceOptionsSchema.safeParse({
    ...(options.limits ? { limits: [{ ...options.limits, name: 'scope' }] } : {}),
    ...(options.budget ? { budgets: [{ ...options.budget, name: 'scope' }] } : {}),
  });
  if (rules.success) return [];
  return rules.error.issues.map((issue) => ({ path: `scope.${issue.path[0] === 'limits' ? 'limits' : 'budget'}${issue.path.length > 2 ? `.${issue.path.slice(2).join('.')}` : ''}`, message: issue.message }));
}
