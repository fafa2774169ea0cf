// The options of `gateway.wrap(client, options)`.
import type { ScopeOptions } from '../governance/scope-policy.js';

export interface WrapOptions {
  /**
   * The configured provider that a model name which is no route goes to, as
   * `'<provider>/<model>'` (default: the provider whose adapter was built on this very client).
   */
  provider?: string | undefined;
  /**
   * Binds every call of the wrapped client to a scope: its principal, teams, tags, metadata,
   * models, limits, budget and regions (docs/governance.md), as `gateway.scope(scope)` does.
   */
  scope?: ScopeOptions | undefined;
}
