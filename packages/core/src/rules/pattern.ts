/**
 * A pattern a rule field takes: a glob, a list of globs (any one matching is enough), or
 * `{ not: ... }` (matches when none does). In a glob `*` matches any run of characters
 * (none included); everything else is literal and case-sensitive.
 */
export type Pattern = string | readonly string[] | { readonly not: string | readonly string[] };

/** A pattern compiled once, as functions. */
export interface CompiledPattern {
  /** For a single-valued field (principal id, model, route, a metadata value): a missing value never matches, except `not`. */
  matchesValue(value: string | undefined): boolean;
  /** For a list-valued field (teams, roles, tags): one matching value is enough; `not`, none may match. */
  matchesSome(values: readonly string[] | undefined): boolean;
}

/**
 * A pattern compiled once, as data: the literal entries in a Set, the globs in one RegExp.
 * A rule set tests many of these per call through the same few functions (one shape, no
 * closure per pattern): in V8 about a fifth faster than as many distinct closures.
 */
export interface PatternTest {
  readonly negated: boolean;
  readonly literals: ReadonlySet<string>;
  readonly globs: RegExp | undefined;
}

const escape = (text: string) => text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');

/**
 * The RegExp source of one glob, unanchored, its capture groups numbered from `group + 1`.
 * A middle part is found at its first place and kept there (lookahead, then a backreference:
 * no backtracking into it), which never loses a match when the only wildcard is `*` and
 * keeps matching linear: `a*b*c*d` against a long caller-supplied value cannot blow up.
 */
function globSource(glob: string, group: number): { source: string; groups: number } {
  const parts = glob.split('*');
  if (parts.length === 1) return { source: escape(glob), groups: 0 };
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1).filter((part) => part.length > 0);
  const kept = middle.map((part, i) => `(?=(.*?${escape(part)}))\\${group + i + 1}`).join('');
  return { source: `${escape(first)}${kept}.*${escape(last)}`, groups: middle.length };
}

/** Several globs as one anchored RegExp: matches when any of them matches the whole value. */
function globsToRegExp(globs: readonly string[]): RegExp {
  let groups = 0;
  const sources = globs.map((glob) => {
    const compiled = globSource(glob, groups);
    groups += compiled.groups;
    return compiled.source;
  });
  // `s`: `*` matches line breaks too.
  return new RegExp(`^(?:${sources.join('|')})$`, 's');
}

/** `*` matches any run of characters; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  return globsToRegExp([glob]);
}

const isNot = (pattern: Pattern): pattern is { readonly not: string | readonly string[] } => typeof pattern === 'object' && 'not' in pattern;
const entriesOf = (given: string | readonly string[]): readonly string[] => (typeof given === 'string' ? [given] : given);

/**
 * The only values a pattern can match, when it is positive and has no `*` (what a rule set
 * indexes rules by); `undefined` for a `not` pattern or one with a glob.
 */
export function patternLiterals(pattern: Pattern): readonly string[] | undefined {
  if (isNot(pattern)) return undefined;
  const entries = entriesOf(pattern);
  return entries.some((entry) => entry.includes('*')) ? undefined : entries;
}

/** Compiles a pattern once, as data (see `PatternTest`). */
export function patternTest(pattern: Pattern): PatternTest {
  const negated = isNot(pattern);
  const entries = entriesOf(negated ? pattern.not : pattern);
  const globs = entries.filter((entry) => entry.includes('*'));
  return {
    negated,
    literals: new Set(entries.filter((entry) => !entry.includes('*'))),
    globs: globs.length === 0 ? undefined : globsToRegExp(globs),
  };
}

/** Whether a value matches one of the pattern's entries, `not` aside. */
function hits(test: PatternTest, value: string): boolean {
  return test.literals.has(value) || (test.globs !== undefined && test.globs.test(value));
}

/** A single value: a missing one never matches, except `not`. */
export function valueMatches(test: PatternTest, value: string | undefined): boolean {
  if (value === undefined) return test.negated;
  return hits(test, value) !== test.negated;
}

/** A list of values: one matching is enough; for `not`, none may match (so no values match it). */
export function someMatches(test: PatternTest, values: readonly string[] | undefined): boolean {
  if (values !== undefined) {
    for (let i = 0; i < values.length; i++) if (hits(test, values[i] as string)) return !test.negated;
  }
  return test.negated;
}

export function compilePattern(pattern: Pattern): CompiledPattern {
  const test = patternTest(pattern);
  return { matchesValue: (value) => valueMatches(test, value), matchesSome: (values) => someMatches(test, values) };
}
