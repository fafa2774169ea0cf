import { describe, expect, it } from 'vitest';
import { compilePattern, globToRegExp, patternLiterals } from './pattern.js';
import { seededRandom } from '../cache/vector-random.js';

/** The meaning of a glob, written out plainly: `*` any run of characters, all else literal. */
function globMatches(glob: string, value: string): boolean {
  // can[i][j]: the first i characters of the glob match the first j of the value.
  const can = Array.from({ length: glob.length + 1 }, () => new Array<boolean>(value.length + 1).fill(false));
  (can[0] as boolean[])[0] = true;
  for (let i = 1; i <= glob.length; i++) {
    const row = can[i] as boolean[];
    const above = can[i - 1] as boolean[];
    for (let j = 0; j <= value.length; j++) {
      if (glob[i - 1] === '*') row[j] = (above[j] as boolean) || (j > 0 && (row[j - 1] as boolean));
      else row[j] = j > 0 && glob[i - 1] === value[j - 1] && (above[j - 1] as boolean);
    }
  }
  return (can[glob.length] as boolean[])[value.length] as boolean;
}


describe('globToRegExp', () => {
  it('matches the whole value: `*` is any run of characters, none included', () => {
    const re = globToRegExp('team-*');
    expect(re.test('team-a')).toBe(true);
    expect(re.test('team-')).toBe(true);
    expect(re.test('my-team-a')).toBe(false);
    expect(re.test('team')).toBe(false);
    expect(globToRegExp('*').test('')).toBe(true);
    expect(globToRegExp('a*b*c').test('abc')).toBe(true);
    expect(globToRegExp('a*b*c').test('axxbyyc')).toBe(true);
    expect(globToRegExp('a*b*c').test('acb')).toBe(false);
    expect(globToRegExp('a*a').test('a')).toBe(false);
    expect(globToRegExp('a**b').test('ab')).toBe(true);
  });

  it('takes every other character literally, case included', () => {
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('a.b').test('a.b')).toBe(true);
    expect(globToRegExp('(x)+[y]?{1}|^$\\').test('(x)+[y]?{1}|^$\\')).toBe(true);
    expect(globToRegExp('Team').test('team')).toBe(false);
  });

  it('lets `*` run over line breaks', () => {
    expect(globToRegExp('a*b').test('a\nb')).toBe(true);
  });

  it('agrees with the plain meaning of a glob on random globs and values', () => {
    const random = seededRandom(7);
    const pick = (alphabet: string, length: number) => Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    for (let i = 0; i < 3000; i++) {
      const glob = pick('ab*.', Math.floor(random() * 7));
      const value = pick('ab.', Math.floor(random() * 9));
      expect(globToRegExp(glob).test(value), `${glob} against ${value}`).toBe(globMatches(glob, value));
    }
  });

  it('stays linear on a glob of many stars against a long value that almost matches', () => {
    const value = 'a'.repeat(50_000);
    const started = performance.now();
    expect(globToRegExp('*a*a*a*a*a*a*b').test(value)).toBe(false);
    expect(globToRegExp('a*a*a*a*a*a*a').test(value)).toBe(true);
    expect(performance.now() - started).toBeLessThan(1000);
  });
});

describe('compilePattern', () => {
  it('a string or list: a single value matches when any entry matches it; a missing one never does', () => {
    const pattern = compilePattern(['alice', 'svc-*']);
    expect(pattern.matchesValue('alice')).toBe(true);
    expect(pattern.matchesValue('svc-billing')).toBe(true);
    expect(pattern.matchesValue('bob')).toBe(false);
    expect(pattern.matchesValue('alic')).toBe(false);
    expect(pattern.matchesValue(undefined)).toBe(false);
    expect(compilePattern('alice').matchesValue('alice')).toBe(true);
    expect(compilePattern('alice').matchesValue('Alice')).toBe(false);
  });

  it('`not`: a single value matches when no entry matches it; a missing one always does', () => {
    const pattern = compilePattern({ not: ['alice', 'svc-*'] });
    expect(pattern.matchesValue('bob')).toBe(true);
    expect(pattern.matchesValue('alice')).toBe(false);
    expect(pattern.matchesValue('svc-x')).toBe(false);
    expect(pattern.matchesValue(undefined)).toBe(true);
    expect(compilePattern({ not: 'alice' }).matchesValue('alice')).toBe(false);
  });

  it('a list of values: one matching is enough; `not` needs none to match, and no values is none', () => {
    const pattern = compilePattern(['research', 'ml-*']);
    expect(pattern.matchesSome(['sales', 'ml-infra'])).toBe(true);
    expect(pattern.matchesSome(['sales'])).toBe(false);
    expect(pattern.matchesSome([])).toBe(false);
    expect(pattern.matchesSome(undefined)).toBe(false);
    const not = compilePattern({ not: ['research', 'ml-*'] });
    expect(not.matchesSome(['sales'])).toBe(true);
    expect(not.matchesSome(['sales', 'research'])).toBe(false);
    expect(not.matchesSome([])).toBe(true);
    expect(not.matchesSome(undefined)).toBe(true);
  });

  it('an empty list matches nothing, and `not` of one everything', () => {
    expect(compilePattern([]).matchesValue('x')).toBe(false);
    expect(compilePattern({ not: [] }).matchesValue('x')).toBe(true);
  });
});

describe('patternLiterals', () => {
  it('gives the values of a positive pattern without `*`, and nothing for a glob or `not`', () => {
    expect(patternLiterals('alice')).toEqual(['alice']);
    expect(patternLiterals(['alice', 'bob'])).toEqual(['alice', 'bob']);
    expect(patternLiterals(['alice', 'b*'])).toBeUndefined();
    expect(patternLiterals({ not: 'alice' })).toBeUndefined();
  });
});
