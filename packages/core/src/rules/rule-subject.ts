import type { Principal, RequestMetadata } from '../contract/call-options.js';

/** What a rule is matched against: one call, as much of it as is known when the rule is asked. */
export interface RuleSubject {
  readonly principal: Principal | undefined;
  readonly metadata: RequestMetadata;
  readonly tags: readonly string[];
  /** The model name the caller asked for: a route (e.g. the alias `fast`) or a target. */
  readonly route?: string | undefined;
  /** The target picked, `'<provider>/<model>'`: known only once routing has picked one. */
  readonly model?: string | undefined;
}

/**
 * What routing matches its rules against: the call before a target is picked, so no `model`
 * (routing rules may not constrain it); no `tags` counts as none (picking outside a gateway).
 */
export type RoutingSubject = Omit<RuleSubject, 'model' | 'tags'> & { readonly tags?: readonly string[] | undefined };

/**
 * A metadata value as patterns see it: a string, or a number or boolean as `String(value)`.
 * Anything else is no value, so an inherited property (`constructor`) never counts.
 */
export function metadataValue(subject: Pick<RuleSubject, 'metadata'>, key: string): string | undefined {
  const value: unknown = subject.metadata[key];
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}
