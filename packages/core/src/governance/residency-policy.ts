// Residency: the regions a call may be served in, from its options, its scope and the residency rules that match it.
import { ResidencyError } from '../errors/governance-errors.js';
import { compilePattern, type CompiledPattern } from '../rules/pattern.js';
import { RuleSet } from '../rules/rule-set.js';
import type { RuleSubject } from '../rules/rule-subject.js';
import type { ResidencyRule } from './governance-options.js';

/** One restriction on a call: region globs, and who set it (a rule, the scope, the call). */
export interface RegionRestriction {
  readonly source: string;
  readonly regions: readonly string[];
  readonly pattern: CompiledPattern;
}

/** Compiles a list of region globs (a call's own options are compiled per call; rules and scopes once). */
export function regionRestriction(source: string, regions: readonly string[]): RegionRestriction {
  return { source, regions, pattern: compilePattern(regions) };
}

/** Residency rules compiled once. */
export class ResidencyPolicy {
  readonly #rules: RuleSet<RegionRestriction>;

  constructor(rules: readonly ResidencyRule[] | undefined) {
    this.#rules = new RuleSet((rules ?? []).map((rule) => ({ when: rule.when ?? {}, value: regionRestriction(`residency rule '${rule.name}'`, rule.regions) })));
  }

  /** The residency rules that apply to a call (a rule on `models` is meaningless here and matches no call without a target). */
  restrictions(subject: RuleSubject): readonly RegionRestriction[] {
    return this.#rules.size === 0 ? [] : this.#rules.matching(subject);
  }
}

/** Whether a target in `region` satisfies every restriction; a target with no region satisfies none. */
export function inRegions(region: string | undefined, restrictions: readonly RegionRestriction[]): boolean {
  for (const restriction of restrictions) if (region === undefined || !restriction.pattern.matchesValue(region)) return false;
  return true;
}

export function residencyError(route: string, restrictions: readonly RegionRestriction[]): ResidencyError {
  const each = restrictions.map((restriction) => `${restriction.source}: ${restriction.regions.join(', ')}`).join('; ');
  return new ResidencyError(
    restrictions.map((restriction) => restriction.regions),
    `No target of route '${route}' is in a region this call may use (${each}); nothing was sent. Give the targets a \`region\` (config \`regions\` or a route's \`region\`) or route the call to one that qualifies.`,
  );
}
