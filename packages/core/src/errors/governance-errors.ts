// The errors governance raises: a call refused by an access rule, a rate limit, a budget, residency or a revoked scope.
import { brand, GatewayError } from './errors.js';

/** What every governance refusal names: the rule that decided (its `name` in the config). */
export interface GovernanceRefusal {
  /** The rule's name, e.g. `'research-monthly'`; a scope's own rules are named `scope:<id>:<kind>`. */
  readonly rule: string;
}

/** An access rule (or a scope's model list) does not let this caller use this model or route; nothing was sent. */
export class AccessDeniedError extends GatewayError implements GovernanceRefusal {
  override name = 'AccessDeniedError';
  readonly rule: string;
  constructor(rule: string, message: string) {
    super('access_denied', message, false);
    this.rule = rule;
  }
}

/**
 * A rate limit refused the call (or it waited longer than the rule's `maxWaitMs`); nothing was
 * sent. `retryable` when waiting `retryAfterMs` would let the same call through.
 */
export class RateLimitedError extends GatewayError implements GovernanceRefusal {
  override name = 'RateLimitedError';
  readonly rule: string;
  /** The limit that refused, e.g. `'100 requests per minute'`. */
  readonly limit: string;
  /** When the same call would fit again, in ms from now; `undefined` when waiting never helps (the call alone is over the limit). */
  readonly retryAfterMs: number | undefined;
  constructor(rule: string, limit: string, retryAfterMs: number | undefined, message: string) {
    super('rate_limited', message, retryAfterMs !== undefined);
    this.rule = rule;
    this.limit = limit;
    this.retryAfterMs = retryAfterMs;
  }
}

/** A budget has no room for the call; nothing was sent. */
export class BudgetExceededError extends GatewayError implements GovernanceRefusal {
  override name = 'BudgetExceededError';
  readonly rule: string;
  readonly unit: 'usd' | 'tokens';
  /** The budget's limit for the period, in its unit. */
  readonly limit: number;
  /** Spent plus reserved by calls in flight, in its unit, when the call was refused. */
  readonly committed: number;
  /** When the period ends and the budget starts again (epoch ms); `undefined` for a `total` budget. */
  readonly periodEndsAt: number | undefined;
  constructor(rule: string, details: { unit: 'usd' | 'tokens'; limit: number; committed: number; periodEndsAt: number | undefined }, message: string) {
    super('budget_exceeded', message, false);
    this.rule = rule;
    this.unit = details.unit;
    this.limit = details.limit;
    this.committed = details.committed;
    this.periodEndsAt = details.periodEndsAt;
  }
}

/** The call is restricted to regions that no target of its route is in; nothing was sent. */
export class ResidencyError extends GatewayError {
  override name = 'ResidencyError';
  /** The regions the call may go to (every restriction that applied, each a list of globs). */
  readonly allowed: ReadonlyArray<readonly string[]>;
  constructor(allowed: ReadonlyArray<readonly string[]>, message: string) {
    super('no_target_in_region', message, false);
    this.allowed = allowed;
  }
}

/** The scoped client was revoked: it makes no more calls. */
export class ScopeRevokedError extends GatewayError {
  override name = 'ScopeRevokedError';
  readonly scope: string;
  constructor(scope: string) {
    super('scope_revoked', `Scope '${scope}' was revoked; it can make no more calls. Create a new scope with gateway.scope(...) if the caller should have access again.`, false);
    this.scope = scope;
  }
}

brand(AccessDeniedError, 'AccessDeniedError');
brand(RateLimitedError, 'RateLimitedError');
brand(BudgetExceededError, 'BudgetExceededError');
brand(ResidencyError, 'ResidencyError');
brand(ScopeRevokedError, 'ScopeRevokedError');
