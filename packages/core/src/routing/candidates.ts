import type { RouteNode, Target } from './route-tree.js';

/**
 * The targets of a route in the order to try them, produced lazily: most calls succeed on
 * the first, so only the first pick is paid for. A load-balanced group picks its first
 * entry by weight with a binary search over running sums (O(log n)); the rest follow in
 * weighted order only if needed.
 */
export function* candidates(node: RouteNode, random: () => number): Generator<Target, void, undefined> {
  switch (node.kind) {
    case 'target':
      yield node.target;
      return;
    case 'fallback':
      for (const child of node.children) yield* candidates(child, random);
      return;
    case 'loadbalance': {
      const total = node.cumulative.at(-1) ?? 0;
      const first = pick(node.cumulative, random() * total);
      yield* candidates(node.children[first] as RouteNode, random);
      if (node.children.length === 1) return;
      // Fallback order among the rest: weighted sampling without replacement.
      const rest = node.children.filter((_, i) => i !== first);
      while (rest.length > 0) {
        let sum = 0;
        for (const child of rest) sum += child.weight;
        let point = random() * sum;
        let index = 0;
        while (index < rest.length - 1 && point >= (rest[index] as RouteNode).weight) point -= (rest[index++] as RouteNode).weight;
        const [next] = rest.splice(index, 1);
        yield* candidates(next as RouteNode, random);
      }
    }
  }
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
