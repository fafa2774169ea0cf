import type { StoredAnswer } from './exact-cache-entry.js';
import { createVectorIndex, type VectorIndex } from './vector-index.js';

/** One stored answer and the embedding of the question it answered. */
export interface SemanticCacheEntry extends StoredAnswer {
  /** Unique over namespaces and scopes; the `key` of its cache events. */
  readonly id: string;
  /** The namespace and scope it was stored under: it is compared only with questions of the same. */
  readonly slot: string;
  /** The question's embedding, normalised. */
  readonly vector: Float32Array;
}

export interface SemanticMatch {
  readonly entry: SemanticCacheEntry;
  readonly similarity: number;
}

/**
 * A scope with fewer entries than this is scanned in full (exact cosine); one that grows to
 * it gets a vector index. An index allocates its vectors 1,024 rows at a time (6 MiB at 1,536
 * dimensions), so one per scope from the start would cost that much for each system prompt
 * seen once; a scan of a few hundred vectors takes well under a millisecond.
 */
const INDEX_AT = 256;

/** Matches a search asks the index for, so that expired ones in front do not hide a live one. */
const SEARCH_K = 4;

interface Scope {
  readonly ids: Set<string>;
  index: VectorIndex | undefined;
}

/**
 * The semantic cache's memory: entries bounded by count (least recently used first out), and
 * per namespace and scope the vectors to compare with. An entry is only ever compared with
 * questions of its own scope: each scope has its own scan list or index.
 */
export class SemanticCacheMemory {
  readonly #maxEntries: number;
  /** In use order: a hit moves its entry to the end, so the first is the least recently used. */
  readonly #entries = new Map<string, SemanticCacheEntry>();
  readonly #scopes = new Map<string, Scope>();

  constructor(maxEntries: number) {
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The most similar live entry of `slot` at or above `minSimilarity`; expired entries met on the way are removed. */
  find(slot: string, vector: Float32Array, minSimilarity: number, now: number): SemanticMatch | undefined {
    const scope = this.#scopes.get(slot);
    if (!scope) return undefined;
    for (;;) {
      const matches = scope.index ? this.#searchIndex(scope.index, vector, minSimilarity) : this.#scan(scope, vector, minSimilarity);
      if (matches.length === 0) return undefined;
      let expired = false;
      for (const match of matches) {
        if (match.entry.expiresAt > now) {
          this.#touch(match.entry);
          return match;
        }
        this.delete(match.entry.id);
        expired = true;
      }
      // Every match had expired: look again, since a live entry may have been behind them.
      if (!expired || this.#scopes.get(slot) !== scope) return undefined;
    }
  }

  /** Adds (or replaces) an entry; drops expired entries at the old end, then the least recently used over the bound. */
  set(entry: SemanticCacheEntry, now: number): void {
    this.delete(entry.id);
    for (const oldest of this.#entries.values()) {
      if (oldest.expiresAt > now) break;
      this.delete(oldest.id);
    }
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.delete(oldest.value);
    }
    this.#entries.set(entry.id, entry);
    let scope = this.#scopes.get(entry.slot);
    if (!scope) {
      scope = { ids: new Set(), index: undefined };
      this.#scopes.set(entry.slot, scope);
    }
    scope.ids.add(entry.id);
    if (scope.index) scope.index.add(entry.id, entry.vector);
    else if (scope.ids.size >= INDEX_AT) scope.index = this.#indexOf(scope);
  }

  delete(id: string): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    const scope = this.#scopes.get(entry.slot);
    if (scope) {
      scope.ids.delete(id);
      scope.index?.remove(id);
      if (scope.ids.size === 0) this.#scopes.delete(entry.slot);
    }
    return true;
  }

  #touch(entry: SemanticCacheEntry): void {
    this.#entries.delete(entry.id);
    this.#entries.set(entry.id, entry);
  }

  #indexOf(scope: Scope): VectorIndex | undefined {
    const first = this.#entries.get(scope.ids.values().next().value ?? '');
    if (!first) return undefined;
    const index = createVectorIndex({ dimensions: first.vector.length });
    for (const id of scope.ids) {
      const entry = this.#entries.get(id);
      if (entry) index.add(id, entry.vector);
    }
    return index;
  }

  #searchIndex(index: VectorIndex, vector: Float32Array, minSimilarity: number): SemanticMatch[] {
    const matches: SemanticMatch[] = [];
    for (const match of index.search(vector, { k: SEARCH_K, minSimilarity })) {
      const entry = this.#entries.get(match.id);
      if (entry) matches.push({ entry, similarity: match.similarity });
    }
    return matches;
  }

  /** Every entry of a small scope, scored exactly; the best `SEARCH_K` at or above `minSimilarity`. */
  #scan(scope: Scope, vector: Float32Array, minSimilarity: number): SemanticMatch[] {
    const matches: SemanticMatch[] = [];
    for (const id of scope.ids) {
      const entry = this.#entries.get(id);
      if (!entry || entry.vector.length !== vector.length) continue;
      let dot = 0;
      for (let i = 0; i < vector.length; i++) dot += (vector[i] as number) * (entry.vector[i] as number);
      // Float32 rounding can put a vector's cosine with itself a hair above 1.
      const similarity = Math.min(1, Math.max(-1, dot));
      if (similarity >= minSimilarity) matches.push({ entry, similarity });
    }
    matches.sort((a, b) => b.similarity - a.similarity);
    if (matches.length > SEARCH_K) matches.length = SEARCH_K;
    return matches;
  }
}

/** A normalised float32 copy of `vector`, or `undefined` when it has no direction (all zeros) or a non-finite value. */
export function normalised(vector: readonly number[]): Float32Array | undefined {
  let norm = 0;
  for (const value of vector) {
    if (!Number.isFinite(value)) return undefined;
    norm += value * value;
  }
  if (norm === 0 || !Number.isFinite(norm)) return undefined;
  const scale = 1 / Math.sqrt(norm);
  const out = new Float32Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) * scale;
  return out;
}
