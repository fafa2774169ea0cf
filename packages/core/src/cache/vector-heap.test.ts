import { describe, expect, it } from 'vitest';
import { ScoreHeap } from './vector-heap.js';
import { seededRandom } from './vector-random.js';

describe('ScoreHeap', () => {
  it('pops slots in ascending score order, growing past its first capacity', () => {
    const random = seededRandom(1);
    const heap = new ScoreHeap();
    const pairs = Array.from({ length: 500 }, (_, slot) => ({ slot, score: random() }));
    for (const { slot, score } of pairs) heap.push(slot, score);
    const popped: number[] = [];
    while (heap.size > 0) popped.push(heap.pop());
    expect(popped).toEqual([...pairs].sort((a, b) => a.score - b.score).map((pair) => pair.slot));
  });

  it('peeks the smallest, drains what is left and starts empty after clear', () => {
    const heap = new ScoreHeap();
    heap.push(7, 0.5);
    heap.push(3, -0.25);
    heap.push(9, 0.75);
    expect(heap.peekScore()).toBe(-0.25);
    const slots: number[] = [];
    const scores: number[] = [];
    expect(heap.drain(slots, scores)).toBe(3);
    expect(slots.sort()).toEqual([3, 7, 9]);
    expect(heap.size).toBe(0);
    heap.push(1, 1);
    heap.clear();
    expect(heap.size).toBe(0);
  });
});
