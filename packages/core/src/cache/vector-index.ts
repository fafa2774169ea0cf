import { ConfigError, InvalidRequestError, type ConfigIssue } from '../errors/errors.js';
import { VectorGraph } from './vector-graph.js';
import { VectorProjection } from './vector-projection.js';
import { seededRandom, type RandomSource } from './vector-random.js';
import { VectorSlab } from './vector-slab.js';

export interface VectorIndexOptions {
  /** Length of every vector, e.g. 1,536 for `text-embedding-3-small`. */
  dimensions: number;
  /** Graph links per node (layer 0 gets twice as many). Default 16. */
  m?: number;
  /** Beam width while inserting. Default 100. */
  efConstruction?: number;
  /** Candidates a search gathers before scoring them on the full vectors. Default 64. */
  efSearch?: number;
  /** Dimensions of the sketch the graph is walked on. Default 64. */
  sketchDimensions?: number;
  /** Seed of the default random source. Default 1. */
  seed?: number;
  /** Replaces the seeded source (graph levels, projection); inject one in tests. */
  random?: RandomSource;
}

export interface VectorSearchOptions {
  /** How many matches at most. Default 1. */
  k?: number;
  /** Drop matches below this cosine similarity. Default: keep all. */
  minSimilarity?: number;
  /** Candidates to gather for this search (at least `k`); overrides `efSearch`. */
  ef?: number;
}

export interface VectorMatch {
  id: string;
  /** Cosine similarity with the query, computed on the full vectors. */
  similarity: number;
}

export interface VectorIndexStats {
  /** Live entries. */
  size: number;
  /** Graph slots in use or free for reuse: the most entries held at once. */
  slots: number;
  /** Bytes held by typed arrays: vectors, sketches, links and per-slot flags. */
  bytes: number;
}

/**
 * An approximate nearest-neighbour index for cosine similarity. Vectors are stored normalised
 * (float32), so cosine is a dot product; answers are ranked and filtered by their exact
 * cosine, and only which entries get scored is approximate.
 */
export interface VectorIndex {
  readonly dimensions: number;
  /** Live entries. */
  readonly size: number;
  /** Adds or replaces the entry `id`; the vector is copied and normalised. */
  add(id: string, vector: Float32Array | readonly number[]): void;
  /** Removes the entry `id`; whether it was there. */
  remove(id: string): boolean;
  has(id: string): boolean;
  /** The most similar entries, most similar first. */
  search(vector: Float32Array | readonly number[], options?: VectorSearchOptions): VectorMatch[];
  stats(): VectorIndexStats;
}

const DEFAULTS = { m: 16, efConstruction: 100, efSearch: 64, sketchDimensions: 64, seed: 1 };

/**
 * How it works: a seeded random projection maps each vector to a short normalised sketch
 * (vector-projection.ts); an HNSW graph over the sketches (vector-graph.ts) finds `efSearch`
 * candidates; each is scored on its full vector. Walking the graph on 1,536 floats would cost
 * 24 times more per step; on uniform random vectors, the hardest case, a graph also needs
 * thousands of steps, so the full-width walk cannot meet a 2 ms budget in JavaScript.
 */
export function createVectorIndex(options: VectorIndexOptions): VectorIndex {
  return new GraphVectorIndex(checkOptions(options));
}

type ResolvedOptions = Required<Omit<VectorIndexOptions, 'random' | 'seed'>> & { random: RandomSource };

function checkOptions(options: VectorIndexOptions): ResolvedOptions {
  const issues: ConfigIssue[] = [];
  const integer = (name: keyof typeof DEFAULTS | 'dimensions', value: number | undefined, min: number, max: number) => {
    if (value === undefined) return;
    if (!Number.isInteger(value) || value < min || value > max) issues.push({ path: name, message: `must be an integer from ${min} to ${max}; got ${String(value)}.` });
  };
  if (options.dimensions === undefined) issues.push({ path: 'dimensions', message: 'is required (the length of every vector, e.g. 1536).' });
  integer('dimensions', options.dimensions, 1, 65_536);
  integer('m', options.m, 2, 128);
  integer('efConstruction', options.efConstruction, 1, 10_000);
  integer('efSearch', options.efSearch, 1, 10_000);
  integer('sketchDimensions', options.sketchDimensions, 1, 4096);
  if (options.seed !== undefined && !Number.isInteger(options.seed)) issues.push({ path: 'seed', message: `must be an integer; got ${String(options.seed)}.` });
  if (options.random !== undefined && typeof options.random !== 'function') issues.push({ path: 'random', message: 'must be a function returning numbers in [0, 1).' });
  if (issues.length > 0) throw new ConfigError(issues.map((issue) => ({ ...issue, path: `vectorIndex.${issue.path}` })));
  return {
    dimensions: options.dimensions,
    m: options.m ?? DEFAULTS.m,
    efConstruction: options.efConstruction ?? DEFAULTS.efConstruction,
    efSearch: options.efSearch ?? DEFAULTS.efSearch,
    sketchDimensions: options.sketchDimensions ?? DEFAULTS.sketchDimensions,
    random: options.random ?? seededRandom(options.seed ?? DEFAULTS.seed),
  };
}

class GraphVectorIndex implements VectorIndex {
  readonly dimensions: number;
  private readonly efSearch: number;
  private readonly projection: VectorProjection;
  private readonly vectors: VectorSlab;
  private readonly sketches: VectorSlab;
  private readonly graph: VectorGraph;
  private readonly slotOf = new Map<string, number>();
  private readonly idOf: string[] = [];

  constructor(options: ResolvedOptions) {
    this.dimensions = options.dimensions;
    this.efSearch = options.efSearch;
    this.projection = new VectorProjection(options.dimensions, options.sketchDimensions, options.random);
    this.vectors = new VectorSlab(options.dimensions);
    this.sketches = new VectorSlab(this.projection.sketchDimensions);
    this.graph = new VectorGraph(this.sketches, { m: options.m, efConstruction: options.efConstruction, random: options.random });
  }

  get size(): number {
    return this.slotOf.size;
  }

  add(id: string, vector: Float32Array | readonly number[]): void {
    const normalised = this.normalise(vector);
    this.remove(id);
    const slot = this.graph.allocate();
    this.vectors.write(slot, normalised);
    this.sketches.write(slot, this.projection.sketch(normalised));
    this.graph.insert(slot);
    this.idOf[slot] = id;
    this.slotOf.set(id, slot);
  }

  remove(id: string): boolean {
    const slot = this.slotOf.get(id);
    if (slot === undefined) return false;
    this.slotOf.delete(id);
    this.graph.remove(slot);
    return true;
  }

  has(id: string): boolean {
    return this.slotOf.has(id);
  }

  search(vector: Float32Array | readonly number[], options: VectorSearchOptions = {}): VectorMatch[] {
    const { k, minSimilarity, ef } = checkSearchOptions(options, this.efSearch);
    const query = this.normalise(vector);
    const found = this.graph.search(this.projection.sketch(query), Math.max(ef, k));
    const matches: VectorMatch[] = [];
    for (const slot of found.slots) {
      // Float32 rounding can put a vector's cosine with itself a hair above 1.
      const similarity = Math.min(1, Math.max(-1, this.vectors.dot(slot, query)));
      if (similarity >= minSimilarity) matches.push({ id: this.idOf[slot] as string, similarity });
    }
    matches.sort((a, b) => b.similarity - a.similarity);
    if (matches.length > k) matches.length = k;
    return matches;
  }

  stats(): VectorIndexStats {
    return { size: this.size, slots: this.graph.slotCount, bytes: this.vectors.bytes + this.sketches.bytes + this.graph.bytes };
  }

  /** A normalised float32 copy of `vector`; a typed error for a wrong length, a non-finite value or a zero vector. */
  private normalise(vector: Float32Array | readonly number[]): Float32Array {
    if (vector.length !== this.dimensions) {
      throw new InvalidRequestError(`The vector has ${vector.length} dimensions; this index holds vectors of ${this.dimensions}. An index holds one embedding model's vectors.`, [
        { path: 'vector', message: `expected ${this.dimensions} dimensions, got ${vector.length}.` },
      ]);
    }
    let norm = 0;
    for (let i = 0; i < vector.length; i++) {
      const value = vector[i] as number;
      if (!Number.isFinite(value)) throw new InvalidRequestError(`The vector has a non-finite value at index ${i}.`, [{ path: `vector[${i}]`, message: 'must be a finite number.' }]);
      norm += value * value;
    }
    if (norm === 0) throw new InvalidRequestError('The vector is all zeros: it has no direction, so no cosine similarity.', [{ path: 'vector', message: 'must not be all zeros.' }]);
    const scale = 1 / Math.sqrt(norm);
    const out = new Float32Array(vector.length);
    for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) * scale;
    return out;
  }
}

function checkSearchOptions(options: VectorSearchOptions, efSearch: number): { k: number; minSimilarity: number; ef: number } {
  const k = options.k ?? 1;
  const ef = options.ef ?? efSearch;
  const minSimilarity = options.minSimilarity ?? -Infinity;
  const issues: ConfigIssue[] = [];
  if (!Number.isInteger(k) || k < 1) issues.push({ path: 'k', message: `must be a positive integer; got ${String(k)}.` });
  if (!Number.isInteger(ef) || ef < 1) issues.push({ path: 'ef', message: `must be a positive integer; got ${String(ef)}.` });
  if (typeof minSimilarity !== 'number' || Number.isNaN(minSimilarity)) issues.push({ path: 'minSimilarity', message: `must be a number (a cosine, at most 1); got ${String(minSimilarity)}.` });
  if (issues.length > 0) throw new InvalidRequestError(`Invalid vector search options: ${issues.map((issue) => `${issue.path} ${issue.message}`).join(' ')}`, issues);
  return { k, minSimilarity, ef };
}
