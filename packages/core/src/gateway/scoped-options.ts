// A scoped client's call options: the scope's identity merged in, and what a call may not change of it.
import { METADATA_LIMITS, type CallOptions } from '../contract/call-options.js';
import type { ConfigIssue } from '../errors/errors.js';
import type { ScopePolicy } from '../governance/scope-policy.js';

/**
 * The options a scoped call runs with: the scope's principal (a call naming another is refused),
 * its metadata (a call may add keys, not change the scope's), its tags added to the call's. The
 * call's own `regions` stay: they narrow, and the scope's regions apply on top.
 */
export function scopedOptions(scope: ScopePolicy, options: CallOptions): { options: CallOptions; issues: ConfigIssue[] | undefined } {
  let issues: ConfigIssue[] | undefined;
  const principal = options.principal;
  if (principal !== undefined && (scope.principal === undefined || typeof principal !== 'object' || principal === null || principal.id !== scope.principal.id)) {
    (issues ??= []).push({ path: 'options.principal', message: `a scoped client calls as its scope's principal${scope.principal ? ` ('${scope.principal.id}')` : ' (none)'}; leave \`principal\` out` });
  }
  const metadata = options.metadata;
  if (typeof metadata === 'object' && metadata !== null) {
    for (const key of Object.keys(scope.metadata)) {
      if (Object.hasOwn(metadata, key) && metadata[key] !== scope.metadata[key]) (issues ??= []).push({ path: `options.metadata.${key}`, message: `is fixed by the scope to '${scope.metadata[key] ?? ''}'` });
    }
  }
  const merged = typeof metadata === 'object' && metadata !== null ? { ...metadata, ...scope.metadata } : { ...scope.metadata };
  if (Object.keys(merged).length > METADATA_LIMITS.entries) {
    (issues ??= []).push({ path: 'options.metadata', message: `with the scope's own metadata, at most ${METADATA_LIMITS.entries} metadata entries` });
  }
  const tags = Array.isArray(options.tags) ? [...new Set([...scope.tags, ...options.tags])] : scope.tags.length > 0 ? [...scope.tags] : options.tags;
  return {
    options: {
      ...options,
      principal: scope.principal,
      metadata: merged,
      ...(tags === undefined ? {} : { tags }),
    },
    issues,
  };
}
