import type { RouteNode, Target } from './route-tree.js';
import type { RoutingSubject } from '../rules/rule-match.js';

/** What picking needs to know about the call and the deployments. */
export interface PickContext {
  readonly random: () => number;
  readonly subject: RoutingSubject;
  /** Decayed average latency of a deployment in ms; `undefined` before its first answer. */
  latency(target: Target): number | undefined;
  /** Calls in flight to a deployment. */
  inFlight(target: Target): number;
  /** Decayed average ms per output token of a deployment; `undefined` before its first answer. */
  msPerOutputToken(target: Target): number | undefined;
  /** Sticky sessions: remembered picks by group and key value. */
  readonly sticky: { get(key: string): number | undefined; set(key: string, index: number): unknown };
}

/** A context with nothing measured and no metadata: for picking outside a gateway (tools, tests). */
export function fixedPickContext(random: () => number): PickContext {
  return {
    random,
    subject: { metadata: {}, principal: undefined },
    latency: () => undefined,
    inFlight: () => 0,
    msPerOutputToken: () => undefined,
    sticky: new Map<string, number>(),
  };
}

/**
 * The targets of a route in the order to try them, produced lazily: most calls succeed on
 * the first, so only the first pick is paid for. Every first pick is O(1) or O(log n) in
 * the size of a group; the fallback order among the rest is drawn only when needed.
 */
export function* candidates(node: RouteNode, context: PickContext): Generator<Target, void, undefined> {
  switch (node.kind) {
    case 'target':
      yield node.target;
      return;
    case 'fallback':
      for (const child of node.children) yield* candidates(child, context);
      return;
    case 'priority': {
      // Those within the SLA in order, then the slow ones in order.
      const slow: RouteNode[] = [];
      for (const child of node.children) {
        const target = representative(child);
        const measured = target ? context.msPerOutputToken(target) : undefined;
        if (measured !== undefined && measured > node.maxMsPerOutputToken) slow.push(child);
        else yield* candidates(child, context);
      }
      for (const child of slow) yield* candidates(child, context);
      return;
    }
    case 'rules': {
      const rule = node.rules.find((candidate) => candidate.matches(context.subject));
      const chosen = rule ? rule.node : node.otherwise;
      if (chosen) yield* candidates(chosen, context);
      return;
    }
    case 'loadbalance': {
      if (node.strategy === 'cost') {
        for (const index of node.byCost) yield* candidates(node.children[index] as RouteNode, context);
        return;
      }
      const first = firstPick(node, context);
      yield* candidates(node.children[first] as RouteNode, context);
      if (node.children.length === 1) return;
      // Fallback order among the rest: weighted sampling without replacement.
      const rest = node.children.filter((_, i) => i !== first);
      while (rest.length > 0) {
        let sum = 0;
        for (const child of rest) sum += child.weight;
        let point = context.random() * sum;
        let index = 0;
        while (index < rest.length - 1 && point >= (rest[index] as RouteNode).weight) point -= (rest[index++] as RouteNode).weight;
        const [next] = rest.splice(index, 1);
        yield* candidates(next as RouteNode, context);
      }
    }
  }
}

type Group = Extract<RouteNode, { kind: 'loadbalance' }>;

function firstPick(node: Group, context: PickContext): number {
  const stickyValue = node.sticky === undefined ? undefined : context.subject.metadata[node.sticky];
  const stickyKey = stickyValue === undefined ? undefined : `${node.id}:${String(stickyValue)}`;
  const remembered = stickyKey === undefined ? undefined : context.sticky.get(stickyKey);
  if (remembered !== undefined && remembered < node.children.length) return remembered;
  const total = node.cumulative.at(-1) ?? 0;
  let index = pick(node.cumulative, context.random() * total);
  if ((node.strategy === 'latency' || node.strategy === 'least-busy') && node.children.length > 1) {
    // Power of two choices: draw another by weight and keep the better of the two.
    const other = pick(node.cumulative, context.random() * total);
    if (other !== index && score(node.children[other] as RouteNode, node.strategy, context) < score(node.children[index] as RouteNode, node.strategy, context)) index = other;
  }
  if (stickyKey !== undefined) context.sticky.set(stickyKey, index);
  return index;
}

/** Lower is better. An unmeasured deployment scores best, so new and recovered ones get traffic. */
function score(node: RouteNode, strategy: 'latency' | 'least-busy', context: PickContext): number {
  const target = representative(node);
  if (!target) return Number.POSITIVE_INFINITY;
  return strategy === 'latency' ? (context.latency(target) ?? 0) : context.inFlight(target);
}

/** A group's first target stands for it when two groups are compared. */
function representative(node: RouteNode): Target | undefined {
  if (node.kind === 'target') return node.target;
  if (node.kind === 'rules') return node.otherwise ? representative(node.otherwise) : undefined;
  if (node.kind === 'priority') return node.children[0] ? representative(node.children[0]) : undefined;
  return node.children[0] ? representative(node.children[0]) : undefined;
}

/** The first index whose running sum exceeds `point`. */
export function pick(cumulative: readonly number[], point: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((cumulative[mid] as number) > point) high = mid;
    else low = mid + 1;
  }
  return low;
}
