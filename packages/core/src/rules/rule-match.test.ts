import { describe, expect, it } from 'vitest';
import type { Principal, RequestMetadata } from '../contract/call-options.js';
import { compileMatch, compileRule, type RuleMatch } from './rule-match.js';
import type { RuleSubject } from './rule-subject.js';

const alice: Principal = { id: 'alice', teams: ['research', 'ml-infra'], roles: ['admin'] };

function call(fields: { principal?: Principal; metadata?: RequestMetadata; tags?: string[]; route?: string; model?: string } = {}): RuleSubject {
  return { principal: fields.principal, metadata: fields.metadata ?? {}, tags: fields.tags ?? [], route: fields.route, model: fields.model };
}

const matches = (when: RuleMatch, subject: RuleSubject) => compileRule(when).test(subject);

describe('compileRule', () => {
  it('an empty `when` matches every call, even one without a principal', () => {
    expect(matches({}, call())).toBe(true);
    expect(matches({}, call({ principal: alice }))).toBe(true);
  });

  describe('principals (single-valued: the principal id)', () => {
    it('a literal, a glob, a list of either', () => {
      expect(matches({ principals: 'alice' }, call({ principal: alice }))).toBe(true);
      expect(matches({ principals: 'bob' }, call({ principal: alice }))).toBe(false);
      expect(matches({ principals: 'al*' }, call({ principal: alice }))).toBe(true);
      expect(matches({ principals: '*ce' }, call({ principal: alice }))).toBe(true);
      expect(matches({ principals: 'a*b' }, call({ principal: alice }))).toBe(false);
      expect(matches({ principals: ['bob', 'svc-*', 'alice'] }, call({ principal: alice }))).toBe(true);
      expect(matches({ principals: ['bob', 'svc-*'] }, call({ principal: alice }))).toBe(false);
    });

    it('is case-sensitive and takes regex characters literally', () => {
      expect(matches({ principals: 'Alice' }, call({ principal: alice }))).toBe(false);
      expect(matches({ principals: 'al.ce' }, call({ principal: alice }))).toBe(false);
      expect(matches({ principals: 'svc.a' }, call({ principal: { id: 'svc.a' } }))).toBe(true);
    });

    it('no principal never matches a pattern (not even `*`) and always matches `not`', () => {
      expect(matches({ principals: '*' }, call())).toBe(false);
      expect(matches({ principals: { not: 'alice' } }, call())).toBe(true);
      expect(matches({ principals: { not: ['alice', 'svc-*'] } }, call({ principal: alice }))).toBe(false);
      expect(matches({ principals: { not: ['bob', 'svc-*'] } }, call({ principal: alice }))).toBe(true);
      expect(matches({ principals: { not: 'a*' } }, call({ principal: alice }))).toBe(false);
    });
  });

  describe('principal (the older single form of principals)', () => {
    it('is one glob on the principal id', () => {
      expect(matches({ principal: 'alice' }, call({ principal: alice }))).toBe(true);
      expect(matches({ principal: 'svc-*' }, call({ principal: { id: 'svc-billing' } }))).toBe(true);
      expect(matches({ principal: 'svc-*' }, call({ principal: alice }))).toBe(false);
      expect(matches({ principal: '*' }, call())).toBe(false);
    });

    it('given with principals, both must match', () => {
      expect(matches({ principal: 'a*', principals: 'alice' }, call({ principal: alice }))).toBe(true);
      expect(matches({ principal: 'a*', principals: { not: 'alice' } }, call({ principal: alice }))).toBe(false);
    });
  });

  describe('teams and roles (list-valued: one of the principal’s values is enough)', () => {
    it('a positive pattern needs one of the values to match', () => {
      expect(matches({ teams: 'research' }, call({ principal: alice }))).toBe(true);
      expect(matches({ teams: 'ml-*' }, call({ principal: alice }))).toBe(true);
      expect(matches({ teams: ['sales', 'ml-infra'] }, call({ principal: alice }))).toBe(true);
      expect(matches({ teams: ['sales', 'support*'] }, call({ principal: alice }))).toBe(false);
      expect(matches({ roles: 'admin' }, call({ principal: alice }))).toBe(true);
      expect(matches({ roles: ['viewer', 'ad*'] }, call({ principal: alice }))).toBe(true);
      expect(matches({ roles: 'viewer' }, call({ principal: alice }))).toBe(false);
    });

    it('no principal, or one without teams or roles, matches no positive pattern', () => {
      expect(matches({ teams: '*' }, call())).toBe(false);
      expect(matches({ teams: '*' }, call({ principal: { id: 'bob' } }))).toBe(false);
      expect(matches({ teams: '*' }, call({ principal: { id: 'bob', teams: [] } }))).toBe(false);
      expect(matches({ roles: '*' }, call({ principal: { id: 'bob', teams: ['research'] } }))).toBe(false);
    });

    it('`not` matches when none of the values matches, so also when there are none', () => {
      expect(matches({ teams: { not: 'sales' } }, call({ principal: alice }))).toBe(true);
      expect(matches({ teams: { not: 'research' } }, call({ principal: alice }))).toBe(false);
      expect(matches({ teams: { not: ['sales', 'ml-*'] } }, call({ principal: alice }))).toBe(false);
      expect(matches({ teams: { not: ['sales'] } }, call())).toBe(true);
      expect(matches({ teams: { not: ['sales'] } }, call({ principal: { id: 'bob' } }))).toBe(true);
      expect(matches({ roles: { not: 'admin' } }, call({ principal: alice }))).toBe(false);
      expect(matches({ roles: { not: 'admin' } }, call({ principal: { id: 'bob', roles: ['viewer'] } }))).toBe(true);
    });
  });

  describe('tags (list-valued: the call’s tags)', () => {
    it('one tag matching is enough; `not` needs none', () => {
      expect(matches({ tags: 'batch' }, call({ tags: ['nightly', 'batch'] }))).toBe(true);
      expect(matches({ tags: 'eval-*' }, call({ tags: ['eval-2024'] }))).toBe(true);
      expect(matches({ tags: 'batch' }, call({ tags: ['interactive'] }))).toBe(false);
      expect(matches({ tags: 'batch' }, call())).toBe(false);
      expect(matches({ tags: { not: 'batch' } }, call())).toBe(true);
      expect(matches({ tags: { not: 'batch' } }, call({ tags: ['interactive', 'batch'] }))).toBe(false);
    });
  });

  describe('models and routes (single-valued)', () => {
    it('models: the target picked; none yet matches no pattern, every `not`', () => {
      expect(matches({ models: 'openai/*' }, call({ model: 'openai/gpt-4.1' }))).toBe(true);
      expect(matches({ models: ['anthropic/*', 'openai/gpt-4.1'] }, call({ model: 'openai/gpt-4.1' }))).toBe(true);
      expect(matches({ models: 'openai/*' }, call({ model: 'anthropic/claude' }))).toBe(false);
      expect(matches({ models: '*' }, call())).toBe(false);
      expect(matches({ models: { not: 'openai/*' } }, call())).toBe(true);
      expect(matches({ models: { not: 'openai/*' } }, call({ model: 'openai/gpt-4.1' }))).toBe(false);
    });

    it('routes: the name asked for', () => {
      expect(matches({ routes: 'fast' }, call({ route: 'fast' }))).toBe(true);
      expect(matches({ routes: ['smart', 'fast*'] }, call({ route: 'fast-eu' }))).toBe(true);
      expect(matches({ routes: 'fast' }, call({ route: 'smart' }))).toBe(false);
      expect(matches({ routes: 'fast' }, call())).toBe(false);
      expect(matches({ routes: { not: 'fast' } }, call())).toBe(true);
      expect(matches({ routes: { not: 'fast' } }, call({ route: 'fast' }))).toBe(false);
    });
  });

  describe('metadata (each key given, single-valued)', () => {
    it('each key must match the value at that key', () => {
      expect(matches({ metadata: { tier: 'gold' } }, call({ metadata: { tier: 'gold' } }))).toBe(true);
      expect(matches({ metadata: { tier: 'gold*' } }, call({ metadata: { tier: 'gold-plus' } }))).toBe(true);
      expect(matches({ metadata: { tier: ['silver', 'gold'] } }, call({ metadata: { tier: 'gold' } }))).toBe(true);
      expect(matches({ metadata: { tier: 'gold' } }, call({ metadata: { tier: 'silver' } }))).toBe(false);
      expect(matches({ metadata: { tier: 'gold', region: 'eu-*' } }, call({ metadata: { tier: 'gold', region: 'us-east' } }))).toBe(false);
      expect(matches({ metadata: { tier: 'gold', region: 'eu-*' } }, call({ metadata: { tier: 'gold', region: 'eu-west' } }))).toBe(true);
    });

    it('numbers and booleans (from a caller without types) are matched as their strings', () => {
      const untyped: RequestMetadata = JSON.parse('{ "priority": 1, "beta": true, "off": false }');
      expect(matches({ metadata: { priority: '1' } }, call({ metadata: untyped }))).toBe(true);
      expect(matches({ metadata: { beta: 'true' } }, call({ metadata: untyped }))).toBe(true);
      expect(matches({ metadata: { off: { not: 'true' } } }, call({ metadata: untyped }))).toBe(true);
      expect(matches({ metadata: { off: 'true' } }, call({ metadata: untyped }))).toBe(false);
    });

    it('an absent key never matches a pattern and always matches `not`; inherited properties are absent', () => {
      expect(matches({ metadata: { tier: '*' } }, call())).toBe(false);
      expect(matches({ metadata: { tier: { not: 'free' } } }, call())).toBe(true);
      expect(matches({ metadata: { tier: { not: 'free' } } }, call({ metadata: { tier: 'free' } }))).toBe(false);
      expect(matches({ metadata: { constructor: '*' } }, call())).toBe(false);
      expect(matches({ metadata: { toString: { not: 'x' } } }, call())).toBe(true);
    });

    it('an empty metadata object constrains nothing', () => {
      expect(matches({ metadata: {} }, call())).toBe(true);
    });
  });

  it('every field given must match', () => {
    const when: RuleMatch = { principals: 'a*', teams: 'research', roles: { not: 'viewer' }, tags: 'batch', routes: 'fast', models: 'openai/*', metadata: { tier: 'gold' } };
    const full = { principal: alice, tags: ['batch'], route: 'fast', model: 'openai/gpt-4.1', metadata: { tier: 'gold' } };
    expect(matches(when, call(full))).toBe(true);
    expect(matches(when, call({ ...full, principal: { ...alice, id: 'bob' } }))).toBe(false);
    expect(matches(when, call({ ...full, principal: { ...alice, teams: ['sales'] } }))).toBe(false);
    expect(matches(when, call({ ...full, principal: { ...alice, roles: ['viewer'] } }))).toBe(false);
    expect(matches(when, call({ ...full, tags: [] }))).toBe(false);
    expect(matches(when, call({ ...full, route: 'smart' }))).toBe(false);
    expect(matches(when, call({ ...full, model: 'anthropic/claude' }))).toBe(false);
    expect(matches(when, call({ ...full, metadata: { tier: 'free' } }))).toBe(false);
  });

  it('says which fields a rule constrains, and whether it waits for a target', () => {
    expect(compileRule({}).fields).toEqual(new Set());
    expect(compileRule({ principals: 'a', metadata: { tier: 'x' }, teams: undefined }).fields).toEqual(new Set(['principals', 'metadata']));
    expect(compileRule({ metadata: {} }).fields).toEqual(new Set());
    expect(compileRule({ teams: 'a' }).usesModel).toBe(false);
    expect(compileRule({ models: { not: 'openai/*' } }).usesModel).toBe(true);
  });
});

describe('compileMatch (routing)', () => {
  it('matches a routing subject, which may have no tags', () => {
    expect(compileMatch({ metadata: { tier: 'pro*' } })({ principal: undefined, metadata: { tier: 'pro-1' } })).toBe(true);
    expect(compileMatch({ principal: 'svc-*' })({ principal: { id: 'svc-a' }, metadata: {} })).toBe(true);
    expect(compileMatch({ tags: 'batch' })({ principal: undefined, metadata: {} })).toBe(false);
    expect(compileMatch({ tags: { not: 'batch' } })({ principal: undefined, metadata: {} })).toBe(true);
    expect(compileMatch({ routes: 'fast' })({ principal: undefined, metadata: {}, route: 'fast' })).toBe(true);
  });
});
