import { patternTest, someMatches, valueMatches, type Pattern, type PatternTest } from './pattern.js';
import { metadataValue, type RoutingSubject, type RuleSubject } from './rule-subject.js';

// Routing imports its subject from here.
export type { RoutingSubject, RuleSubject } from './rule-subject.js';

/**
 * The `when` of a rule (routing, access, limits, budgets, ...): which calls it applies to.
 * Every field is optional and every field given must match. Each takes a `Pattern`: a glob,
 * a list of globs, or `{ not: ... }`.
 *
 * For the list-valued fields (`teams`, `roles`, `tags`) a pattern matches when one of the
 * call's values matches it, and `{ not }` when none does (so a call with no teams matches
 * `{ not: [...] }`). For the others a missing value (no principal, no target yet, a metadata
 * key the call does not set) never matches a pattern, and always matches `{ not }`.
 */
export interface RuleMatch {
  /** The principal's id. */
  principals?: Pattern | undefined;
  /** The principal's teams. */
  teams?: Pattern | undefined;
  /** The principal's roles. */
  roles?: Pattern | undefined;
  /** The target picked, `'<provider>/<model>'`. */
  models?: Pattern | undefined;
  /** The model name the caller asked for (a route alias such as `fast`, or a target). */
  routes?: Pattern | undefined;
  /** The call's tags. */
  tags?: Pattern | undefined;
  /** The call's metadata, by key; a value that is not a string is matched as `String(value)`. */
  metadata?: Record<string, Pattern> | undefined;
  /** The older single form of `principals`: one glob on the principal's id (routing configs use it). */
  principal?: string | undefined;
}

export type RuleField = keyof RuleMatch;

/** A rule's `when`, compiled once. */
export interface CompiledRule {
  test(subject: RuleSubject): boolean;
  /** The fields the rule constrains. */
  readonly fields: ReadonlySet<RuleField>;
  /** Whether it constrains `models`: such a rule can only be decided once a target is picked. */
  readonly usesModel: boolean;
}

/** What routing calls to test one of its rules. */
export type Matcher = (subject: RoutingSubject) => boolean;

/** Every subject a compiled rule reads: a routing subject, or a full one with its target. */
type Readable = RoutingSubject & Pick<RuleSubject, 'model'>;

/** The part of the call a field check reads. */
type Source = 'id' | 'route' | 'model' | 'metadata' | 'teams' | 'roles' | 'tags';

/** One field of a rule, compiled: where its value comes from and the pattern it must match. */
export interface FieldCheck extends PatternTest {
  readonly source: Source;
  /** The metadata key, for `metadata`; else empty. */
  readonly key: string;
}

/** Every check made with one shape (the same properties in the same order), so that testing them stays monomorphic. */
function fieldCheck(source: Source, pattern: Pattern, key = ''): FieldCheck {
  const { negated, literals, globs } = patternTest(pattern);
  return { negated, literals, globs, source, key };
}

/** Compiles a rule's fields once, cheapest and most telling first. */
export function ruleChecks(when: RuleMatch): FieldCheck[] {
  const checks: FieldCheck[] = [];
  if (when.principal !== undefined) checks.push(fieldCheck('id', when.principal));
  if (when.principals !== undefined) checks.push(fieldCheck('id', when.principals));
  if (when.routes !== undefined) checks.push(fieldCheck('route', when.routes));
  if (when.models !== undefined) checks.push(fieldCheck('model', when.models));
  if (when.teams !== undefined) checks.push(fieldCheck('teams', when.teams));
  if (when.roles !== undefined) checks.push(fieldCheck('roles', when.roles));
  if (when.tags !== undefined) checks.push(fieldCheck('tags', when.tags));
  for (const [key, pattern] of Object.entries(when.metadata ?? {})) checks.push(fieldCheck('metadata', pattern, key));
  return checks;
}

function fieldMatches(check: FieldCheck, subject: Readable): boolean {
  switch (check.source) {
    case 'id':
      return valueMatches(check, subject.principal?.id);
    case 'route':
      return valueMatches(check, subject.route);
    case 'model':
      return valueMatches(check, subject.model);
    case 'metadata':
      return valueMatches(check, metadataValue(subject, check.key));
    case 'teams':
      return someMatches(check, subject.principal?.teams);
    case 'roles':
      return someMatches(check, subject.principal?.roles);
    case 'tags':
      return someMatches(check, subject.tags);
  }
}

/** Whether every check of a rule matches the call. */
export function checksMatch(checks: readonly FieldCheck[], subject: Readable): boolean {
  for (let i = 0; i < checks.length; i++) if (!fieldMatches(checks[i] as FieldCheck, subject)) return false;
  return true;
}

/** The fields a rule constrains (an empty `metadata` constrains nothing). */
function constrained(when: RuleMatch): Set<RuleField> {
  const fields = new Set<RuleField>();
  for (const field of FIELDS) if (when[field] !== undefined) fields.add(field);
  if (when.metadata !== undefined && Object.keys(when.metadata).length > 0) fields.add('metadata');
  return fields;
}

const FIELDS = ['principals', 'teams', 'roles', 'models', 'routes', 'tags', 'principal'] as const satisfies ReadonlyArray<Exclude<RuleField, 'metadata'>>;

/** Compiles a rule's `when` once, with what it constrains. */
export function compileRule(when: RuleMatch): CompiledRule {
  const checks = ruleChecks(when);
  const fields = constrained(when);
  return { test: (subject) => checksMatch(checks, subject), fields, usesModel: fields.has('models') };
}

/**
 * Compiles a rule's `when` once into its test alone (routing's rules). Routing configs may
 * not set `models` (route-spec refuses it): a routing subject has no target yet.
 */
export function compileMatch(when: RuleMatch): Matcher {
  const checks = ruleChecks(when);
  return (subject) => checksMatch(checks, subject);
}
