// The config of governance (docs/governance.md): access rules, rate limits, budgets, residency, and their schemas.
import { z } from 'zod';
import { regionsSchema, timerMsSchema } from '../contract/call-options.js';
import { mustBe, objectErrors } from '../errors/option-messages.js';
import type { RuleMatch } from '../rules/rule-match.js';
import { ruleMatchSchema } from '../rules/rule-match-schema.js';
import type { Store } from '../store/store.js';
import type { BudgetPeriod } from './budget-period.js';
import { isValidTimeZone } from './budget-period.js';

/** Who an access rule lets in or keeps out; `when.models` and `when.routes` say of what. */
export interface AccessRule {
  /** Named in errors and events. */
  name: string;
  /** The calls (and, with `models`, the targets) it applies to; omit: every call. */
  when?: RuleMatch | undefined;
  effect: 'allow' | 'deny';
}

export interface AccessOptions {
  /** What a call no rule allows gets (default `'allow'`). A matching `deny` always wins over any `allow`. */
  default?: 'allow' | 'deny' | undefined;
  rules: AccessRule[];
}

/** Windows of one limit: the most per second, minute, hour and day (any of them, each its own counter). */
export interface LimitWindows {
  perSecond?: number | undefined;
  perMinute?: number | undefined;
  perHour?: number | undefined;
  perDay?: number | undefined;
}

export interface TokenLimitWindows extends LimitWindows {
  /** What the windows count (default `'total'`): prompt tokens, completion tokens, or both. */
  count?: 'input' | 'output' | 'total' | undefined;
}

/**
 * Whose counter a call counts against: one shared by every matching call (`'shared'`, the
 * default), one per principal, one per team (a principal of several teams counts against each),
 * one per target model (`'model'`: decided once a target is picked), one per tag, one per route.
 */
export type PartitionBy = 'shared' | 'principal' | 'team' | 'model' | 'tag' | 'route';

export interface LimitRule {
  name: string;
  when?: RuleMatch | undefined;
  by?: Exclude<PartitionBy, 'tag' | 'route'> | undefined;
  requests?: LimitWindows | undefined;
  tokens?: TokenLimitWindows | undefined;
  /** `reject` (default): a typed error at once; `queue`: wait for room up to `maxWaitMs`; `audit`: count and report, never block. */
  mode?: 'reject' | 'queue' | 'audit' | undefined;
  /** `queue`: the longest a call waits for room (default 10 000 ms). */
  maxWaitMs?: number | undefined;
}

export interface BudgetRule {
  name: string;
  when?: RuleMatch | undefined;
  by?: PartitionBy | undefined;
  /** The budget in USD per period (priced with the model catalog); give this or `tokens`. */
  usd?: number | undefined;
  /** The budget in tokens (input + output) per period; give this or `usd`. */
  tokens?: number | undefined;
  /** Calendar periods in `governance.timeZone`: `day`, ISO `week` (from Monday), `month`, or `total` (never resets). */
  period: BudgetPeriod;
  /** Fractions of the budget at which a `budget.threshold` event fires, once per period (default `[0.5, 0.8, 1]`). */
  alerts?: number[] | undefined;
  /** When the budget has no room: `'block'` (default) refuses the call; `{ downgrade: route }` sends it to a cheaper route instead. */
  onExhausted?: 'block' | { downgrade: string } | undefined;
  /** `enforce` (default) or `audit`: count and report, never block. */
  mode?: 'enforce' | 'audit' | undefined;
}

/** Calls this rule matches may only be served by targets in one of `regions` (globs). */
export interface ResidencyRule {
  name: string;
  when?: RuleMatch | undefined;
  regions: string[];
}

export interface GovernanceOptions {
  /** Where counters and budgets live (default: an in-memory store the gateway keeps across `reload()`). A shared store shares every decision. */
  store?: Store | undefined;
  access?: AccessOptions | undefined;
  limits?: LimitRule[] | undefined;
  budgets?: BudgetRule[] | undefined;
  residency?: ResidencyRule[] | undefined;
  /** The IANA time zone budget periods follow (default `'UTC'`). */
  timeZone?: string | undefined;
  /** Completion tokens a call without `max_tokens` / `max_completion_tokens` reserves against token limits and budgets (default 1024). */
  defaultOutputTokens?: number | undefined;
  /** The wall clock windows and periods follow, epoch ms (default `Date.now`); tests pass a fake one with the store's. */
  now?: (() => number) | undefined;
}

const name = z.string(mustBe('a rule name')).min(1, mustBe('a non-empty rule name')).max(200, 'must be at most 200 characters');
const amount = (what: string) => z.number(mustBe(what)).positive(mustBe(what)).finite(mustBe(what));
const count = (what: string) => z.number(mustBe(what)).int(mustBe(what)).positive(mustBe(what)).max(Number.MAX_SAFE_INTEGER);
const windowCount = () => count('a whole number > 0').optional();

const windowsShape = { perSecond: windowCount(), perMinute: windowCount(), perHour: windowCount(), perDay: windowCount() };
const WINDOWS = '{ perSecond?, perMinute?, perHour?, perDay? }';
const hasWindow = (windows: LimitWindows) => (['perSecond', 'perMinute', 'perHour', 'perDay'] as const).some((key) => windows[key] !== undefined);
const windowsSchema = z.object(windowsShape, objectErrors(windowsShape, WINDOWS)).strict().refine(hasWindow, `give at least one of perSecond, perMinute, perHour, perDay`);
const tokenWindowsShape = { ...windowsShape, count: z.enum(['input', 'output', 'total'], mustBe("'input', 'output' or 'total'")).optional() };
const tokenWindowsSchema = z
  .object(tokenWindowsShape, objectErrors(tokenWindowsShape, '{ perSecond?, perMinute?, perHour?, perDay?, count? }'))
  .strict()
  .refine(hasWindow, `give at least one of perSecond, perMinute, perHour, perDay`);

const accessRuleShape = { name, when: ruleMatchSchema.optional(), effect: z.enum(['allow', 'deny'], mustBe("'allow' or 'deny'")) };
const accessShape = {
  default: z.enum(['allow', 'deny'], mustBe("'allow' or 'deny'")).optional(),
  rules: z.array(z.object(accessRuleShape, objectErrors(accessRuleShape, '{ name, when?, effect }')).strict(), mustBe('a list of access rules')),
} satisfies { [K in keyof Required<AccessOptions>]: z.ZodType<AccessOptions[K]> };

const limitRuleShape = {
  name,
  when: ruleMatchSchema.optional(),
  by: z.enum(['shared', 'principal', 'team', 'model'], mustBe("'shared', 'principal', 'team' or 'model'")).optional(),
  requests: windowsSchema.optional(),
  tokens: tokenWindowsSchema.optional(),
  mode: z.enum(['reject', 'queue', 'audit'], mustBe("'reject', 'queue' or 'audit'")).optional(),
  maxWaitMs: timerMsSchema().optional(),
} satisfies { [K in keyof Required<LimitRule>]: z.ZodType<LimitRule[K]> };
const limitRuleSchema = z
  .object(limitRuleShape, objectErrors(limitRuleShape, '{ name, when?, by?, requests?, tokens?, mode?, maxWaitMs? }'))
  .strict()
  .refine((rule) => rule.requests !== undefined || rule.tokens !== undefined, 'give `requests` or `tokens` (or both)')
  .refine((rule) => rule.maxWaitMs === undefined || rule.mode === 'queue', { message: "`maxWaitMs` applies only to mode 'queue'", path: ['maxWaitMs'] });

const downgradeShape = { downgrade: z.string(mustBe('a route name')).min(1, mustBe('a route name')) };
const budgetRuleShape = {
  name,
  when: ruleMatchSchema.optional(),
  by: z.enum(['shared', 'principal', 'team', 'model', 'tag', 'route'], mustBe("'shared', 'principal', 'team', 'model', 'tag' or 'route'")).optional(),
  usd: amount('a number of USD > 0').optional(),
  tokens: count('a whole number of tokens > 0').optional(),
  period: z.enum(['day', 'week', 'month', 'total'], mustBe("'day', 'week', 'month' or 'total'")),
  alerts: z.array(z.number(mustBe('a fraction > 0, e.g. 0.8')).positive(mustBe('a fraction > 0, e.g. 0.8')).finite(), mustBe('a list of fractions, e.g. [0.5, 0.8, 1]')).optional(),
  onExhausted: z
    .union([z.literal('block'), z.object(downgradeShape, objectErrors(downgradeShape, '{ downgrade: route }')).strict()], mustBe("'block' or { downgrade: '<route>' }"))
    .optional(),
  mode: z.enum(['enforce', 'audit'], mustBe("'enforce' or 'audit'")).optional(),
} satisfies { [K in keyof Required<BudgetRule>]: z.ZodType<BudgetRule[K]> };
const budgetRuleSchema = z
  .object(budgetRuleShape, objectErrors(budgetRuleShape, '{ name, when?, by?, usd? | tokens?, period, alerts?, onExhausted?, mode? }'))
  .strict()
  .refine((rule) => (rule.usd === undefined) !== (rule.tokens === undefined), 'give exactly one of `usd` and `tokens`')
  .refine((rule) => !(typeof rule.onExhausted === 'object' && (rule.by === 'model' || rule.when?.models !== undefined)), {
    message: 'a budget decided per target (`by: model` or `when.models`) cannot downgrade: the route is already chosen; use `block`',
    path: ['onExhausted'],
  });

// Residency is decided on the call, before a target is picked: a rule on `models` would never apply.
const residencyWhen = ruleMatchSchema.refine((when) => when.models === undefined, 'a residency rule cannot match `models`: it decides which targets may serve, so it applies before one is picked');
const residencyRuleShape = { name, when: residencyWhen.optional(), regions: regionsSchema };

const uniqueNames = (what: string) => (rules: ReadonlyArray<{ name: string }>, ctx: z.RefinementCtx) => {
  const seen = new Set<string>();
  rules.forEach((rule, index) => {
    if (seen.has(rule.name)) ctx.addIssue({ code: 'custom', message: `duplicate ${what} name '${rule.name}': names must be unique (errors, events and counters use them)`, path: [index, 'name'] });
    seen.add(rule.name);
  });
};

const storeSchema = z.custom<Store>(
  (value) => typeof value === 'object' && value !== null && typeof (value as Partial<Store>).decide === 'function' && typeof (value as Partial<Store>).increment === 'function',
  'must be a Store, e.g. createMemoryStore()',
);

const governanceShape = {
  store: storeSchema.optional(),
  access: z.object(accessShape, objectErrors(accessShape, '{ default?, rules }')).strict().superRefine((access, ctx) => uniqueNames('access rule')(access.rules, ctx)).optional(),
  limits: z.array(limitRuleSchema, mustBe('a list of limit rules')).superRefine(uniqueNames('limit')).optional(),
  budgets: z.array(budgetRuleSchema, mustBe('a list of budget rules')).superRefine(uniqueNames('budget')).optional(),
  residency: z
    .array(z.object(residencyRuleShape, objectErrors(residencyRuleShape, '{ name, when?, regions }')).strict(), mustBe('a list of residency rules'))
    .superRefine(uniqueNames('residency rule'))
    .optional(),
  timeZone: z
    .string(mustBe("an IANA time zone, e.g. 'Europe/Berlin'"))
    .refine(isValidTimeZone, "unknown time zone: use an IANA name such as 'UTC' or 'Europe/Berlin'")
    .optional(),
  defaultOutputTokens: count('a whole number of tokens > 0').optional(),
  now: z.custom<() => number>((value) => typeof value === 'function', 'governance.now must be a function').optional(),
} satisfies { [K in keyof Required<GovernanceOptions>]: z.ZodType<GovernanceOptions[K]> };

export const governanceOptionsSchema = z
  .object(governanceShape, objectErrors(governanceShape, '{ store?, access?, limits?, budgets?, residency?, timeZone?, defaultOutputTokens?, now? }'))
  .strict();

/** The routes budgets downgrade to, with their config paths: each must be a route the config knows. */
export function downgradeRoutes(options: GovernanceOptions | undefined): Array<{ route: string; path: string }> {
  return (options?.budgets ?? []).flatMap((rule, index) =>
    typeof rule.onExhausted === 'object' ? [{ route: rule.onExhausted.downgrade, path: `governance.budgets.${index}.onExhausted.downgrade` }] : [],
  );
}
