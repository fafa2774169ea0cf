// Wording for option and config problems: what was expected, the key probably meant, unknown keys.
import { editDistance } from './edit-distance.js';
import { quoted } from './excerpt.js';

/** A value as an option or config error quotes it: a string in quotes (cut short), a number as itself, anything else by kind. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quoted(value, 60);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return 'an object';
}

const normalisedName = (name: string) => name.toLowerCase().replace(/[-_\s]/g, '');

/**
 * The known name `name` most likely meant, if one is close enough: the same but for case,
 * `-`, `_` or a plural `s`, or at most one edit away (two for names of 6 characters or more),
 * also from the end of a longer name (`threshold` for `failureRateThreshold`).
 */
export function closestName(name: string, known: Iterable<string>): string | undefined {
  const wanted = normalisedName(name);
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const other = normalisedName(candidate);
    let distance = other === wanted || other === wanted.replace(/s$/, '') || `${other}s` === wanted ? 0 : editDistance(wanted, other);
    // Half a name, misspelt or not: one edit more than the end of the name it is part of.
    if (wanted.length >= 5 && other.length > wanted.length + 1) distance = Math.min(distance, editDistance(wanted, other.slice(-wanted.length)) + 1);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  const allowed = Math.min(wanted.length, best?.length ?? 0) >= 6 ? 2 : 1;
  return best !== undefined && bestDistance <= allowed ? best : undefined;
}

/** `unknown key 'fallbacks' (did you mean 'fallback'?)`, for each key, then the known keys (if any are given). */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[]): string {
  const each = keys.map((key) => {
    const closest = closestName(key, known);
    return `${quoted(key, 60)}${closest === undefined ? '' : ` (did you mean '${closest}'?)`}`;
  });
  const head = `unknown key${keys.length === 1 ? '' : 's'} ${each.join(', ')}`;
  return known.length === 0 ? head : `${head}; known keys: ${known.map((key) => `'${key}'`).join(', ')}`;
}

/** The part of a schema issue (zod's, while it is being reported) that the messages below read. */
export interface IssueInput {
  readonly code?: string | undefined;
  readonly input?: unknown;
  readonly keys?: readonly string[] | undefined;
}

/** A schema's error option: every failure says `must be <expected>, got <the value>`. */
export function mustBe(expected: string): { error: (issue: IssueInput) => string } {
  return { error: (issue) => `must be ${expected}, got ${describeValue(issue.input)}` };
}

/**
 * A strict object schema's error option: an unknown key is named with the closest known
 * one (`unknown key 'fallbacks' (did you mean 'fallback'?); known keys: ...`), a value that
 * is no object says so; other problems keep the field's own message.
 */
export function objectErrors(shape: object, what = 'an object'): { error: (issue: IssueInput) => string | undefined } {
  const known = Object.keys(shape);
  return {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys' && issue.keys) return unknownKeysMessage(issue.keys, known);
      if (issue.code === 'invalid_type') return `must be ${what}, got ${describeValue(issue.input)}`;
      return undefined;
    },
  };
}

/** An option problem as a schema reports it. */
export interface OptionIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The `RangeError` a primitive (circuit breaker, token bucket, latency tracker, key pool)
 * throws at construction for options its schema refuses: the first problem, worded as the
 * gateway config words it, e.g. ``Switchyard: circuit breaker `windowMs` must be a finite number > 0, got 0.``
 */
export function invalidOptionsError(component: string, issues: readonly OptionIssue[]): RangeError {
  const issue = issues[0];
  if (!issue) return new RangeError(`Switchyard: invalid ${component} options.`);
  const where = issue.path.length === 0 ? 'options:' : `\`${issue.path.map(String).join('.')}\``;
  return new RangeError(`Switchyard: ${component} ${where} ${issue.message}.`);
}
