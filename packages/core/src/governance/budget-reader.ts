// `gateway.budgets`: how each budget stands, read from the store, for a platform team's own dashboards.
import type { Store } from '../store/store.js';
import type { BudgetPolicy } from './budget-policy.js';

/** How one budget's counter stands in the current period. */
export interface BudgetState {
  readonly rule: string;
  /** Whose counter: a principal id, team, tag, model or route, or `'*'` for a shared budget. */
  readonly key: string;
  readonly unit: 'usd' | 'tokens';
  readonly limit: number;
  /** What ended calls spent in the period. */
  readonly spent: number;
  /** What calls in flight have reserved and not yet settled. */
  readonly reserved: number;
  /** `limit − spent − reserved`, never below 0: what a new call can still reserve. */
  readonly remaining: number;
  /** The period's name: `'2026-12-02'`, `'2026-W49'`, `'2026-12'` or `'total'`. */
  readonly period: string;
  /** Epoch ms; absent for `total`. */
  readonly periodStartsAt: number | undefined;
  readonly periodEndsAt: number | undefined;
}

/** Reads a budget's counters for one partition, in the period `now` falls in. */
export async function readBudget(policy: BudgetPolicy, store: Store, key: string, now: number): Promise<BudgetState> {
  const keys = policy.keys(key, now);
  const [committed, reserved] = await Promise.all([store.readCounter(keys.committed), store.readCounter(keys.reserved)]);
  const reservedValue = Math.max(0, reserved?.value ?? 0);
  const spent = Math.max(0, (committed?.value ?? 0) - reservedValue);
  return {
    rule: policy.name,
    key,
    unit: policy.unit,
    limit: policy.limit,
    spent,
    reserved: reservedValue,
    remaining: Math.max(0, policy.limit - spent - reservedValue),
    period: keys.period,
    periodStartsAt: keys.startsAt,
    periodEndsAt: keys.endsAt,
  };
}
