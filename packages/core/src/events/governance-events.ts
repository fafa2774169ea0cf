// The events governance emits: refusals by access rules, rate limits, budgets and residency, and budget alerts.
import type { SerializedError } from '../errors/errors.js';

interface GovernanceEventBase {
  readonly requestId: string;
  readonly timestamp: number;
  /** The rule that decided, by its config `name` (a scope's own: `scope:<id>:limits` / `scope:<id>:budget` / `scope:<id>:models`). */
  readonly rule: string;
}

/** An access rule (or a scope's model list) refused the call, or one target of its route. */
export interface AccessDeniedEvent extends GovernanceEventBase {
  readonly type: 'access.denied';
  readonly route: string;
  /** The target refused, when the rule refused one target (`'<provider>/<model>'`); absent when it refused the call. */
  readonly target?: string;
}

/**
 * A rate limit had no room for the call. `reject`: refused; `queue`: the call waits for room
 * (up to the rule's `maxWaitMs`), and a second event with `reject` follows if it gives up;
 * `audit`: the rule is audit-only and let it through.
 */
export interface LimitExceededEvent extends GovernanceEventBase {
  readonly type: 'limit.exceeded';
  readonly action: 'reject' | 'queue' | 'audit';
  /** The limit, e.g. `'100 requests per minute'`. */
  readonly limit: string;
  /** Whose counter: the principal id, team, or `'*'` for a shared one. */
  readonly key: string;
  readonly retryAfterMs: number | undefined;
}

/** A budget had no room for the call. `block`: refused; `downgrade`: sent to `downgradeTo` instead; `audit`: let through. */
export interface BudgetExceededEvent extends GovernanceEventBase {
  readonly type: 'budget.exceeded';
  readonly action: 'block' | 'downgrade' | 'audit';
  readonly key: string;
  readonly unit: 'usd' | 'tokens';
  readonly limit: number;
  /** Spent plus reserved by calls in flight. */
  readonly committed: number;
  readonly downgradeTo?: string;
}

/** A budget's spending passed one of its alert thresholds (once per threshold and period). */
export interface BudgetThresholdEvent extends GovernanceEventBase {
  readonly type: 'budget.threshold';
  readonly key: string;
  /** The threshold passed, a fraction of the limit (0.8 = 80 %). */
  readonly threshold: number;
  readonly unit: 'usd' | 'tokens';
  readonly limit: number;
  readonly spent: number;
  /** The period, e.g. `'2026-12'`, `'2026-W49'`, `'total'`. */
  readonly period: string;
}

/** No target of the call's route is in a region the call may use. */
export interface ResidencyDeniedEvent {
  readonly type: 'residency.denied';
  readonly requestId: string;
  readonly timestamp: number;
  readonly route: string;
  /** Each restriction that applied, as its list of region globs. */
  readonly allowed: ReadonlyArray<readonly string[]>;
  readonly error: SerializedError;
}

export type GovernanceEvent = AccessDeniedEvent | LimitExceededEvent | BudgetExceededEvent | BudgetThresholdEvent | ResidencyDeniedEvent;
