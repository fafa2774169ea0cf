// Whose counter a call counts against: the values of a rule's `by` for one call.
import type { RuleSubject } from '../rules/rule-subject.js';
import type { PartitionBy } from './governance-options.js';

const SHARED = ['*'] as const;

/** Partitions whose counter keys a rule keeps made; past it the map starts over (principals may be many). */
export const MAX_CACHED_PARTITIONS = 10_000;

/**
 * The partition values of a call: one per counter it counts against. A principal of several
 * teams (or a call of several tags) counts against each; a call with none counts against the
 * `(none)` counter, so that leaving them out is no way around a limit.
 */
export function partitions(by: PartitionBy, subject: RuleSubject, shared: string | undefined): readonly string[] {
  switch (by) {
    case 'shared':
      return shared === undefined ? SHARED : [shared];
    case 'principal':
      return [subject.principal?.id ?? '(anonymous)'];
    case 'team':
      return nonEmpty(subject.principal?.teams);
    case 'tag':
      return nonEmpty(subject.tags);
    case 'model':
      return [subject.model ?? '(none)'];
    case 'route':
      return [subject.route ?? '(none)'];
  }
}

function nonEmpty(values: readonly string[] | undefined): readonly string[] {
  if (!values || values.length === 0) return ['(none)'];
  return values.length === 1 ? values : [...new Set(values)];
}
