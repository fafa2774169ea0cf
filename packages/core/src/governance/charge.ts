// One counter a call counts against, what it reserved there, and how its real use is measured at the end.
import type { Usage } from '../adapter/usage.js';
import type { RuleSubject } from '../rules/rule-subject.js';

/** What a counter counts: calls, tokens (prompt, completion, both) or USD. */
export type Measure = 'requests' | 'input' | 'output' | 'total' | 'usd';

/** How a rule acts when its counter has no room. */
export type OnRefusal = 'reject' | 'queue' | 'audit' | 'block' | 'downgrade';

/** A compiled limit or budget, as admission sees it. */
export interface GovernedRule {
  readonly name: string;
  readonly kind: 'limit' | 'budget';
  readonly onRefusal: OnRefusal;
  /** `queue`: the longest wait. */
  readonly maxWaitMs: number;
  /** `downgrade`: the route to send the call to instead. */
  readonly downgradeTo: string | undefined;
  /** Decided once a target is picked (`by: 'model'` or `when.models`). */
  readonly perTarget: boolean;
  /** Budgets: the alert thresholds, ascending. */
  readonly alerts: readonly number[];
  readonly unit: 'requests' | 'tokens' | 'usd';
  /** The counters this call counts against, with what it reserves on each. */
  charges(subject: RuleSubject, amounts: ChargeAmounts, now: number): Charge[];
  /**
   * `charge` (one of this rule's) on the counter of the window or period `now` falls in: a
   * queued call that waited into the next window is admitted, and counts, in that window.
   */
  rekey(charge: Charge, now: number): Charge;
}

/** What a call is expected to use, read lazily (only the measures a rule counts). */
export interface ChargeAmounts {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly usd: number;
}

export interface Charge {
  readonly rule: GovernedRule;
  /** The store key of the counter (one per window or period). */
  readonly key: string;
  /** Whose counter, for events and errors: a principal id, a team, `'*'`. */
  readonly partition: string;
  readonly limit: number;
  readonly ttlMs: number | undefined;
  readonly measure: Measure;
  /** What the call reserves on admission; the end settles the difference to its real use. */
  readonly reserved: number;
  /** Rate limits: the length of the fixed window `key` names. */
  readonly windowMs?: number | undefined;
  /** The limit in words, e.g. `'100 requests per minute'`. */
  readonly label: string;
  /** Budgets: the counter of what calls in flight reserved (so that spent = committed − reserved). */
  readonly reservedKey: string | undefined;
  /** Budgets: the period's name and end. */
  readonly period: string | undefined;
  readonly periodEndsAt: number | undefined;
}

/** The amount a measure reserves from a call's estimate. */
export function reservedAmount(measure: Measure, amounts: ChargeAmounts): number {
  switch (measure) {
    case 'requests':
      return 1;
    case 'input':
      return amounts.inputTokens;
    case 'output':
      return amounts.outputTokens;
    case 'total':
      return amounts.inputTokens + amounts.outputTokens;
    case 'usd':
      return amounts.usd;
  }
}

/** What a call really used of a measure (requests are counted once and never settled). */
export function usedAmount(measure: Measure, usage: Usage | undefined, usd: number): number {
  switch (measure) {
    case 'requests':
      return 1;
    case 'input':
      return usage?.inputTokens ?? 0;
    case 'output':
      return usage?.outputTokens ?? 0;
    case 'total':
      return usage ? usage.inputTokens + usage.outputTokens : 0;
    case 'usd':
      return usd;
  }
}
