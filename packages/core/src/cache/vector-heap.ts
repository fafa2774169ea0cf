/**
 * A binary min-heap of (slot, score) pairs in typed arrays, reused across searches so that a
 * search allocates nothing per step. A max-heap is the same heap fed negated scores.
 */
export class ScoreHeap {
  private slots = new Int32Array(64);
  private scores = new Float64Array(64);
  size = 0;

  clear(): void {
    this.size = 0;
  }

  /** The smallest score; only when `size > 0`. */
  peekScore(): number {
    return this.scores[0] as number;
  }

  push(slot: number, score: number): void {
    if (this.size === this.slots.length) this.grow();
    let i = this.size++;
    // Sift up: move parents down until the new pair's place is found.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentScore = this.scores[parent] as number;
      if (parentScore <= score) break;
      this.slots[i] = this.slots[parent] as number;
      this.scores[i] = parentScore;
      i = parent;
    }
    this.slots[i] = slot;
    this.scores[i] = score;
  }

  /** Removes the smallest pair and returns its slot; only when `size > 0`. */
  pop(): number {
    const top = this.slots[0] as number;
    const last = --this.size;
    if (last > 0) this.siftDown(this.slots[last] as number, this.scores[last] as number);
    return top;
  }

  /** Copies the pairs out (in heap order) into `slots` and `scores`; returns how many. */
  drain(slots: number[], scores: number[]): number {
    for (let i = 0; i < this.size; i++) {
      slots.push(this.slots[i] as number);
      scores.push(this.scores[i] as number);
    }
    const count = this.size;
    this.size = 0;
    return count;
  }

  private siftDown(slot: number, score: number): void {
    let i = 0;
    const size = this.size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (this.scores[right] as number) < (this.scores[child] as number)) child = right;
      if ((this.scores[child] as number) >= score) break;
      this.slots[i] = this.slots[child] as number;
      this.scores[i] = this.scores[child] as number;
      i = child;
    }
    this.slots[i] = slot;
    this.scores[i] = score;
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2);
    slots.set(this.slots);
    this.slots = slots;
    const scores = new Float64Array(this.scores.length * 2);
    scores.set(this.scores);
    this.scores = scores;
  }
}
