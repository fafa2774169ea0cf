// rules/: the one matcher for "who/what does this rule apply to"; imports only contract/.
export { compileMatch, globToRegExp, type RoutingSubject, type RuleMatch } from './rule-match.js';
