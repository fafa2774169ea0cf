import { describe, expect, it } from 'vitest';
import { ruleMatchSchema } from './rule-match-schema.js';

/** Each problem as `path: message`. */
function problems(value: unknown): string[] {
  const checked = ruleMatchSchema.safeParse(value);
  return checked.success ? [] : checked.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
}

const GLOB = "a non-empty string ('*' matches any run of characters)";
const PATTERN = `${GLOB}, a non-empty list of them, or { not: ... } of either`;

describe('ruleMatchSchema', () => {
  it('accepts every field, in every form, and keeps it as given', () => {
    const when = {
      principals: ['alice', 'svc-*'],
      teams: 'research',
      roles: { not: 'viewer' },
      models: { not: ['openai/*', 'anthropic/claude'] },
      routes: 'fast*',
      tags: ['batch'],
      metadata: { tier: 'gold', region: { not: 'us-*' } },
      principal: 'svc-*',
    };
    expect(ruleMatchSchema.parse(when)).toEqual(when);
    expect(ruleMatchSchema.parse({})).toEqual({});
  });

  it('names a misspelt key with the one probably meant', () => {
    expect(problems({ team: ['a'] })).toEqual([
      ": unknown key 'team' (did you mean 'teams'?); known keys: 'principals', 'teams', 'roles', 'models', 'routes', 'tags', 'metadata', 'principal'",
    ]);
    expect(problems({ model: 'openai/*' })[0]).toContain("unknown key 'model' (did you mean 'models'?)");
  });

  it('refuses what is not an object', () => {
    expect(problems('alice')).toEqual([": must be { principals?, teams?, roles?, models?, routes?, tags?, metadata?, principal? }, got 'alice'"]);
    expect(problems(null)[0]).toContain('got null');
  });

  it('refuses empty globs and empty lists, each at its own path', () => {
    expect(problems({ teams: '' })).toEqual([`teams: must be ${GLOB}, got an empty string (a lone '*' matches anything)`]);
    expect(problems({ teams: [] })).toEqual(['teams: must list at least one glob, got an empty list (it would match no call)']);
    expect(problems({ roles: ['admin', '', 3] })).toEqual([`roles.1: must be ${GLOB}, got an empty string`, `roles.2: must be ${GLOB}, got 3`]);
    expect(problems({ principal: '' })).toEqual([`principal: must be ${GLOB}, got an empty string`]);
  });

  it('refuses a value of the wrong type', () => {
    expect(problems({ tags: 5 })).toEqual([`tags: must be ${PATTERN}, got 5`]);
    expect(problems({ models: null })).toEqual([`models: must be ${PATTERN}, got null`]);
    expect(problems({ principal: ['a'] })).toEqual(["principal: must be a glob on the principal id ('*' matches any run of characters), got a list"]);
  });

  it('checks `not`: only `not`, a glob or a non-empty list of them', () => {
    expect(problems({ teams: { not: [] } })).toEqual(['teams.not: must list at least one glob, got an empty list (it would match every call)']);
    expect(problems({ teams: { not: '' } })).toEqual([`teams.not: must be ${GLOB}, got an empty string (a lone '*' matches anything)`]);
    expect(problems({ teams: { not: 3 } })).toEqual([`teams.not: must be ${GLOB} or a non-empty list of them, got 3`]);
    expect(problems({ teams: { not: 'a', also: 'b' } })).toEqual(["teams: unknown key 'also': { not: ... } takes nothing else"]);
    expect(problems({ teams: { nto: 'a' } })).toEqual(["teams: unknown key 'nto' (did you mean 'not'?); known keys: 'not'"]);
    expect(problems({ teams: {} })).toEqual([`teams: must be ${PATTERN}, got an empty object`]);
  });

  it('checks metadata: an object of non-empty keys, each with a pattern', () => {
    expect(problems({ metadata: 'gold' })).toEqual(["metadata: must be an object of metadata keys, each with a pattern, got 'gold'"]);
    expect(problems({ metadata: { tier: '' } })).toEqual([`metadata.tier: must be ${GLOB}, got an empty string (a lone '*' matches anything)`]);
    expect(problems({ metadata: { tier: { not: [] } } })).toEqual(['metadata.tier.not: must list at least one glob, got an empty list (it would match every call)']);
    expect(problems({ metadata: { '': 'x' } })).toEqual(['metadata: has an empty key: a metadata key must name one the calls set']);
  });
});
