import type { Principal, RequestMetadata } from '../contract/call-options.js';

/** Who a rule applies to; every field given must match. String values may use `*` as a wildcard. */
export interface RuleMatch {
  metadata?: Record<string, string> | undefined;
  principal?: string | undefined;
  teams?: string[] | undefined;
  roles?: string[] | undefined;
}

/** What a routing rule looks at. */
export interface RoutingSubject {
  readonly metadata: RequestMetadata;
  readonly principal: Principal | undefined;
}

export type Matcher = (subject: RoutingSubject) => boolean;

/** `*` matches any run of characters; everything else is literal. */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** Compiles a rule's `when` once; every field given must match (for teams and roles, one listed value is enough). */
export function compileMatch(when: RuleMatch): Matcher {
  const metadata = Object.entries(when.metadata ?? {}).map(([key, glob]) => [key, globToRegExp(glob)] as const);
  const principal = when.principal === undefined ? undefined : globToRegExp(when.principal);
  const teams = when.teams?.map(globToRegExp);
  const roles = when.roles?.map(globToRegExp);
  const anyOf = (patterns: RegExp[], values: readonly string[] | undefined) => (values ?? []).some((value) => patterns.some((p) => p.test(value)));
  return (subject) => {
    for (const [key, pattern] of metadata) {
      const value = subject.metadata[key];
      if (value === undefined || !pattern.test(String(value))) return false;
    }
    if (principal && !(subject.principal && principal.test(subject.principal.id))) return false;
    if (teams && !anyOf(teams, subject.principal?.teams)) return false;
    if (roles && !anyOf(roles, subject.principal?.roles)) return false;
    return true;
  };
}
