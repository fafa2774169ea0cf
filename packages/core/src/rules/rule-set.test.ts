import { describe, expect, it } from 'vitest';
import type { Principal, RequestMetadata } from '../contract/call-options.js';
import type { Pattern } from './pattern.js';
import type { RuleMatch } from './rule-match.js';
import { RuleSet, type RuleEntry } from './rule-set.js';
import type { RuleSubject } from './rule-subject.js';
import { seededRandom } from '../cache/vector-random.js';

function call(principal?: Principal, fields: Partial<RuleSubject> = {}): RuleSubject {
  return { principal, metadata: {}, tags: [], ...fields };
}

describe('RuleSet', () => {
  const entries: Array<RuleEntry<string>> = [
    { when: { principals: 'alice' }, value: 'alice' },
    { when: {}, value: 'everyone' },
    { when: { teams: ['research', 'ml'] }, value: 'research or ml' },
    { when: { principals: ['bob', 'alice'], metadata: { tier: 'gold' } }, value: 'bob or alice, gold' },
    { when: { principals: 'a*' }, value: 'a-glob' },
    { when: { teams: 'ml' }, value: 'ml' },
    { when: { principal: 'alice' }, value: 'older alice' },
    { when: { principals: { not: 'alice' } }, value: 'not alice' },
  ];
  const set = new RuleSet(entries);

  it('gives every matching value in the order given, indexed or not', () => {
    expect(set.matching(call({ id: 'alice', teams: ['research', 'ml'] }))).toEqual(['alice', 'everyone', 'research or ml', 'a-glob', 'ml', 'older alice']);
    expect(set.matching(call({ id: 'alice', teams: ['ml'] }, { metadata: { tier: 'gold' } }))).toEqual([
      'alice',
      'everyone',
      'research or ml',
      'bob or alice, gold',
      'a-glob',
      'ml',
      'older alice',
    ]);
    expect(set.matching(call({ id: 'bob' }, { metadata: { tier: 'gold' } }))).toEqual(['everyone', 'bob or alice, gold', 'not alice']);
    expect(set.matching(call())).toEqual(['everyone', 'not alice']);
  });

  it('tests a rule filed under several of the call’s teams once', () => {
    expect(set.matching(call({ id: 'carol', teams: ['ml', 'research', 'ml'] }))).toEqual(['everyone', 'research or ml', 'ml', 'not alice']);
  });

  it('an indexed rule still needs its other fields to match', () => {
    expect(set.matching(call({ id: 'bob' }, { metadata: { tier: 'silver' } }))).toEqual(['everyone', 'not alice']);
  });

  it('first: the first matching value in the order given', () => {
    expect(set.first(call({ id: 'alice' }))).toBe('alice');
    expect(set.first(call({ id: 'bob' }))).toBe('everyone');
    expect(new RuleSet(entries.slice(2)).first(call({ id: 'carol', teams: ['ml'] }))).toBe('research or ml');
    expect(new RuleSet(entries.slice(2)).first(call({ id: 'alice' }))).toBe('a-glob');
    expect(new RuleSet([{ when: { teams: 'x' }, value: 1 }]).first(call({ id: 'alice' }))).toBeUndefined();
  });

  it('knows its size and whether any rule waits for a target', () => {
    expect(set.size).toBe(entries.length);
    expect(set.usesModel).toBe(false);
    expect(new RuleSet([{ when: { teams: 'x' }, value: 1 }, { when: { models: 'openai/*' }, value: 2 }]).usesModel).toBe(true);
  });

  it('files rules under the other fields too, reading the call as the matcher does', () => {
    const other = new RuleSet([
      { when: { routes: 'fast' }, value: 'route' },
      { when: { models: ['openai/gpt-4.1'] }, value: 'model' },
      { when: { metadata: { priority: '1', tier: 'gold*' } }, value: 'priority 1' },
      { when: { metadata: { constructor: 'x' } }, value: 'inherited' },
      { when: { roles: 'admin' }, value: 'admin' },
      { when: { tags: ['batch', 'eval'] }, value: 'tagged' },
      { when: { teams: { not: 'ml' }, tags: 'batch' }, value: 'batch, not ml' },
    ]);
    // A number, from a caller without types: filed and matched as its string.
    const untyped: RequestMetadata = JSON.parse('{ "priority": 1, "tier": "gold-plus" }');
    expect(other.matching(call(undefined, { route: 'fast', metadata: untyped }))).toEqual(['route', 'priority 1']);
    expect(other.matching(call({ id: 'a', roles: ['admin'] }, { model: 'openai/gpt-4.1', tags: ['eval', 'batch'] }))).toEqual(['model', 'admin', 'tagged', 'batch, not ml']);
    expect(other.matching(call({ id: 'a', teams: ['ml'] }, { tags: ['batch'] }))).toEqual(['tagged']);
    expect(other.matching(call())).toEqual([]);
  });

  it('an empty set matches nothing', () => {
    const empty = new RuleSet<number>([]);
    expect(empty.matching(call({ id: 'alice', teams: ['ml'] }))).toEqual([]);
    expect(empty.first(call())).toBeUndefined();
  });

  it('the same value may stand for several rules', () => {
    const shared = { limit: 5 };
    const twice = new RuleSet([
      { when: { principals: 'alice' }, value: shared },
      { when: { teams: 'ml' }, value: shared },
    ]);
    expect(twice.matching(call({ id: 'alice', teams: ['ml'] }))).toEqual([shared, shared]);
  });
});


/** The semantics, written out plainly (no Sets, no RegExp), as the reference to compare with. */
function globMatches(glob: string, value: string): boolean {
  const [head, ...rest] = glob.split('*');
  if (rest.length === 0) return glob === value;
  if (!value.startsWith(head as string)) return false;
  const tail = rest.pop() as string;
  let at = (head as string).length;
  for (const part of rest) {
    const found = value.indexOf(part, at);
    if (found < 0) return false;
    at = found + part.length;
  }
  return value.length - at >= tail.length && value.endsWith(tail);
}
const entriesOf = (given: string | readonly string[]) => (typeof given === 'string' ? [given] : given);
const isNot = (pattern: Pattern): pattern is { readonly not: string | readonly string[] } => typeof pattern === 'object' && 'not' in pattern;
const anyEntry = (pattern: Pattern, value: string) => entriesOf(isNot(pattern) ? pattern.not : pattern).some((glob) => globMatches(glob, value));
function single(pattern: Pattern | undefined, value: string | undefined): boolean {
  if (pattern === undefined) return true;
  if (isNot(pattern)) return value === undefined || !anyEntry(pattern, value);
  return value !== undefined && anyEntry(pattern, value);
}
function many(pattern: Pattern | undefined, values: readonly string[] | undefined): boolean {
  if (pattern === undefined) return true;
  const some = (values ?? []).some((value) => anyEntry(pattern, value));
  return isNot(pattern) ? !some : some;
}
function reference(when: RuleMatch, subject: RuleSubject): boolean {
  const id = subject.principal?.id;
  return (
    (when.principal === undefined || (id !== undefined && globMatches(when.principal, id))) &&
    single(when.principals, id) &&
    many(when.teams, subject.principal?.teams) &&
    many(when.roles, subject.principal?.roles) &&
    many(when.tags, subject.tags) &&
    single(when.models, subject.model) &&
    single(when.routes, subject.route) &&
    Object.entries(when.metadata ?? {}).every(([key, pattern]) => single(pattern, Object.hasOwn(subject.metadata, key) ? String(subject.metadata[key]) : undefined))
  );
}

describe('RuleSet against brute force', () => {
  it('matching equals filtering every rule, over 1000 random rules and subjects', () => {
    const random = seededRandom(20240611);
    const int = (n: number) => Math.floor(random() * n);
    const chance = (p: number) => random() < p;
    const oneOf = <T>(list: readonly T[]): T => list[int(list.length)] as T;
    const some = <T>(list: readonly T[], max: number): T[] => Array.from({ length: int(max + 1) }, () => oneOf(list));
    const ids = Array.from({ length: 30 }, (_, i) => `user-${i}`).concat(['svc-a', 'svc-b']);
    const teams = ['research', 'ml', 'sales', 'support', 'eng-web', 'eng-api'];
    const roles = ['admin', 'viewer', 'editor'];
    const tags = ['batch', 'eval', 'nightly', 'chat'];
    const models = ['openai/gpt-4.1', 'openai/gpt-4.1-mini', 'anthropic/claude', 'google/gemini'];
    const routes = ['fast', 'smart', 'cheap', 'openai/gpt-4.1'];
    const tiers = ['free', 'pro', 'enterprise', '1', 'true'];

    // Mostly literals (so that the index is used), some globs, some lists, some `not`.
    const pattern = (values: readonly string[]): Pattern => {
      const glob = () => `${oneOf(values).slice(0, 1 + int(3))}*`;
      const entry = () => (chance(0.25) ? glob() : oneOf(values));
      const positive = chance(0.5) ? entry() : Array.from({ length: 1 + int(3) }, entry);
      return chance(0.15) ? { not: positive } : positive;
    };
    const literalList = (values: readonly string[]): Pattern => (chance(0.5) ? oneOf(values) : Array.from({ length: 1 + int(3) }, () => oneOf(values)));
    const rule = (): RuleMatch => {
      const when: RuleMatch = {};
      const kind = int(10);
      if (kind < 4) when.principals = literalList(ids);
      else if (kind < 6) when.teams = literalList(teams);
      else if (kind < 7) when.principal = chance(0.5) ? oneOf(ids) : `${oneOf(ids).slice(0, 4)}*`;
      if (chance(0.2)) when.principals = pattern(ids);
      if (chance(0.2)) when.teams = pattern(teams);
      if (chance(0.15)) when.roles = pattern(roles);
      if (chance(0.15)) when.tags = pattern(tags);
      if (chance(0.1)) when.models = pattern(models);
      if (chance(0.1)) when.routes = pattern(routes);
      if (chance(0.2)) when.metadata = { tier: pattern(tiers), ...(chance(0.3) ? { region: pattern(['eu-west', 'us-east']) } : {}) };
      return when;
    };
    const subject = (): RuleSubject => ({
      principal: chance(0.9) ? { id: oneOf(ids), ...(chance(0.8) ? { teams: some(teams, 3) } : {}), ...(chance(0.7) ? { roles: some(roles, 2) } : {}) } : undefined,
      metadata: chance(0.6) ? { tier: oneOf(tiers), ...(chance(0.4) ? { region: oneOf(['eu-west', 'us-east']) } : {}) } : {},
      tags: some(tags, 2),
      route: chance(0.8) ? oneOf(routes) : undefined,
      model: chance(0.5) ? oneOf(models) : undefined,
    });

    const rules = Array.from({ length: 1000 }, (_, i) => ({ when: rule(), value: i }));
    const set = new RuleSet(rules);
    let matched = 0;
    for (let i = 0; i < 1000; i++) {
      const s = subject();
      const expected = rules.filter((entry) => reference(entry.when, s)).map((entry) => entry.value);
      expect(set.matching(s)).toEqual(expected);
      expect(set.first(s)).toBe(expected[0]);
      matched += expected.length;
    }
    // Not a vacuous check: calls match a fair number of rules.
    expect(matched).toBeGreaterThan(5000);
  });
});
