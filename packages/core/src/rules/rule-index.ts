import { patternLiterals, type Pattern } from './pattern.js';
import type { RuleMatch } from './rule-match.js';
import { metadataValue, type RuleSubject } from './rule-subject.js';

/** One field rules are filed under: where a call's values for it come from, and the rules by value. */
interface Dimension {
  readonly read: (subject: RuleSubject) => string | readonly string[] | undefined;
  readonly byValue: Map<string, number[]>;
}

type Field = 'principal' | 'teams' | 'routes' | 'models' | 'roles' | 'tags';

const READERS: Record<Field, Dimension['read']> = {
  principal: (subject) => subject.principal?.id,
  teams: (subject) => subject.principal?.teams,
  routes: (subject) => subject.route,
  models: (subject) => subject.model,
  roles: (subject) => subject.principal?.roles,
  tags: (subject) => subject.tags,
};

const literalsOf = (pattern: Pattern | undefined) => (pattern === undefined ? undefined : patternLiterals(pattern));

interface Filing {
  readonly dimension: string;
  readonly read: Dimension['read'];
  readonly values: readonly string[];
}

/**
 * The fields of a rule that only some literal values can match, with those values: the rule
 * can apply to no call without one of them, since every field must match.
 */
function filings(when: RuleMatch): Filing[] {
  const found: Filing[] = [];
  const principal = literalsOf(when.principals) ?? literalsOf(when.principal);
  if (principal) found.push({ dimension: 'principal', read: READERS.principal, values: principal });
  for (const field of ['teams', 'routes', 'models', 'tags', 'roles'] as const) {
    const values = literalsOf(when[field]);
    if (values) found.push({ dimension: field, read: READERS[field], values });
  }
  for (const [key, pattern] of Object.entries(when.metadata ?? {})) {
    const values = literalsOf(pattern);
    if (values) found.push({ dimension: `metadata.${key}`, read: (subject) => metadataValue(subject, key), values });
  }
  return found;
}

/**
 * Rules by position, each filed under the literal values of one of its fields, or under
 * nothing (tested for every call). Positions must be added in ascending order, so that
 * every list stays sorted.
 */
export class RuleIndex {
  readonly #dimensions = new Map<string, Dimension>();
  /** The dimensions as a list, for the per-call walk. */
  #walk: Dimension[] = [];
  readonly #unindexed: number[] = [];

  add(when: RuleMatch, position: number): void {
    const filed = this.#choose(filings(when));
    if (!filed) {
      this.#unindexed.push(position);
      return;
    }
    let dimension = this.#dimensions.get(filed.dimension);
    if (!dimension) {
      dimension = { read: filed.read, byValue: new Map() };
      this.#dimensions.set(filed.dimension, dimension);
      this.#walk = [...this.#dimensions.values()];
    }
    for (const value of new Set(filed.values)) {
      const bucket = dimension.byValue.get(value);
      if (bucket) bucket.push(position);
      else dimension.byValue.set(value, [position]);
    }
  }

  /**
   * Where to file a rule: under its principal ids if it names them (a call has one id, of
   * many); else under the field whose values hold the fewest rules so far, since every call
   * with one of them tests them all (`roles: 'admin'` shared by many rules, `tags` by few).
   */
  #choose(options: readonly Filing[]): Filing | undefined {
    const [first] = options;
    if (first === undefined || first.dimension === 'principal') return first;
    let best = first;
    let fewest = Number.POSITIVE_INFINITY;
    for (const option of options) {
      const byValue = this.#dimensions.get(option.dimension)?.byValue;
      let filed = 0;
      for (const value of option.values) filed += byValue?.get(value)?.length ?? 0;
      if (filed < fewest) [best, fewest] = [option, filed];
    }
    return best;
  }

  /** The sorted position lists a call's matches can come from (a position may be in several). */
  candidates(subject: RuleSubject): Array<readonly number[]> {
    const lists: Array<readonly number[]> = this.#unindexed.length > 0 ? [this.#unindexed] : [];
    for (const { read, byValue } of this.#walk) {
      const values = read(subject);
      if (values === undefined) continue;
      if (typeof values === 'string') {
        const bucket = byValue.get(values);
        if (bucket) lists.push(bucket);
        continue;
      }
      for (const value of values) {
        const bucket = byValue.get(value);
        if (bucket) lists.push(bucket);
      }
    }
    return lists;
  }
}
