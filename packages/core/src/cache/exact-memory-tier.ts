import { LRUCache } from 'lru-cache';
import { entrySize, type ExactCacheEntry } from './exact-cache-entry.js';

/**
 * The in-process tier: least recently used entries go first once there are `maxEntries` of
 * them or their sizes pass `maxBytes`. Expiry is judged on read by the cache's own clock
 * (so that a test's clock, and a Store shared with other processes, agree with it); an
 * expired entry is dropped when it is next read or when the LRU needs its room.
 */
export class ExactMemoryTier {
  readonly #lru: LRUCache<string, ExactCacheEntry>;
  readonly #maxBytes: number;

  constructor(maxEntries: number, maxBytes: number) {
    this.#maxBytes = maxBytes;
    this.#lru = new LRUCache<string, ExactCacheEntry>({ max: maxEntries, maxSize: maxBytes });
  }

  /** The live entry at `slot`, marked most recently used. */
  get(slot: string, now: number): ExactCacheEntry | undefined {
    const entry = this.#lru.get(slot);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now) return entry;
    this.#lru.delete(slot);
    return undefined;
  }

  /** Keeps `entry`; `false` when it alone is larger than the whole bound (then nothing is kept, an older entry at `slot` included). */
  set(slot: string, entry: ExactCacheEntry): boolean {
    const size = entrySize(slot, entry);
    if (size > this.#maxBytes) {
      this.#lru.delete(slot);
      return false;
    }
    this.#lru.set(slot, entry, { size });
    return true;
  }

  delete(slot: string): boolean {
    return this.#lru.delete(slot);
  }

  /** Drops every entry whose slot starts with `prefix` (a namespace); how many it dropped. */
  deletePrefix(prefix: string): number {
    let removed = 0;
    for (const slot of [...this.#lru.keys()]) {
      if (slot.startsWith(prefix) && this.#lru.delete(slot)) removed++;
    }
    return removed;
  }

  get size(): number {
    return this.#lru.size;
  }

  get bytes(): number {
    return this.#lru.calculatedSize;
  }
}
