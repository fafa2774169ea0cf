import { describe, expect, it } from 'vitest';
import { SemanticCacheMemory, normalised, type SemanticCacheEntry } from './semantic-cache-memory.js';

const unit = (values: number[]): Float32Array => normalised(values) ?? new Float32Array(values.length);

function entry(id: string, slot: string, vector: number[], expiresAt = 10_000): SemanticCacheEntry {
  return { id, slot, vector: unit(vector), answer: `{"id":"${id}"}`, createdAt: 0, expiresAt, provider: 'p', model: 'm', usage: undefined };
}

describe('SemanticCacheMemory', () => {
  it('finds the most similar entry of the same scope only', () => {
    const memory = new SemanticCacheMemory(10);
    memory.set(entry('a', 'scope-1', [1, 0, 0]), 0);
    memory.set(entry('b', 'scope-1', [0.9, 0.1, 0]), 0);
    memory.set(entry('c', 'scope-2', [1, 0, 0]), 0);
    expect(memory.find('scope-1', unit([1, 0.01, 0]), 0.9, 1)?.entry.id).toBe('a');
    expect(memory.find('scope-2', unit([0.9, 0.1, 0]), 0.9, 1)?.entry.id).toBe('c');
    expect(memory.find('scope-3', unit([1, 0, 0]), 0.1, 1)).toBeUndefined();
    expect(memory.find('scope-1', unit([0, 1, 0]), 0.9, 1)).toBeUndefined();
  });

  it('removes expired entries it meets and finds a live one behind them', () => {
    const memory = new SemanticCacheMemory(10);
    memory.set(entry('old', 's', [1, 0, 0], 100), 0);
    memory.set(entry('live', 's', [0.95, 0.05, 0], 10_000), 0);
    expect(memory.find('s', unit([1, 0, 0]), 0.9, 100)?.entry.id).toBe('live');
    expect(memory.size).toBe(1);
    expect(memory.find('s', unit([1, 0, 0]), 0.9, 20_000)).toBeUndefined();
    expect(memory.size).toBe(0);
  });

  it('keeps at most maxEntries, dropping the least recently used', () => {
    const memory = new SemanticCacheMemory(2);
    memory.set(entry('a', 's', [1, 0, 0]), 0);
    memory.set(entry('b', 's', [0, 1, 0]), 0);
    // A hit makes `a` the most recently used: `b` goes first.
    expect(memory.find('s', unit([1, 0, 0]), 0.9, 1)?.entry.id).toBe('a');
    memory.set(entry('c', 's', [0, 0, 1]), 1);
    expect(memory.size).toBe(2);
    expect(memory.find('s', unit([0, 1, 0]), 0.9, 1)).toBeUndefined();
    expect(memory.find('s', unit([1, 0, 0]), 0.9, 1)?.entry.id).toBe('a');
  });

  it('moves a scope that grows large to a vector index and still finds its entries', () => {
    const memory = new SemanticCacheMemory(1000);
    const vectorOf = (i: number) => [Math.cos(i / 100), Math.sin(i / 100), (i % 7) / 10, 1];
    for (let i = 0; i < 300; i++) memory.set(entry(`e${i}`, 's', vectorOf(i)), 0);
    memory.set(entry('other', 't', vectorOf(42)), 0);
    const match = memory.find('s', unit(vectorOf(42)), 0.999, 1);
    expect(match?.entry.id).toBe('e42');
    expect(match?.similarity).toBeCloseTo(1, 5);
    expect(memory.delete('e42')).toBe(true);
    expect(memory.find('s', unit(vectorOf(42)), 0.99999, 1)?.entry.id).not.toBe('e42');
  });

  it('normalises, and rejects vectors with no direction or non-finite values', () => {
    expect(Array.from(normalised([3, 4]) ?? [])).toEqual([0.6000000238418579, 0.800000011920929]);
    expect(normalised([0, 0])).toBeUndefined();
    expect(normalised([1, Number.NaN])).toBeUndefined();
  });
});
