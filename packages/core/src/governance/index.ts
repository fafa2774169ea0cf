// governance/: access rules, rate limits, budgets, residency and scopes (docs/governance.md); a request middleware and a target gate.
export { Governance, SCOPE, type GovernanceDeps } from './governance.js';
export { governanceOptionsSchema, downgradeRoutes, type AccessOptions, type AccessRule, type BudgetRule, type GovernanceOptions, type LimitRule, type LimitWindows, type PartitionBy, type ResidencyRule, type TokenLimitWindows } from './governance-options.js';
export { ScopePolicy, type ScopeBudget, type ScopeLimits, type ScopeOptions } from './scope-policy.js';
export { readBudget, type BudgetState } from './budget-reader.js';
export type { BudgetPeriod } from './budget-period.js';
