// rules/: the one matcher for "who/what does this rule apply to"; imports only errors/ and contract/.
export { compilePattern, globToRegExp, patternLiterals, type CompiledPattern, type Pattern } from './pattern.js';
export type { RoutingSubject, RuleSubject } from './rule-subject.js';
export { compileMatch, compileRule, type CompiledRule, type Matcher, type RuleField, type RuleMatch } from './rule-match.js';
export { RuleSet, type RuleEntry } from './rule-set.js';
export { patternSchema, ruleMatchSchema } from './rule-match-schema.js';
