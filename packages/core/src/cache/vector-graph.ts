import { ScoreHeap } from './vector-heap.js';
import type { RandomSource } from './vector-random.js';
import type { VectorSlab } from './vector-slab.js';

export interface VectorGraphOptions {
  /** Links per node on the upper layers; layer 0 gets twice as many (as in the HNSW paper). */
  m: number;
  /** Beam width while inserting: wider finds better neighbours and builds slower. */
  efConstruction: number;
  random: RandomSource;
}

/** Highest layer a node may get; with m = 16, layer 12 would need about 16^12 nodes. */
const MAX_LEVEL = 12;
const ROWS_PER_CHUNK = 1024;

/**
 * A hierarchical navigable small world graph (Malkov & Yashunin, 2016) over the rows of a
 * slab of normalised sketches, where a dot product is the similarity. Slots are rows; the
 * index writes a row and then links it.
 *
 * Deletion: a removed node stays in the graph as a tombstone that searches walk through but
 * never return, so paths through it survive. Its out-neighbours that linked back to it get,
 * in its place, the best of its own neighbours for them (a path u → x → v becomes u → v), so
 * repeated expiry does not cut the graph apart. The next insert reuses the slot: the old links
 * go, the new node is linked as fresh. In-links from nodes it did not link to are left to point
 * at whatever the slot holds next: a stray long link, harmless to a beam search. So the graph
 * never grows past the most entries it has held at once, and no rebuild is needed. What
 * tombstones cost while they wait for reuse is time, not recall: a search keeps going until it
 * has `ef` live nodes (tested with half the entries removed, and through five rounds of 20%
 * churn). A cache that shrinks for good keeps its peak memory; rebuilding it is a new index.
 */
export class VectorGraph {
  private readonly sketches: VectorSlab;
  private readonly m: number;
  private readonly m0: number;
  private readonly efConstruction: number;
  private readonly random: RandomSource;
  private readonly levelFactor: number;

  /** Layer 0 links, chunked: per slot a count, then up to `m0` slots. */
  private readonly layer0: Int32Array[] = [];
  /** Layers 1+ of the few nodes that have them: per layer a count, then up to `m` slots. */
  private readonly upper = new Map<number, Int32Array>();
  private levels = new Uint8Array(ROWS_PER_CHUNK);
  private live = new Uint8Array(ROWS_PER_CHUNK);
  private visited = new Uint32Array(ROWS_PER_CHUNK);
  private epoch = 0;
  private readonly free: number[] = [];

  /** Slots ever used (live, tombstones and free). */
  slotCount = 0;
  private entry = -1;
  private maxLevel = -1;
  /** The slot `insert` is linking, which its own searches skip; -1 otherwise. */
  private inserting = -1;

  private readonly candidates = new ScoreHeap();
  private readonly results = new ScoreHeap();
  private readonly foundSlots: number[] = [];
  private readonly foundScores: number[] = [];
  /** Scratch for `addLink`: the similarity of each link of the list being pruned. */
  private readonly linkScores: number[] = [];

  constructor(sketches: VectorSlab, options: VectorGraphOptions) {
    this.sketches = sketches;
    this.m = options.m;
    this.m0 = options.m * 2;
    this.efConstruction = options.efConstruction;
    this.random = options.random;
    this.levelFactor = 1 / Math.log(options.m);
  }

  /** Bytes held by links and per-slot flags (the sketches are the slab's). */
  get bytes(): number {
    let upperBytes = 0;
    for (const links of this.upper.values()) upperBytes += links.byteLength;
    return this.layer0.length * ROWS_PER_CHUNK * (this.m0 + 1) * 4 + upperBytes + this.levels.byteLength + this.live.byteLength + this.visited.byteLength;
  }

  /** The slot the next node goes into: a freed one if any, else a new one. Write its sketch, then `insert` it. */
  allocate(): number {
    return this.free.length > 0 ? (this.free.pop() as number) : this.slotCount;
  }

  /** Links the node whose sketch is in `slot` (from `allocate`). */
  insert(slot: number): void {
    if (slot === this.slotCount) this.addSlot();
    else this.clearLinks(slot);
    const level = this.levels[slot] as number;
    this.live[slot] = 1;
    if (this.entry < 0) {
      this.entry = slot;
      this.maxLevel = level;
      return;
    }
    const query = this.sketchOf(slot);
    // A reused slot may still be linked from nodes the removal did not repair: the searches
    // below must not find the node being linked, or it would end up linked to nothing.
    this.inserting = slot;
    let entries = [this.entry];
    for (let layer = this.maxLevel; layer > level; layer--) entries = [this.greedy(query, entries[0] as number, layer)];
    for (let layer = Math.min(level, this.maxLevel); layer >= 0; layer--) {
      this.searchLayer(query, entries, this.efConstruction, layer);
      const found = this.takeFound();
      if (found.slots.length === 0) continue;
      const max = layer === 0 ? this.m0 : this.m;
      const neighbours = this.selectNeighbours(found.slots, found.scores, max);
      this.setLinks(slot, layer, neighbours);
      for (const neighbour of neighbours) this.addLink(neighbour, slot, layer);
      entries = found.slots;
    }
    this.inserting = -1;
    if (level > this.maxLevel) {
      this.entry = slot;
      this.maxLevel = level;
    }
  }

  /** Makes `slot` a tombstone, repairs its neighbours' links and frees the slot for reuse. */
  remove(slot: number): void {
    if (this.live[slot] !== 1) return;
    this.live[slot] = 0;
    const level = this.levels[slot] as number;
    for (let layer = 0; layer <= level; layer++) this.bypass(slot, layer);
    if (slot === this.entry) this.chooseEntry();
    this.free.push(slot);
  }

  /**
   * Up to `ef` live slots most similar to `query` (a normalised sketch), in no order, with
   * their sketch similarities; the arrays are reused by the next call.
   */
  search(query: Float32Array, ef: number): { slots: number[]; scores: number[] } {
    if (this.entry < 0) return this.takeFound();
    let current = this.entry;
    for (let layer = this.maxLevel; layer > 0; layer--) current = this.greedy(query, current, layer);
    this.searchLayer(query, [current], ef, 0);
    return this.takeFound();
  }

  private sketchOf(slot: number): Float32Array {
    const chunk = this.sketches.chunkOf(slot);
    const offset = this.sketches.offsetOf(slot);
    return chunk.subarray(offset, offset + this.sketches.width);
  }

  private addSlot(): void {
    const slot = this.slotCount++;
    if (slot >= this.levels.length) {
      this.levels = growBytes(this.levels);
      this.live = growBytes(this.live);
      this.visited = growWords(this.visited);
    }
    while (slot >= this.layer0.length * ROWS_PER_CHUNK) this.layer0.push(new Int32Array(ROWS_PER_CHUNK * (this.m0 + 1)));
    // Levels fall off geometrically (factor 1/m per layer), so the upper layers stay small.
    const level = Math.min(MAX_LEVEL, Math.floor(-Math.log(1 - this.random()) * this.levelFactor));
    this.levels[slot] = level;
    if (level > 0) this.upper.set(slot, new Int32Array(level * (this.m + 1)));
  }

  private clearLinks(slot: number): void {
    const level = this.levels[slot] as number;
    for (let layer = 0; layer <= level; layer++) {
      const { links, offset } = this.linksOf(slot, layer);
      links[offset] = 0;
    }
  }

  /** Where `slot`'s links on `layer` are: `links[offset]` is the count, the slots follow. */
  private linksOf(slot: number, layer: number): { links: Int32Array; offset: number } {
    if (layer === 0) return { links: this.layer0[Math.floor(slot / ROWS_PER_CHUNK)] as Int32Array, offset: (slot % ROWS_PER_CHUNK) * (this.m0 + 1) };
    return { links: this.upper.get(slot) as Int32Array, offset: (layer - 1) * (this.m + 1) };
  }

  private setLinks(slot: number, layer: number, neighbours: readonly number[]): void {
    const { links, offset } = this.linksOf(slot, layer);
    links[offset] = neighbours.length;
    for (let i = 0; i < neighbours.length; i++) links[offset + 1 + i] = neighbours[i] as number;
  }

  /**
   * Adds `target` to `slot`'s links on `layer`. A full list takes it the way the heuristic
   * (below) would, one candidate at a time instead of re-running it over the whole list: the
   * newcomer is refused if a stronger link is more similar to it than `slot` is; else it goes
   * in, any weaker link it outshines goes out, and the weakest goes if still over. That is
   * about 2 × `max` dot products where re-running costs `max`² / 2: with `m` 16 the build
   * took twice as long the other way. It differs only in not re-judging old links against
   * each other, which the list's own selection did when it was made.
   */
  private addLink(slot: number, target: number, layer: number): void {
    const { links, offset } = this.linksOf(slot, layer);
    const count = links[offset] as number;
    // A reused slot may still be linked from here (an in-link the removal did not repair).
    if (contains(links, offset, target)) return;
    const max = layer === 0 ? this.m0 : this.m;
    if (count < max) {
      links[offset + 1 + count] = target;
      links[offset] = count + 1;
      return;
    }
    const score = this.sketches.dotRows(slot, target);
    const scores = this.linkScores;
    for (let i = 0; i < count; i++) {
      const other = links[offset + 1 + i] as number;
      scores[i] = this.sketches.dotRows(slot, other);
      if ((scores[i] as number) >= score && this.sketches.dotRows(other, target) > score) return;
    }
    let kept = 0;
    let weakest = -1;
    for (let i = 0; i < count; i++) {
      const other = links[offset + 1 + i] as number;
      const otherScore = scores[i] as number;
      if (otherScore < score && this.sketches.dotRows(other, target) > otherScore) continue;
      links[offset + 1 + kept] = other;
      scores[kept] = otherScore;
      if (weakest < 0 || otherScore < (scores[weakest] as number)) weakest = kept;
      kept++;
    }
    if (kept === max) {
      // Still full: the newcomer takes the weakest link's place if it is stronger.
      if ((scores[weakest] as number) >= score) return;
      links[offset + 1 + weakest] = target;
    } else {
      links[offset + 1 + kept] = target;
      kept++;
    }
    links[offset] = kept;
  }

  /**
   * The HNSW heuristic (the paper's algorithm 4): take candidates from the most similar down,
   * and keep one only if it is more similar to the base than to any kept so far. Links then
   * point in different directions instead of all into one cluster, which keeps clustered data
   * (real embeddings) navigable.
   */
  private selectNeighbours(slots: readonly number[], scores: readonly number[], max: number): number[] {
    const order = slots.map((_, i) => i).sort((a, b) => (scores[b] as number) - (scores[a] as number));
    const kept: number[] = [];
    for (const i of order) {
      if (kept.length >= max) break;
      const candidate = slots[i] as number;
      const score = scores[i] as number;
      let diverse = true;
      for (const other of kept) {
        if (this.sketches.dotRows(candidate, other) > score) {
          diverse = false;
          break;
        }
      }
      if (diverse) kept.push(candidate);
    }
    return kept;
  }

  /**
   * Each out-neighbour of the removed `slot` that links back to it gets, in its place, the
   * live neighbour of `slot` most similar to it that it does not link to yet.
   */
  private bypass(slot: number, layer: number): void {
    const { links: own, offset: ownOffset } = this.linksOf(slot, layer);
    const ownCount = own[ownOffset] as number;
    for (let i = 0; i < ownCount; i++) {
      const neighbour = own[ownOffset + 1 + i] as number;
      if (this.live[neighbour] !== 1 || (this.levels[neighbour] as number) < layer) continue;
      const { links, offset } = this.linksOf(neighbour, layer);
      const count = links[offset] as number;
      let at = -1;
      for (let j = 0; j < count; j++) if (links[offset + 1 + j] === slot) at = j;
      if (at < 0) continue;
      let best = -1;
      let bestScore = -Infinity;
      for (let j = 0; j < ownCount; j++) {
        const candidate = own[ownOffset + 1 + j] as number;
        if (candidate === neighbour || this.live[candidate] !== 1 || (this.levels[candidate] as number) < layer || contains(links, offset, candidate)) continue;
        const score = this.sketches.dotRows(neighbour, candidate);
        if (score > bestScore) {
          bestScore = score;
          best = candidate;
        }
      }
      if (best >= 0) {
        links[offset + 1 + at] = best;
      } else {
        links[offset + 1 + at] = links[offset + count] as number;
        links[offset] = count - 1;
      }
    }
  }

  /** After the entry point is removed: the live node on the highest layer (a scan, but rare). */
  private chooseEntry(): void {
    this.entry = -1;
    this.maxLevel = -1;
    for (let slot = 0; slot < this.slotCount; slot++) {
      if (this.live[slot] === 1 && (this.levels[slot] as number) > this.maxLevel) {
        this.entry = slot;
        this.maxLevel = this.levels[slot] as number;
      }
    }
  }

  /** Greedy descent on an upper layer: move to the most similar neighbour until none is better. */
  private greedy(query: Float32Array, start: number, layer: number): number {
    let current = start;
    let best = this.sketches.dot(current, query);
    for (let moved = true; moved; ) {
      moved = false;
      const { links, offset } = this.linksOf(current, layer);
      const count = links[offset] as number;
      for (let i = 0; i < count; i++) {
        const neighbour = links[offset + 1 + i] as number;
        if (neighbour === this.inserting) continue;
        const score = this.sketches.dot(neighbour, query);
        if (score > best) {
          best = score;
          current = neighbour;
          moved = true;
        }
      }
    }
    return current;
  }

  /**
   * Beam search on one layer into `results`: the `ef` most similar live nodes reachable from
   * `entries`. Tombstones are walked through but never kept, so with many of them the search
   * goes further rather than returning fewer.
   */
  private searchLayer(query: Float32Array, entries: readonly number[], ef: number, layer: number): void {
    const epoch = this.nextEpoch();
    if (this.inserting >= 0) this.visited[this.inserting] = epoch;
    const candidates = this.candidates;
    const results = this.results;
    candidates.clear();
    results.clear();
    for (const entry of entries) {
      if (this.visited[entry] === epoch) continue;
      this.visited[entry] = epoch;
      const score = this.sketches.dot(entry, query);
      candidates.push(entry, -score);
      if (this.live[entry] === 1) results.push(entry, score);
    }
    while (results.size > ef) results.pop();
    while (candidates.size > 0) {
      const score = -candidates.peekScore();
      if (results.size >= ef && score < results.peekScore()) break;
      const current = candidates.pop();
      if ((this.levels[current] as number) < layer) continue;
      const { links, offset } = this.linksOf(current, layer);
      const count = links[offset] as number;
      for (let i = 0; i < count; i++) {
        const neighbour = links[offset + 1 + i] as number;
        if (this.visited[neighbour] === epoch) continue;
        this.visited[neighbour] = epoch;
        const neighbourScore = this.sketches.dot(neighbour, query);
        if (results.size < ef || neighbourScore > results.peekScore()) {
          candidates.push(neighbour, -neighbourScore);
          if (this.live[neighbour] === 1) {
            results.push(neighbour, neighbourScore);
            if (results.size > ef) results.pop();
          }
        }
      }
    }
  }

  /** Moves `results` into the reusable found arrays. */
  private takeFound(): { slots: number[]; scores: number[] } {
    const slots = this.foundSlots;
    const scores = this.foundScores;
    slots.length = 0;
    scores.length = 0;
    if (this.entry >= 0) this.results.drain(slots, scores);
    return { slots, scores };
  }

  private nextEpoch(): number {
    if (this.epoch === 0xffffffff) {
      this.visited.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}

function contains(links: Int32Array, offset: number, slot: number): boolean {
  const count = links[offset] as number;
  for (let i = 0; i < count; i++) if (links[offset + 1 + i] === slot) return true;
  return false;
}

function growBytes(array: Uint8Array) {
  const bigger = new Uint8Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

function growWords(array: Uint32Array) {
  const bigger = new Uint32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
