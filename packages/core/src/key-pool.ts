import { ProviderError } from './errors.js';

export type PooledKey = string | { key: string; weight?: number | undefined };

export interface KeyPoolOptions {
  /** How long a key that was refused (401/403) rests, in ms (default 60_000). A 429 rests it for its Retry-After, or this. */
  cooldownMs?: number | undefined;
  now?: (() => number) | undefined;
  random?: (() => number) | undefined;
}

interface Entry {
  key: string;
  weight: number;
  restingUntil: number;
}

/**
 * Several API keys for one provider: each call takes one at random by weight, skipping
 * keys that were refused or rate-limited until their cooldown ends. If every key rests,
 * the one that wakes first is used rather than failing outright.
 */
export class KeyPool {
  readonly #entries: Entry[];
  readonly #cooldownMs: number;
  readonly #now: () => number;
  readonly #random: () => number;

  constructor(keys: readonly PooledKey[], options: KeyPoolOptions = {}) {
    if (keys.length === 0) throw new RangeError('A key pool needs at least one key.');
    this.#entries = keys.map((entry) => {
      const { key, weight = 1 } = typeof entry === 'string' ? { key: entry } : entry;
      if (!(weight > 0)) throw new RangeError('Key weights must be positive.');
      return { key, weight, restingUntil: 0 };
    });
    this.#cooldownMs = options.cooldownMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
  }

  /** Every key, to scrub from error messages. */
  get keys(): string[] {
    return this.#entries.map((entry) => entry.key);
  }

  pick(): string {
    const now = this.#now();
    let total = 0;
    for (const entry of this.#entries) if (entry.restingUntil <= now) total += entry.weight;
    if (total === 0) return this.#entries.reduce((a, b) => (b.restingUntil < a.restingUntil ? b : a)).key;
    let point = this.#random() * total;
    for (const entry of this.#entries) {
      if (entry.restingUntil > now) continue;
      if (point < entry.weight) return entry.key;
      point -= entry.weight;
    }
    return (this.#entries.findLast((entry) => entry.restingUntil <= now) as Entry).key;
  }

  /** Rests the key after a failure that is the key's fault: refused (401/403) or rate-limited (429). */
  report(key: string, error: unknown): void {
    if (!(error instanceof ProviderError) || error.status === undefined) return;
    if (error.status !== 401 && error.status !== 403 && error.status !== 429) return;
    const entry = this.#entries.find((candidate) => candidate.key === key);
    if (!entry) return;
    const rest = error.status === 429 && error.retryAfterMs !== undefined ? error.retryAfterMs : this.#cooldownMs;
    entry.restingUntil = Math.max(entry.restingUntil, this.#now() + rest);
  }
}

/** What the pool needs of an SDK client: its key, and a copy with another key (openai and @anthropic-ai/sdk have both). */
export interface KeyedClient<C> {
  readonly apiKey?: unknown;
  withOptions(options: { apiKey: string }): C;
}

/**
 * The app's SDK client, or, with a key pool, one copy of it per key: each call leases a
 * client, and a failure the key is to blame for rests that key.
 */
export class SdkClientPool<C extends KeyedClient<C>> {
  readonly #client: C;
  readonly #pool: KeyPool | undefined;
  readonly #copies = new Map<string, C>();

  constructor(client: C, keys: readonly PooledKey[] | undefined, cooldownMs: number | undefined) {
    this.#client = client;
    this.#pool = keys ? new KeyPool(keys, { cooldownMs }) : undefined;
  }

  /** Every key in play, to scrub from error messages. */
  get secrets(): string[] {
    const own = this.#client.apiKey;
    return [...(typeof own === 'string' ? [own] : []), ...(this.#pool?.keys ?? [])];
  }

  lease(): { client: C; key: string | undefined } {
    if (!this.#pool) return { client: this.#client, key: undefined };
    const key = this.#pool.pick();
    let client = this.#copies.get(key);
    if (!client) this.#copies.set(key, (client = this.#client.withOptions({ apiKey: key })));
    return { client, key };
  }

  /** Rests the leased key if the failure is its fault; returns the error to throw. */
  blame<E>(key: string | undefined, error: E): E {
    if (key !== undefined) this.#pool?.report(key, error);
    return error;
  }
}
