/**
 * What asking a `RuleSet` costs as rules grow: ns per `matching(subject)` with 10, 100 and
 * 1,000 rules of the kinds governance configs hold (per-principal and per-team rules, which
 * the set indexes, and globs, metadata and `not` rules), over a rotation of 64 calls from
 * different principals. The median of five timed runs, after one run to warm up.
 *
 *   npx tsx --tsconfig=bench/tsconfig.json -e "import('./bench/rule-match.ts').then(m => m.ruleMatchBench()).then(r => console.table(r))"
 */
import { RuleSet, type RuleEntry, type RuleMatch, type RuleSubject } from '../packages/core/src/rules/index.js';

export interface RuleMatchRow {
  rules: number;
  nsPerMatch: number;
}

const TIERS = ['free', 'pro', 'enterprise'];
const REGIONS = ['eu-west-1', 'eu-central-1', 'us-east-1', 'ap-south-1'];

/** The population a set of `rules` rules is written for: about one principal per two rules, one team per ten. */
const population = (rules: number) => ({ principals: Math.max(1, Math.round(rules / 2)), teams: Math.max(1, Math.round(rules / 10)), routes: 20 });

/**
 * The i-th rule of a mix like a governance config's: every rule different, mostly per
 * principal and per team, some per route, project (metadata) or tag (the set files all of
 * these under their literal values), and three in twenty with only globs or `not` (tested
 * for every call).
 */
function ruleAt(i: number, rules: number): RuleMatch {
  const size = population(rules);
  const user = `user-${i % size.principals}`;
  const team = `team-${i % size.teams}`;
  switch (i % 20) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
    case 6:
      return { principals: user };
    case 7:
      return { principals: [user, `user-${(i + 7) % size.principals}`], models: 'openai/*' };
    case 8:
      return { principal: user, metadata: { tier: { not: 'free' } } };
    case 9:
    case 10:
    case 11:
      return { teams: team };
    case 12:
      return { teams: [team, `team-${(i + 3) % size.teams}`], metadata: { tier: 'enterprise' } };
    case 13:
      return { teams: team, metadata: { region: 'eu-*' } };
    case 14:
      return { metadata: { project: `project-${i % size.principals}` } };
    case 15:
      return { routes: `route-${i % size.routes}`, teams: { not: 'team-0' } };
    case 16:
      return { tags: `job-${i}`, roles: 'admin' };
    case 17:
      return { principals: `svc-${i}-*` };
    case 18:
      return { principals: { not: [user, 'svc-*'] }, metadata: { region: `${REGIONS[i % REGIONS.length]?.slice(0, 3)}*`, tier: TIERS[i % TIERS.length] as string } };
    default:
      return { teams: { not: [team, 'team-1*'] }, routes: `route-${i % size.routes}*`, roles: { not: 'viewer' } };
  }
}

/** Calls from 64 principals of the population: their own teams, project, route and tags. */
function subjects(rules: number): RuleSubject[] {
  const size = population(rules);
  return Array.from({ length: 64 }, (_, i) => ({
    principal: {
      id: i % 8 === 0 ? `svc-${i}-worker` : `user-${(i * 37) % size.principals}`,
      teams: [`team-${i % size.teams}`, `team-${(i * 7) % size.teams}`],
      roles: i % 4 === 0 ? ['admin'] : ['member'],
    },
    metadata: { tier: TIERS[i % TIERS.length] as string, region: REGIONS[i % REGIONS.length] as string, project: `project-${(i * 11) % size.principals}` },
    tags: i % 3 === 0 ? [`job-${i * 13}`] : [],
    route: `route-${i % size.routes}`,
    model: 'openai/gpt-4.1',
  }));
}

function nsPerMatch(set: RuleSet<number>, calls: readonly RuleSubject[], iterations: number): number {
  let sink = 0;
  const run = (n: number) => {
    for (let i = 0; i < n; i++) sink += set.matching(calls[i & 63] as RuleSubject).length;
  };
  run(iterations);
  const samples: number[] = [];
  for (let round = 0; round < 5; round++) {
    const started = process.hrtime.bigint();
    run(iterations);
    samples.push(Number(process.hrtime.bigint() - started) / iterations);
  }
  // Keeps the calls from being optimised away.
  if (sink < 0) throw new Error('unreachable');
  return samples.sort((a, b) => a - b)[2] as number;
}

export async function ruleMatchBench(): Promise<RuleMatchRow[]> {
  const rows: RuleMatchRow[] = [];
  for (const rules of [10, 100, 1000]) {
    const set = new RuleSet(Array.from({ length: rules }, (_, i): RuleEntry<number> => ({ when: ruleAt(i, rules), value: i })));
    rows.push({ rules, nsPerMatch: Math.round(nsPerMatch(set, subjects(rules), 200_000)) });
  }
  return rows;
}
