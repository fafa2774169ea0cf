// One call's target gate: access on models, the scope's model list, residency, and per-model limits and budgets, per target.
import type { CostCalculator } from '../cost/cost-calculator.js';
import type { GatewayError } from '../errors/errors.js';
import type { CallRecord } from '../pipeline/call-record.js';
import type { GateTarget, TargetGate } from '../pipeline/target-gate.js';
import type { RuleSet } from '../rules/rule-set.js';
import type { RuleSubject } from '../rules/rule-subject.js';
import type { AccessPolicy, RouteVerdict } from './access-policy.js';
import type { Admission, AdmissionCall } from './admission.js';
import { CallAmounts, type CallEstimate, type PricedTarget } from './call-estimate.js';
import type { Charge, GovernedRule } from './charge.js';
import { inRegions, residencyError, type RegionRestriction } from './residency-policy.js';
import type { ScopePolicy } from './scope-policy.js';

/** What a gate needs of its gateway's governance. */
export interface GateHost {
  readonly access: AccessPolicy;
  readonly targetRules: RuleSet<GovernedRule>;
  readonly admission: Admission;
  readonly costs: CostCalculator;
  now(): number;
  settleTarget(charges: readonly Charge[], record: CallRecord, call: AdmissionCall, target: string): void;
  emitTargetRefused(error: GatewayError, call: AdmissionCall, route: string, target: string): void;
}

export interface CallGateInit {
  readonly record: CallRecord;
  readonly subject: RuleSubject;
  readonly verdict: RouteVerdict;
  readonly scope: ScopePolicy | undefined;
  readonly restrictions: readonly RegionRestriction[];
  readonly estimate: CallEstimate;
  readonly call: AdmissionCall;
}

/** One call's target checks: access on models, the scope's model list, residency, and per-model limits and budgets. */
export class CallGate implements TargetGate {
  readonly subject: RuleSubject;
  /** Whether any sync check can refuse a target. */
  readonly checksTargets: boolean;
  /** Whether the executor must ask this gate at all. */
  readonly needed: boolean;
  readonly #governance: GateHost;
  readonly #init: CallGateInit;
  /** Whether access rules can refuse a target of this call. */
  readonly #access: boolean;
  /** Targets whose per-model rules this call reserved: a route naming one twice reserves once (its end settles every attempt on it). */
  #reserved: Set<string> | undefined;

  constructor(governance: GateHost, init: CallGateInit) {
    this.#governance = governance;
    this.#init = init;
    this.subject = init.subject;
    this.#access = governance.access.decidesTargets(init.verdict);
    // A scope with a model list checks every target: a middleware may rewrite the route after this.
    this.checksTargets = this.#access || (init.scope?.hasModels ?? false) || init.restrictions.length > 0;
    this.needed = this.checksTargets || governance.targetRules.size > 0;
  }

  /** The sync checks of one target: `undefined` when it may serve. */
  check(target: GateTarget): GatewayError | undefined {
    const { verdict, scope, restrictions, record } = this.#init;
    const route = this.subject.route ?? '';
    // The route being resolved now: a request middleware may have changed it since the call came in.
    const current = record.params.model;
    if (scope && !scope.listsRoute(current)) {
      const refusal = scope.checkTarget(target.id, current);
      if (refusal) return refusal;
    }
    if (this.#access) {
      const refusal = this.#governance.access.checkTarget({ ...this.subject, model: target.id }, verdict);
      if (refusal) return refusal;
    }
    if (restrictions.length > 0 && !inRegions(target.region, restrictions)) return residencyError(route, restrictions);
    return undefined;
  }

  admit(target: GateTarget): GatewayError | undefined | Promise<GatewayError | undefined> {
    const refusal = this.checksTargets ? this.check(target) : undefined;
    if (refusal) {
      this.#governance.emitTargetRefused(refusal, this.#init.call, this.subject.route ?? '', target.id);
      return refusal;
    }
    const rules = this.#governance.targetRules;
    if (rules.size === 0) return undefined;
    const subject = { ...this.subject, model: target.id };
    const matching = rules.matching(subject);
    if (matching.length === 0 || this.#reserved?.has(target.id)) return undefined;
    return this.#admitTarget(target, subject, matching);
  }

  async #admitTarget(target: PricedTarget & GateTarget, subject: RuleSubject, rules: readonly GovernedRule[]): Promise<GatewayError | undefined> {
    const { estimate, call, record } = this.#init;
    const governance = this.#governance;
    const amounts = new CallAmounts(estimate);
    if (rules.some((rule) => rule.unit === 'usd')) amounts.usd = estimate.usd([target], governance.costs);
    const now = governance.now();
    const charges = rules.flatMap((rule) => rule.charges(subject, amounts, now));
    const outcome = await governance.admission.admit(charges, call);
    if (outcome.kind !== 'admitted') return outcome.kind === 'refused' ? outcome.error : governance.admission.refusal(outcome.charge);
    (this.#reserved ??= new Set()).add(target.id);
    record.onEnd(() => governance.settleTarget(outcome.applied, record, call, target.id));
    return undefined;
  }
}

