// The governance middleware: access, residency, rate limits and budgets decided before anything is sent, settled at the end.
import type { GatewayError } from '../errors/errors.js';
import { AccessDeniedError, ResidencyError, ScopeRevokedError } from '../errors/governance-errors.js';
import type { CostCalculator } from '../cost/cost-calculator.js';
import { preloadTokenizer } from '../cost/token-estimate.js';
import type { EventBus } from '../events/event-bus.js';
import type { CallRecord } from '../pipeline/call-record.js';
import { GatewayRequestContext } from '../pipeline/contexts.js';
import type { Middleware, RequestContext, Result } from '../pipeline/middleware.js';
import { createStateKey } from '../pipeline/state-key.js';
import { APPLIED_RULES } from '../pipeline/applied-decisions.js';
import type { GateTarget } from '../pipeline/target-gate.js';
import { compileRule } from '../rules/rule-match.js';
import { RuleSet } from '../rules/rule-set.js';
import type { RuleSubject } from '../rules/rule-subject.js';
import type { Store } from '../store/store.js';
import { AccessPolicy } from './access-policy.js';
import { Admission, type AdmissionCall } from './admission.js';
import { createPeriodClock, type PeriodClock } from './budget-period.js';
import { BudgetPolicy } from './budget-policy.js';
import { CallAmounts, CallEstimate } from './call-estimate.js';
import { CallGate } from './call-gate.js';
import { usedAmount, type Charge, type GovernedRule, type Measure } from './charge.js';
import type { GovernanceOptions } from './governance-options.js';
import { LimitPolicy } from './limit-policy.js';
import { regionRestriction, ResidencyPolicy, type RegionRestriction } from './residency-policy.js';
import type { ScopePolicy } from './scope-policy.js';

/** The scope a call was made through, set by the scoped client's front door. */
export const SCOPE = createStateKey<ScopePolicy>('switchyard.scope');

const DEFAULT_OUTPUT_TOKENS = 1024;
/** A downgrade may lead to another exhausted budget that downgrades again; past this many hops the call is refused. */
const MAX_DOWNGRADES = 4;

export interface GovernanceDeps {
  readonly events: EventBus;
  readonly costs: CostCalculator;
  readonly store: Store;
  /** Every target a route (or `'<provider>/<model>'`) may reach; throws `UnknownModelError` for neither. */
  readonly targetsOf: (route: string) => readonly GateTarget[];
}

/**
 * Governance for one config: compiled once, it runs first in the request chain, before the
 * caches, so a denied call never gets a cached answer. Per call it checks access and residency
 * on the route (and that at least one of its targets qualifies), reserves every matching rate
 * limit and budget in one atomic store decision, and leaves a target gate that checks each
 * target before it is tried (per-model rules reserve there). The call's end settles every
 * reservation to the real usage and cost.
 */
export class Governance {
  readonly middleware: Middleware;
  readonly store: Store;
  readonly clock: PeriodClock;
  readonly #deps: GovernanceDeps;
  readonly #access: AccessPolicy;
  readonly #residency: ResidencyPolicy;
  readonly #callRules: RuleSet<GovernedRule>;
  readonly #targetRules: RuleSet<GovernedRule>;
  readonly #budgets: ReadonlyMap<string, BudgetPolicy>;
  readonly #admission: Admission;
  readonly #defaultOutput: number;
  readonly #now: () => number;

  constructor(options: GovernanceOptions, deps: GovernanceDeps) {
    this.#deps = deps;
    this.store = deps.store;
    this.clock = createPeriodClock(options.timeZone ?? 'UTC');
    this.#access = new AccessPolicy(options.access);
    this.#residency = new ResidencyPolicy(options.residency);
    const rules: Array<{ when: NonNullable<GovernanceOptions['limits']>[number]['when']; rule: GovernedRule }> = [];
    const budgets = new Map<string, BudgetPolicy>();
    for (const limit of options.limits ?? []) rules.push({ when: limit.when, rule: new LimitPolicy(limit, usesModel(limit.when)) });
    for (const budget of options.budgets ?? []) {
      const policy = new BudgetPolicy(budget, usesModel(budget.when), this.clock);
      budgets.set(budget.name, policy);
      rules.push({ when: budget.when, rule: policy });
    }
    this.#budgets = budgets;
    // Token estimates count with the tokenizer once it is in: load it now, not at the first stream.
    if (rules.some(({ rule }) => rule.unit !== 'requests' || rule.kind === 'budget')) void preloadTokenizer();
    this.#callRules = new RuleSet(rules.filter(({ rule }) => !rule.perTarget).map(({ when, rule }) => ({ when: when ?? {}, value: rule })));
    this.#targetRules = new RuleSet(rules.filter(({ rule }) => rule.perTarget).map(({ when, rule }) => ({ when: when ?? {}, value: rule })));
    const now = options.now ?? Date.now;
    this.#admission = new Admission({ store: deps.store, events: deps.events, now });
    this.#now = now;
    this.#defaultOutput = options.defaultOutputTokens ?? DEFAULT_OUTPUT_TOKENS;
    this.middleware = { name: 'governance', request: (ctx, next) => this.#request(ctx, next) };
  }

  /** Whether `route` is a configured route or a `'<provider>/<model>'` of a configured provider. */
  knowsRoute(route: string): boolean {
    try {
      this.#deps.targetsOf(route);
      return true;
    } catch {
      return false;
    }
  }

  /** A configured budget by name. */
  budget(name: string): BudgetPolicy | undefined {
    return this.#budgets.get(name);
  }

  get budgetNames(): string[] {
    return [...this.#budgets.keys()];
  }

  async #request(ctx: RequestContext, next: () => Promise<Result>): Promise<Result> {
    const record = GatewayRequestContext.recordOf(ctx);
    const scope = ctx.state.get(SCOPE);
    // The record itself: its request id is made only if an event or error needs it.
    const call: AdmissionCall = record;
    const estimate = new CallEstimate(record.operation, record.params, this.#defaultOutput);
    let gate = this.#gate(record, scope, estimate, call);
    if (this.#callRules.size > 0 || scope?.rules.length) {
      const admitted = await this.#admitCall(ctx, record, scope, estimate, call, gate);
      gate = admitted.gate;
      if (admitted.charges.length > 0) {
        ctx.state.set(APPLIED_RULES, [...new Set(admitted.charges.map((charge) => charge.rule.name))]);
        ctx.onEnd(() => this.#settle(admitted.charges, record, call, undefined));
      }
    }
    // Revoked while it waited for room: it sends nothing.
    if (scope?.revoked) throw new ScopeRevokedError(scope.id);
    if (gate.needed) record.targetGate = gate;
    return next();
  }

  /**
   * Reserves the call's rate limits and budgets in one decision. A budget that downgrades sends
   * the call to its route and admission runs again for it (the downgraded budget still counts
   * what the call spends, with nothing reserved). Returns what to settle, and the gate of the
   * route the call goes to.
   */
  async #admitCall(ctx: RequestContext, record: CallRecord, scope: ScopePolicy | undefined, estimate: CallEstimate, call: AdmissionCall, first: CallGate): Promise<{ charges: Charge[]; gate: CallGate }> {
    const downgraded: Charge[] = [];
    let excluded: Set<GovernedRule> | undefined;
    let gate = first;
    for (let hop = 0; ; hop++) {
      const subject = gate.subject;
      const rules = this.#callRules.size === 0 ? [] : this.#callRules.matching(subject);
      const all = scope && scope.rules.length > 0 ? [...rules, ...scope.rules] : rules;
      if (all.length === 0) return { charges: downgraded, gate };
      const amounts = new CallAmounts(estimate);
      const now = this.#now();
      const charges: Charge[] = [];
      let targets: readonly GateTarget[] | undefined;
      for (const rule of all) {
        if (excluded?.has(rule)) continue;
        // Priced on the dearest target the route may reach: the reservation must cover whichever serves.
        if (rule.unit === 'usd' && targets === undefined) {
          targets = this.#deps.targetsOf(subject.route ?? '');
          amounts.usd = estimate.usd(targets, this.#deps.costs);
        }
        for (const charge of rule.charges(subject, amounts, now)) charges.push(charge);
      }
      if (charges.length === 0) return { charges: downgraded, gate };
      const outcome = await this.#admission.admit(charges, call);
      if (outcome.kind === 'refused') throw outcome.error;
      if (outcome.kind === 'admitted') return { charges: downgraded.length > 0 ? [...outcome.applied, ...downgraded] : [...outcome.applied], gate };
      if (hop >= MAX_DOWNGRADES) throw this.#admission.refusal(outcome.charge);
      (excluded ??= new Set()).add(outcome.charge.rule);
      // Nothing reserved, but the reserved counter is still read at the end, for the alerts.
      for (const charge of charges) if (charge.rule === outcome.charge.rule) downgraded.push({ ...charge, reserved: 0 });
      ctx.params = { ...ctx.params, model: outcome.route };
      gate = this.#gate(record, scope, estimate, call);
    }
  }

  /** Checks the call's route against access and residency, and makes the gate its targets pass. */
  #gate(record: CallRecord, scope: ScopePolicy | undefined, estimate: CallEstimate, call: AdmissionCall): CallGate {
    const route = record.params.model;
    const subject: RuleSubject = { principal: record.principal, metadata: record.metadata, tags: record.tags, route };
    const verdict = this.#access.checkCall(subject);
    if (verdict.denied) {
      this.#emitDenied(verdict.denied, call, route, undefined);
      throw verdict.denied;
    }
    const restrictions: RegionRestriction[] = [...this.#residency.restrictions(subject)];
    if (scope?.region) restrictions.push(scope.region);
    const own = record.options.regions;
    if (own) restrictions.push(regionRestriction('the call', own));
    const gate = new CallGate(this, { record, subject, verdict, scope, restrictions, estimate, call });
    if (gate.checksTargets) {
      // At least one target of the route must qualify now, before the caches: else a denied call could get a cached answer.
      const targets = this.#deps.targetsOf(route);
      let first: GatewayError | undefined;
      for (const target of targets) {
        const refusal = gate.check(target);
        if (!refusal) {
          first = undefined;
          break;
        }
        first ??= refusal;
      }
      if (first) {
        this.#emitRefused(first, call, route);
        throw first;
      }
    }
    return gate;
  }

  get access(): AccessPolicy {
    return this.#access;
  }
  get targetRules(): RuleSet<GovernedRule> {
    return this.#targetRules;
  }
  get admission(): Admission {
    return this.#admission;
  }
  get costs(): CostCalculator {
    return this.#deps.costs;
  }
  now(): number {
    return this.#now();
  }

  /** Settles `charges` to what the call used: over every attempt, or only those against `target`. */
  #settle(charges: readonly Charge[], record: CallRecord, call: AdmissionCall, target: string | undefined): void {
    const used = target === undefined ? callUse(record) : targetUse(record, target);
    this.#admission.settle(charges, used, call).catch((error: unknown) => this.#deps.events.report(error, { type: 'end-hook', requestId: call.requestId, level: 'request' }));
  }

  /** The gate's per-target settlement. */
  settleTarget(charges: readonly Charge[], record: CallRecord, call: AdmissionCall, target: string): void {
    this.#settle(charges, record, call, target);
  }

  #emitDenied(error: AccessDeniedError, call: AdmissionCall, route: string, target: string | undefined): void {
    if (!this.#deps.events.wants('access.denied')) return;
    this.#deps.events.emit({ type: 'access.denied', requestId: call.requestId, timestamp: Date.now(), rule: error.rule, route, ...(target === undefined ? {} : { target }) });
  }

  #emitRefused(error: GatewayError, call: AdmissionCall, route: string): void {
    if (error instanceof AccessDeniedError) {
      this.#emitDenied(error, call, route, undefined);
      return;
    }
    if (!(error instanceof ResidencyError) || !this.#deps.events.wants('residency.denied')) return;
    this.#deps.events.emit({ type: 'residency.denied', requestId: call.requestId, timestamp: Date.now(), route, allowed: error.allowed, error: error.toJSON() });
  }

  /** The gate refused one target: an access refusal is an event; a region one is not (other targets may still serve). */
  emitTargetRefused(error: GatewayError, call: AdmissionCall, route: string, target: string): void {
    if (error instanceof AccessDeniedError) this.#emitDenied(error, call, route, target);
  }
}

function usesModel(when: Parameters<typeof compileRule>[0] | undefined): boolean {
  return when !== undefined && compileRule(when).usesModel;
}

/** What the whole call used: billed usage over every attempt, and its cost (0 for a cache hit or an unpriced model). */
function callUse(record: CallRecord): (measure: Measure) => number {
  return (measure) => usedAmount(measure, record.billedUsage, record.cost?.usd ?? 0);
}

/** What the attempts against one target used. */
function targetUse(record: CallRecord, target: string): (measure: Measure) => number {
  return (measure) => {
    let used = 0;
    for (const attempt of record.attemptRecords) {
      if (`${attempt.provider}/${attempt.model}` !== target) continue;
      used += usedAmount(measure, attempt.billedUsage, attempt.cost?.usd ?? 0);
    }
    return used;
  };
}
