// Access rules compiled once: may this caller use this route, and each target it reaches.
import { AccessDeniedError } from '../errors/governance-errors.js';
import { compileRule } from '../rules/rule-match.js';
import { RuleSet } from '../rules/rule-set.js';
import type { RuleSubject } from '../rules/rule-subject.js';
import type { AccessOptions, AccessRule } from './governance-options.js';

/** The rule named when a call no rule allows meets `default: 'deny'`. */
export const DEFAULT_DENY = '(default deny)';

/** A call's standing after its route is checked: refused, or which targets still need a look. */
export interface RouteVerdict {
  readonly denied: AccessDeniedError | undefined;
  /** Whether a rule without `models` allows the call (or the default does): then only `deny` rules on models can refuse a target. */
  readonly allowsEveryTarget: boolean;
}

const ALLOWED: RouteVerdict = Object.freeze({ denied: undefined, allowsEveryTarget: true });

/**
 * Rules without `models` decide on the call (its principal, route, tags, metadata); rules
 * with `models` on each target it reaches. A matching `deny` always wins; else a matching
 * `allow` lets it through; else the default does.
 */
export class AccessPolicy {
  readonly #defaultAllow: boolean;
  readonly #callRules: RuleSet<AccessRule>;
  readonly #targetRules: RuleSet<AccessRule>;
  /** Whether some rule decides on targets (`when.models`). */
  readonly hasTargetRules: boolean;

  constructor(options: AccessOptions | undefined) {
    this.#defaultAllow = (options?.default ?? 'allow') === 'allow';
    const rules = options?.rules ?? [];
    const byModel = (rule: AccessRule) => compileRule(rule.when ?? {}).usesModel;
    this.#callRules = new RuleSet(rules.filter((rule) => !byModel(rule)).map((rule) => ({ when: rule.when ?? {}, value: rule })));
    this.#targetRules = new RuleSet(rules.filter(byModel).map((rule) => ({ when: rule.when ?? {}, value: rule })));
    this.hasTargetRules = this.#targetRules.size > 0;
  }

  checkCall(subject: RuleSubject): RouteVerdict {
    if (this.#callRules.size === 0) return this.#defaultAllow ? ALLOWED : { denied: undefined, allowsEveryTarget: false };
    let allowed = this.#defaultAllow;
    for (const rule of this.#callRules.matching(subject)) {
      if (rule.effect === 'deny') return { denied: denied(rule.name, `Access rule '${rule.name}' denies ${who(subject)} the route '${subject.route ?? ''}'; nothing was sent.`), allowsEveryTarget: false };
      allowed = true;
    }
    return allowed ? ALLOWED : { denied: undefined, allowsEveryTarget: false };
  }

  /** Whether a target of a call with `verdict` can still be refused. */
  decidesTargets(verdict: RouteVerdict): boolean {
    return this.hasTargetRules || !verdict.allowsEveryTarget;
  }

  /** `subject.model` is the target; `verdict` what `checkCall` found for the call. */
  checkTarget(subject: RuleSubject, verdict: RouteVerdict): AccessDeniedError | undefined {
    let allowed = verdict.allowsEveryTarget;
    if (this.#targetRules.size > 0) {
      for (const rule of this.#targetRules.matching(subject)) {
        if (rule.effect === 'deny') return denied(rule.name, `Access rule '${rule.name}' denies ${who(subject)} the model '${subject.model ?? ''}'; nothing was sent to it.`);
        allowed = true;
      }
    }
    if (allowed) return undefined;
    return denied(DEFAULT_DENY, `No access rule allows ${who(subject)} the model '${subject.model ?? ''}' (route '${subject.route ?? ''}'), and access is deny by default; nothing was sent to it. Add an allow rule for it.`);
  }
}

function denied(rule: string, message: string): AccessDeniedError {
  return new AccessDeniedError(rule, message);
}

function who(subject: RuleSubject): string {
  return subject.principal ? `principal '${subject.principal.id}'` : 'a call with no principal';
}
