import { RuleIndex } from './rule-index.js';
import { checksMatch, ruleChecks, type FieldCheck, type RuleMatch } from './rule-match.js';
import type { RuleSubject } from './rule-subject.js';

/** One rule of a set: when it applies, and what it stands for (a limit, a budget, an access decision...). */
export interface RuleEntry<T> {
  readonly when: RuleMatch;
  readonly value: T;
}

/**
 * Many rules compiled once, asked which apply to a call. Each rule is filed under the
 * literal values of one of its fields (its principal ids or teams, say; see `RuleIndex`),
 * so a call tests only the rules filed under its own values and those filed under nothing:
 * with many per-principal or per-team rules, a small share. Results keep the order given.
 */
export class RuleSet<T> {
  /** How many rules the set holds. */
  readonly size: number;
  /** Whether any rule constrains `models` (and so can only be decided once a target is picked). */
  readonly usesModel: boolean;
  readonly #values: readonly T[];
  /** Each rule's checks, tested through one function (see `PatternTest`). */
  readonly #checks: ReadonlyArray<readonly FieldCheck[]>;
  readonly #index = new RuleIndex();
  /** Per rule, the stamp of the last call it was a candidate of: a call's candidates once each. */
  readonly #stamps: Uint32Array;
  #stamp = 0;
  /** Room for one call's candidates (no call has more than every rule). */
  readonly #scratch: Uint32Array;

  constructor(entries: Iterable<RuleEntry<T>>) {
    const values: T[] = [];
    const checks: FieldCheck[][] = [];
    let usesModel = false;
    for (const { when, value } of entries) {
      const position = values.length;
      values.push(value);
      checks.push(ruleChecks(when));
      usesModel ||= when.models !== undefined;
      this.#index.add(when, position);
    }
    this.size = values.length;
    this.usesModel = usesModel;
    this.#values = values;
    this.#checks = checks;
    this.#stamps = new Uint32Array(values.length);
    this.#scratch = new Uint32Array(values.length);
  }

  /** The values of every rule that applies to the call, in the order given. */
  matching(subject: RuleSubject): T[] {
    const found: T[] = [];
    this.#scan(subject, found);
    return found;
  }

  /** The value of the first rule (in the order given) that applies to the call. */
  first(subject: RuleSubject): T | undefined {
    const position = this.#scan(subject, undefined);
    return position < 0 ? undefined : this.#values[position];
  }

  /**
   * Tests the call's candidates in position order. With `found`, pushes every match and
   * returns -1; without, returns the first match's position (or -1).
   */
  #scan(subject: RuleSubject, found: T[] | undefined): number {
    const lists = this.#index.candidates(subject);
    const [only] = lists;
    if (lists.length === 1 && only) {
      for (let i = 0; i < only.length; i++) if (this.#test(only[i] as number, subject, found)) return only[i] as number;
      return -1;
    }
    const scratch = this.#scratch;
    const count = this.#gather(lists);
    for (let i = 0; i < count; i++) if (this.#test(scratch[i] as number, subject, found)) return scratch[i] as number;
    return -1;
  }

  /** Whether `first` can stop at this rule: it matches and no list of matches is being filled. */
  #test(position: number, subject: RuleSubject, found: T[] | undefined): boolean {
    if (!checksMatch(this.#checks[position] as readonly FieldCheck[], subject)) return false;
    if (!found) return true;
    found.push(this.#values[position] as T);
    return false;
  }

  /**
   * Several sorted lists as one in `#scratch`, in order, each position once (a rule filed
   * under two of the call's teams is in two lists); returns how many. A stamp per rule marks
   * the ones gathered; a few are sorted in place here, more by the native sort.
   */
  #gather(lists: ReadonlyArray<readonly number[]>): number {
    if (this.#stamp === 0xffffffff) {
      this.#stamps.fill(0);
      this.#stamp = 0;
    }
    const stamp = ++this.#stamp;
    const stamps = this.#stamps;
    const scratch = this.#scratch;
    let count = 0;
    for (const list of lists) {
      for (let i = 0; i < list.length; i++) {
        const position = list[i] as number;
        if (stamps[position] === stamp) continue;
        stamps[position] = stamp;
        scratch[count++] = position;
      }
    }
    if (count > 32) scratch.subarray(0, count).sort();
    else {
      for (let i = 1; i < count; i++) {
        const position = scratch[i] as number;
        let j = i - 1;
        for (; j >= 0 && (scratch[j] as number) > position; j--) scratch[j + 1] = scratch[j] as number;
        scratch[j + 1] = position;
      }
    }
    return count;
  }
}
