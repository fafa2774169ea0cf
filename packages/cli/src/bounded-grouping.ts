// One grouping's rows in bounded memory: the top keys by requests (Space-Saving), each with its stats, the rest folded into one `(other)` row.
import { DistinctCount } from './distinct-count.js';
import { GroupStats } from './group-stats.js';
import { SpaceSaving } from './heavy-hitters.js';
import type { RequestRecord } from './parse-line.js';
import { OTHER_KEY, type GroupFolding, type GroupRow } from './report-model.js';

/**
 * Every request added lands in exactly one place: the row of its key while the key is kept, or
 * `(other)` once the key is let go (its stats are merged there). So the rows, `(other)` included,
 * always sum to what was added; memory is `limit` stats (and sketches) plus one, whatever the keys.
 */
export class BoundedGrouping {
  readonly #other = new GroupStats();
  readonly #distinct = new DistinctCount();
  readonly #table: SpaceSaving<GroupStats>;

  constructor(limit: number) {
    this.#table = new SpaceSaving(limit, () => new GroupStats(), (_key, stats) => this.#other.merge(stats));
  }

  /** Keys with stats of their own now: at most the limit. */
  get trackedKeys(): number {
    return this.#table.size;
  }

  add(key: string, record: RequestRecord): void {
    const { value, admitted } = this.#table.hit(key);
    // A key seen again while kept was counted when admitted: hash only on admission.
    if (admitted) this.#distinct.add(key);
    value.add(record);
  }

  /** The kept rows (unsorted), then `(other)` when something was folded. */
  rows(): GroupRow[] {
    const rows: GroupRow[] = this.#table.kept().map(({ key, maxMissed, value }) => (maxMissed > 0 ? { key, ...value.summary(), maxMissedRequests: maxMissed } : { key, ...value.summary() }));
    if (this.#table.evictions > 0) rows.push({ key: OTHER_KEY, ...this.#other.summary(), other: true });
    return rows;
  }

  folding(): GroupFolding {
    const kept = this.#table.kept();
    const folded = this.#table.evictions > 0;
    return {
      keptKeys: kept.length,
      foldedKeys: folded ? Math.max(0, Math.round(this.#distinct.estimate()) - kept.length) : 0,
      foldedKeysApproximate: folded,
      foldedRequests: this.#other.requests,
      approximateRows: kept.filter((slot) => slot.maxMissed > 0).length,
    };
  }
}
