// A bounded heavy-hitters table (Space-Saving, counted by occurrences): at most `capacity` keys, the least counted one let go for a new key.

/** One key the table keeps: its Space-Saving counter, the counter it inherited, and what the caller accumulates for it. */
interface Slot<V> {
  key: string;
  /** An upper bound on the key's occurrences: `error` plus the occurrences since it was admitted. */
  count: number;
  /** The counter inherited from the key it replaced: at most this many of the key's occurrences came before it was admitted. */
  error: number;
  value: V;
  /** Position in the heap. */
  index: number;
}

export interface KeptKey<V> {
  key: string;
  /** Occurrences counted since the key was last admitted (exact). */
  occurrences: number;
  /** At most this many of the key's occurrences came before it was admitted (and went to the evicted values): 0 means `occurrences` is exact. */
  maxMissed: number;
  value: V;
}

/**
 * Space-Saving (Metwally, Agrawal, El Abbadi, 2005) over a min-heap of counters. With N
 * occurrences counted, the smallest counter is at most N/capacity, so every key seen more than
 * N/capacity times has a slot at the end, and a kept key misses at most its `maxMissed`
 * (≤ N/capacity) occurrences. Each `hit` is O(log capacity); memory is `capacity` slots.
 */
export class SpaceSaving<V> {
  readonly #capacity: number;
  readonly #create: () => V;
  readonly #evicted: (key: string, value: V) => void;
  readonly #heap: Array<Slot<V>> = [];
  readonly #slots = new Map<string, Slot<V>>();
  #evictions = 0;

  /** `create` makes a new key's value; `evicted` is given the value of a key let go (the caller folds it elsewhere). */
  constructor(capacity: number, create: () => V, evicted: (key: string, value: V) => void) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`the heavy-hitters capacity must be a positive integer, got ${capacity}`);
    this.#capacity = capacity;
    this.#create = create;
    this.#evicted = evicted;
  }

  /** Keys held now: never more than the capacity. */
  get size(): number {
    return this.#slots.size;
  }

  /** How many times a key was let go for another. */
  get evictions(): number {
    return this.#evictions;
  }

  /** Counts one occurrence of `key` and returns its value (to add the occurrence to); `admitted` is true when the key had no slot. */
  hit(key: string): { value: V; admitted: boolean } {
    const found = this.#slots.get(key);
    if (found) {
      found.count += 1;
      this.#siftDown(found.index);
      return { value: found.value, admitted: false };
    }
    if (this.#heap.length < this.#capacity) {
      const slot: Slot<V> = { key, count: 1, error: 0, value: this.#create(), index: this.#heap.length };
      this.#heap.push(slot);
      this.#slots.set(key, slot);
      this.#siftUp(slot.index);
      return { value: slot.value, admitted: true };
    }
    const least = this.#heap[0];
    if (!least) throw new Error('unreachable: a full heap has a root');
    this.#slots.delete(least.key);
    this.#evictions += 1;
    this.#evicted(least.key, least.value);
    least.key = key;
    least.error = least.count;
    least.count += 1;
    least.value = this.#create();
    this.#slots.set(key, least);
    this.#siftDown(0);
    return { value: least.value, admitted: true };
  }

  kept(): Array<KeptKey<V>> {
    return this.#heap.map((slot) => ({ key: slot.key, occurrences: slot.count - slot.error, maxMissed: slot.error, value: slot.value }));
  }

  #siftUp(start: number): void {
    let index = start;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.#less(index, parent)) return;
      this.#swap(index, parent);
      index = parent;
    }
  }

  #siftDown(start: number): void {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let smallest = index;
      if (left < this.#heap.length && this.#less(left, smallest)) smallest = left;
      if (right < this.#heap.length && this.#less(right, smallest)) smallest = right;
      if (smallest === index) return;
      this.#swap(index, smallest);
      index = smallest;
    }
  }

  #less(a: number, b: number): boolean {
    return (this.#heap[a]?.count ?? 0) < (this.#heap[b]?.count ?? 0);
  }

  #swap(a: number, b: number): void {
    const first = this.#heap[a];
    const second = this.#heap[b];
    if (!first || !second) return;
    this.#heap[a] = second;
    this.#heap[b] = first;
    first.index = b;
    second.index = a;
  }
}
