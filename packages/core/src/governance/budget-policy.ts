// A budget rule compiled once: its unit, calendar period, alerts, and the counters a call counts against.
import { storeKey } from '../store/store-keys.js';
import type { RuleSubject } from '../rules/rule-subject.js';
import type { PeriodClock } from './budget-period.js';
import { reservedAmount, type Charge, type ChargeAmounts, type GovernedRule, type Measure, type OnRefusal } from './charge.js';
import type { BudgetRule, PartitionBy } from './governance-options.js';
import { MAX_CACHED_PARTITIONS, partitions } from './partition.js';

const DEFAULT_ALERTS = [0.5, 0.8, 1];
/** A period's counters outlive it by this much, so that `budgets.get()` can still read the one just ended. */
const KEPT_AFTER_PERIOD_MS = 86_400_000;

/** A partition's counters in one period. */
export interface BudgetKeys {
  readonly committed: string;
  readonly reserved: string;
  readonly period: string;
  readonly startsAt: number | undefined;
  readonly endsAt: number | undefined;
}

/**
 * One budget: per partition and period, a counter of what is committed (spent plus reserved by
 * calls in flight), which admission checks against the limit, and one of what is reserved, so
 * that spent = committed − reserved can be read back.
 */
export class BudgetPolicy implements GovernedRule {
  readonly name: string;
  readonly kind = 'budget';
  readonly onRefusal: OnRefusal;
  readonly maxWaitMs = 0;
  readonly downgradeTo: string | undefined;
  readonly perTarget: boolean;
  readonly alerts: readonly number[];
  readonly unit: 'tokens' | 'usd';
  readonly limit: number;
  readonly by: PartitionBy;
  readonly period: BudgetRule['period'];
  readonly #measure: Measure;
  readonly #clock: PeriodClock;
  readonly #shared: string | undefined;
  readonly #label: string;
  readonly #keys = new Map<string, BudgetKeys>();

  constructor(rule: BudgetRule, perTarget: boolean, clock: PeriodClock, shared?: string) {
    this.name = rule.name;
    const downgrade = typeof rule.onExhausted === 'object' ? rule.onExhausted.downgrade : undefined;
    this.onRefusal = rule.mode === 'audit' ? 'audit' : downgrade !== undefined ? 'downgrade' : 'block';
    this.downgradeTo = downgrade;
    this.by = rule.by ?? 'shared';
    this.perTarget = perTarget || this.by === 'model';
    this.alerts = [...(rule.alerts ?? DEFAULT_ALERTS)].sort((a, b) => a - b);
    this.unit = rule.usd !== undefined ? 'usd' : 'tokens';
    this.limit = rule.usd ?? rule.tokens ?? 0;
    this.#measure = this.unit === 'usd' ? 'usd' : 'total';
    this.period = rule.period;
    this.#clock = clock;
    this.#shared = shared;
    this.#label = `${this.unit === 'usd' ? `$${this.limit}` : `${this.limit} tokens`} per ${rule.period === 'total' ? 'all time' : rule.period}`;
  }

  /** The counters of one partition in the period `now` falls in (kept per partition while the period lasts). */
  keys(partition: string, now: number): BudgetKeys {
    const slot = this.#clock.slot(this.period, now);
    const known = this.#keys.get(partition);
    if (known && known.period === slot.id) return known;
    const committed = storeKey('switchyard', 'budget', this.name, partition, slot.id);
    const keys = { committed, reserved: `${committed}:reserved`, period: slot.id, startsAt: slot.startsAt, endsAt: slot.endsAt };
    if (this.#keys.size >= MAX_CACHED_PARTITIONS) this.#keys.clear();
    this.#keys.set(partition, keys);
    return keys;
  }

  rekey(charge: Charge, now: number): Charge {
    const keys = this.keys(charge.partition, now);
    if (keys.committed === charge.key) return charge;
    return {
      ...charge,
      key: keys.committed,
      reservedKey: keys.reserved,
      ttlMs: keys.endsAt === undefined ? undefined : keys.endsAt - now + KEPT_AFTER_PERIOD_MS,
      period: keys.period,
      periodEndsAt: keys.endsAt,
    };
  }

  charges(subject: RuleSubject, amounts: ChargeAmounts, now: number): Charge[] {
    const reserved = reservedAmount(this.#measure, amounts);
    return partitions(this.by, subject, this.#shared).map((partition) => {
      const keys = this.keys(partition, now);
      return {
        rule: this,
        key: keys.committed,
        partition,
        limit: this.limit,
        ttlMs: keys.endsAt === undefined ? undefined : keys.endsAt - now + KEPT_AFTER_PERIOD_MS,
        measure: this.#measure,
        reserved,
        label: this.#label,
        reservedKey: keys.reserved,
        period: keys.period,
        periodEndsAt: keys.endsAt,
      };
    });
  }
}
