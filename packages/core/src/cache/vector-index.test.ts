import { describe, expect, it } from 'vitest';
import { ConfigError, InvalidRequestError } from '../errors/errors.js';
import { createVectorIndex, type VectorIndex } from './vector-index.js';
import { gaussian, seededRandom, type RandomSource } from './vector-random.js';

function randomVector(dimensions: number, random: RandomSource): Float32Array {
  const vector = new Float32Array(dimensions);
  for (let i = 0; i < dimensions; i++) vector[i] = gaussian(random);
  return vector;
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number);
    na += (a[i] as number) ** 2;
    nb += (b[i] as number) ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

/** Brute force: ids of the `k` most similar stored vectors, most similar first. */
function exact(stored: ReadonlyMap<string, Float32Array>, query: Float32Array, k: number): Array<{ id: string; similarity: number }> {
  return [...stored]
    .map(([id, vector]) => ({ id, similarity: cosine(vector, query) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

/** A unit-length-agnostic vector at cosine `similarity` to `source`. */
function near(source: Float32Array, similarity: number, random: RandomSource): Float32Array {
  const unit = (v: Float32Array) => {
    const norm = Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
    return v.map((x) => x / norm);
  };
  const s = unit(source);
  const noise = unit(randomVector(source.length, random));
  const along = noise.reduce((sum, x, i) => sum + x * (s[i] as number), 0);
  const orthogonal = unit(noise.map((x, i) => x - along * (s[i] as number)));
  const sine = Math.sqrt(1 - similarity * similarity);
  return s.map((x, i) => similarity * x + sine * (orthogonal[i] as number));
}

function fill(index: VectorIndex, count: number, dimensions: number, random: RandomSource): Map<string, Float32Array> {
  const stored = new Map<string, Float32Array>();
  for (let i = 0; i < count; i++) {
    const vector = randomVector(dimensions, random);
    stored.set(`e${i}`, vector);
    index.add(`e${i}`, vector);
  }
  return stored;
}

function recallAt1(index: VectorIndex, stored: ReadonlyMap<string, Float32Array>, queries: readonly Float32Array[]): number {
  let hits = 0;
  for (const query of queries) if (index.search(query)[0]?.id === exact(stored, query, 1)[0]?.id) hits++;
  return hits / queries.length;
}

describe('createVectorIndex', () => {
  it('finds the exact top-k with exact cosine similarities on a small set', () => {
    const random = seededRandom(1);
    const index = createVectorIndex({ dimensions: 16, seed: 1 });
    const stored = fill(index, 200, 16, random);
    for (let q = 0; q < 50; q++) {
      const query = randomVector(16, random);
      const got = index.search(query, { k: 5 });
      const want = exact(stored, query, 5);
      expect(got.map((m) => m.id)).toEqual(want.map((m) => m.id));
      got.forEach((match, i) => expect(match.similarity).toBeCloseTo(want[i]?.similarity ?? Number.NaN, 5));
    }
  });

  it('has recall@1 of at least 0.95 against brute force on a few thousand random vectors', () => {
    const random = seededRandom(2);
    const index = createVectorIndex({ dimensions: 24, seed: 2 });
    const stored = fill(index, 3000, 24, random);
    const queries = Array.from({ length: 200 }, () => randomVector(24, random));
    expect(recallAt1(index, stored, queries)).toBeGreaterThanOrEqual(0.95);
  });

  it('finds near-duplicates through the projected sketch (vectors wider than the sketch)', () => {
    const random = seededRandom(3);
    const index = createVectorIndex({ dimensions: 512, seed: 3 });
    const stored = fill(index, 2000, 512, random);
    const vectors = [...stored.values()];
    const queries = Array.from({ length: 200 }, (_, q) => near(vectors[Math.floor(random() * vectors.length)] as Float32Array, 0.8 + (0.18 * q) / 199, random));
    expect(recallAt1(index, stored, queries)).toBeGreaterThanOrEqual(0.95);
  });

  it('orders matches by similarity, honours k and drops those below minSimilarity', () => {
    const index = createVectorIndex({ dimensions: 3 });
    index.add('x', [1, 0, 0]);
    index.add('xy', [1, 1, 0]);
    index.add('y', [0, 1, 0]);
    index.add('minus-x', [-1, 0, 0]);
    const all = index.search([1, 0.1, 0], { k: 10 });
    expect(all.map((m) => m.id)).toEqual(['x', 'xy', 'y', 'minus-x']);
    expect(index.search([1, 0.1, 0], { k: 2 }).map((m) => m.id)).toEqual(['x', 'xy']);
    expect(index.search([1, 0.1, 0], { k: 10, minSimilarity: 0.5 }).map((m) => m.id)).toEqual(['x', 'xy']);
    expect(index.search([0, 0, 1], { minSimilarity: 0.1 })).toEqual([]);
    expect(index.search([2, 0, 0])).toEqual([{ id: 'x', similarity: 1 }]);
  });

  it('copies the vector, accepts number arrays, and replaces an entry added again under its id', () => {
    const index = createVectorIndex({ dimensions: 2 });
    const vector = new Float32Array([1, 0]);
    index.add('a', vector);
    vector[0] = 0;
    vector[1] = 1;
    expect(index.search([1, 0])[0]).toEqual({ id: 'a', similarity: 1 });
    index.add('a', [0, 1]);
    expect(index.size).toBe(1);
    expect(index.search([0, 1])[0]).toEqual({ id: 'a', similarity: 1 });
  });

  it('never returns a removed entry and keeps recall after half the entries go', () => {
    const random = seededRandom(4);
    const index = createVectorIndex({ dimensions: 24, seed: 4 });
    const stored = fill(index, 3000, 24, random);
    for (let i = 0; i < 3000; i += 2) {
      expect(index.remove(`e${i}`)).toBe(true);
      stored.delete(`e${i}`);
    }
    expect(index.remove('e0')).toBe(false);
    expect(index.has('e0')).toBe(false);
    expect(index.size).toBe(1500);
    const queries = Array.from({ length: 200 }, () => randomVector(24, random));
    for (const query of queries) for (const match of index.search(query, { k: 10 })) expect(stored.has(match.id)).toBe(true);
    expect(recallAt1(index, stored, queries)).toBeGreaterThanOrEqual(0.95);
  });

  it('reuses the slots of removed entries and keeps recall through churn (entries expiring as new ones come)', () => {
    const random = seededRandom(5);
    const index = createVectorIndex({ dimensions: 24, seed: 5 });
    const stored = fill(index, 2000, 24, random);
    // Five generations: each removes a random fifth and adds as many new entries.
    let next = 2000;
    for (let round = 0; round < 5; round++) {
      const ids = [...stored.keys()];
      for (let i = 0; i < 400; i++) {
        const at = Math.floor(random() * ids.length);
        const id = ids[at] as string;
        ids[at] = ids[ids.length - 1] as string;
        ids.pop();
        index.remove(id);
        stored.delete(id);
      }
      for (let i = 0; i < 400; i++) {
        const vector = randomVector(24, random);
        stored.set(`e${next}`, vector);
        index.add(`e${next++}`, vector);
      }
    }
    expect(index.size).toBe(2000);
    expect(index.stats().slots).toBe(2000);
    const queries = Array.from({ length: 200 }, () => randomVector(24, random));
    expect(recallAt1(index, stored, queries)).toBeGreaterThanOrEqual(0.95);
    // Every entry, those in reused slots included, is still reachable: its own vector finds it.
    let found = 0;
    for (const [id, vector] of stored) if (index.search(vector)[0]?.id === id) found++;
    expect(found).toBe(stored.size);
  });

  it('empties and fills again (the entry point removed on the way)', () => {
    const random = seededRandom(6);
    const index = createVectorIndex({ dimensions: 8, seed: 6 });
    const stored = fill(index, 300, 8, random);
    for (const id of stored.keys()) index.remove(id);
    expect(index.size).toBe(0);
    expect(index.search(randomVector(8, random))).toEqual([]);
    const again = fill(index, 100, 8, random);
    const query = randomVector(8, random);
    expect(index.search(query, { k: 3 }).map((m) => m.id)).toEqual(exact(again, query, 3).map((m) => m.id));
  });

  it('is deterministic for a seed, and draws on an injected random source', () => {
    const build = (options: { seed?: number; random?: RandomSource }) => {
      const index = createVectorIndex({ dimensions: 128, sketchDimensions: 16, ...options });
      fill(index, 500, 128, seededRandom(7));
      return index;
    };
    const queries = Array.from({ length: 20 }, () => randomVector(128, seededRandom(8)));
    const a = build({ seed: 9 });
    const b = build({ seed: 9 });
    for (const query of queries) expect(a.search(query, { k: 5, ef: 8 })).toEqual(b.search(query, { k: 5, ef: 8 }));
    let calls = 0;
    const inner = seededRandom(10);
    build({
      random: () => {
        calls++;
        return inner();
      },
    });
    // The 16 × 128 projection matrix (two draws a number) and one level per entry.
    expect(calls).toBe(16 * 128 * 2 + 500);
  });

  it('rejects a vector of the wrong length, a non-finite value and a zero vector with InvalidRequestError', () => {
    const index = createVectorIndex({ dimensions: 3 });
    index.add('a', [1, 2, 3]);
    const wrongLength = () => index.add('b', [1, 2]);
    expect(wrongLength).toThrow(InvalidRequestError);
    expect(wrongLength).toThrow(/2 dimensions; this index holds vectors of 3/);
    expect(() => index.search(new Float32Array(4))).toThrow(InvalidRequestError);
    expect(() => index.add('b', [1, Number.NaN, 3])).toThrow(/non-finite value at index 1/);
    expect(() => index.search([0, 0, 0])).toThrow(/all zeros/);
    expect(() => index.search([1, 0, 0], { k: 0 })).toThrow(InvalidRequestError);
    expect(() => index.search([1, 0, 0], { minSimilarity: Number.NaN })).toThrow(InvalidRequestError);
    expect(index.size).toBe(1);
    try {
      index.add('b', [1]);
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_request', issues: [{ path: 'vector' }] });
    }
  });

  it('rejects bad options with a ConfigError naming each', () => {
    expect(() => createVectorIndex({ dimensions: 0 })).toThrow(ConfigError);
    try {
      createVectorIndex({ dimensions: 1.5, m: 1, efSearch: 0 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ issues: [{ path: 'vectorIndex.dimensions' }, { path: 'vectorIndex.m' }, { path: 'vectorIndex.efSearch' }] });
    }
  });
});
