import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../adapter/adapter.js';
import { candidates, fixedPickContext, pick } from './candidates.js';
import { compileRoute, type CompileContext } from './route-tree.js';

const context: CompileContext = {
  target: (id) => ({ id, provider: id.split('/')[0] as string, model: id.split('/')[1] as string, adapter: {} as ProviderAdapter }),
  route: () => undefined,
};

const only = fixedPickContext;

/** A random source that plays back a fixed sequence. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] as number;
};

describe('candidates', () => {
  it('picks a load-balanced entry by weight, then the rest in weighted order', () => {
    const node = compileRoute({ loadbalance: [{ target: 'p/a', weight: 1 }, { target: 'p/b', weight: 3 }, { target: 'p/c', weight: 6 }] }, context);
    const order = (random: () => number) => [...candidates(node, only(random))].map((t) => t.id);
    expect(order(sequence(0.05, 0))).toEqual(['p/a', 'p/b', 'p/c']);
    expect(order(sequence(0.2, 0))).toEqual(['p/b', 'p/a', 'p/c']);
    expect(order(sequence(0.5, 0.99))).toEqual(['p/c', 'p/b', 'p/a']);
  });

  it('splits traffic by weight over many picks', () => {
    const node = compileRoute({ loadbalance: [{ target: 'p/a', weight: 1 }, { target: 'p/b', weight: 3 }] }, context);
    const counts = { 'p/a': 0, 'p/b': 0 } as Record<string, number>;
    for (let i = 0; i < 1000; i++) {
      const first = candidates(node, only(() => (i + 0.5) / 1000)).next().value;
      if (first) counts[first.id] = (counts[first.id] ?? 0) + 1;
    }
    expect(counts).toEqual({ 'p/a': 250, 'p/b': 750 });
  });

  it('is lazy: later entries are not computed until asked for', () => {
    let draws = 0;
    const node = compileRoute({ loadbalance: ['p/a', 'p/b', 'p/c'] }, context);
    const iterator = candidates(
      node,
      only(() => {
        draws++;
        return 0;
      }),
    );
    iterator.next();
    expect(draws).toBe(1);
  });

  it('finds the index by binary search', () => {
    const sums = [1, 4, 10];
    expect([0, 0.99, 1, 3.99, 4, 9.99].map((point) => pick(sums, point))).toEqual([0, 0, 1, 1, 2, 2]);
  });
});
