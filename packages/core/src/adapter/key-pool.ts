import { z } from 'zod';
import { ProviderError, type GatewayError } from '../errors/errors.js';
import type { CallContext } from './adapter.js';
import { invalidOptionsError, mustBe, objectErrors } from '../errors/option-messages.js';

export type PooledKey = string | { key: string; weight?: number | undefined };

export interface KeyPoolOptions {
  /** How long a key that was refused (401/403) rests, in ms (default 60_000). A 429 rests it for its Retry-After, or this. */
  cooldownMs?: number | undefined;
  now?: (() => number) | undefined;
  random?: (() => number) | undefined;
}

const keySchema = z.string(mustBe('a non-empty string')).min(1, mustBe('a non-empty string'));
const functionOption = z.custom<() => number>((value) => typeof value === 'function', mustBe('a function')).optional();
const weightedKeyShape = {
  key: keySchema,
  weight: z.custom<number>((value) => typeof value === 'number' && value > 0 && Number.isFinite(value), mustBe('a finite number > 0')).optional(),
};
const weightedKeySchema = z.object(weightedKeyShape, objectErrors(weightedKeyShape)).strict();

/** What a key pool accepts as its keys: at least one, each a key or `{ key, weight? }` with a finite weight > 0. */
export const pooledKeysSchema = z
  .array(
    // By the entry's type, so that a bad `{ key, weight }` says what is wrong with it.
    z.custom<PooledKey>().superRefine((entry, ctx) => {
      if (typeof entry === 'string') {
        if (entry.length === 0) ctx.addIssue({ code: 'custom', message: "must be a non-empty string, got ''" });
        return;
      }
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        ctx.addIssue({ code: 'custom', message: mustBe('a key or { key, weight? }').error({ input: entry }) });
        return;
      }
      const checked = weightedKeySchema.safeParse(entry);
      if (!checked.success) for (const issue of checked.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
    }),
    mustBe('a list of keys'),
  )
  .min(1, 'must list at least one key');

const keyPoolOptionsShape = {
  cooldownMs: z.custom<number>((value) => typeof value === 'number' && value >= 0 && Number.isFinite(value), mustBe('a finite number ≥ 0')).optional(),
  now: functionOption,
  random: functionOption,
} satisfies { [K in keyof Required<KeyPoolOptions>]: z.ZodType<KeyPoolOptions[K]> };

/** The one definition of what a key pool's options accept; the pool checks them with it at construction. */
export const keyPoolOptionsSchema = z.object(keyPoolOptionsShape, objectErrors(keyPoolOptionsShape)).strict();

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
    const checkedKeys = pooledKeysSchema.safeParse(keys);
    if (!checkedKeys.success) {
      throw invalidOptionsError('key pool', checkedKeys.error.issues.map((issue) => ({ message: issue.message, path: ['keys', ...issue.path] })));
    }
    const checked = keyPoolOptionsSchema.safeParse(options);
    if (!checked.success) throw invalidOptionsError('key pool', checked.error.issues);
    this.#entries = keys.map((entry) => {
      const { key, weight = 1 } = typeof entry === 'string' ? { key: entry } : entry;
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

  /** A key for a new call, by weight among those not resting; if every key rests, the one that wakes first. */
  pick(): string {
    const now = this.#now();
    return this.#choose(now, undefined) ?? this.#entries.reduce((a, b) => (b.restingUntil < a.restingUntil ? b : a)).key;
  }

  /** Another key for a call whose keys in `tried` were refused: by weight among the rest not resting, or none. */
  pickOther(tried: ReadonlySet<string>): string | undefined {
    return this.#choose(this.#now(), tried);
  }

  #choose(now: number, skip: ReadonlySet<string> | undefined): string | undefined {
    const usable = (entry: Entry) => entry.restingUntil <= now && !skip?.has(entry.key);
    let total = 0;
    for (const entry of this.#entries) if (usable(entry)) total += entry.weight;
    if (total === 0) return undefined;
    let point = this.#random() * total;
    for (const entry of this.#entries) {
      if (!usable(entry)) continue;
      if (point < entry.weight) return entry.key;
      point -= entry.weight;
    }
    return this.#entries.findLast(usable)?.key;
  }

  /**
   * Rests the key after a failure that is the key's fault: refused (401/403) or rate-limited
   * (429). Returns whether it was.
   */
  report(key: string, error: unknown): boolean {
    if (!isKeyFault(error)) return false;
    const entry = this.#entries.find((candidate) => candidate.key === key);
    if (!entry) return false;
    const rest = error.status === 429 && error.retryAfterMs !== undefined ? error.retryAfterMs : this.#cooldownMs;
    entry.restingUntil = Math.max(entry.restingUntil, this.#now() + rest);
    return true;
  }
}

/** A refusal (401/403) or a rate limit (429) is the key's, not the deployment's, while other keys remain. */
function isKeyFault(error: unknown): error is ProviderError & { status: number } {
  return error instanceof ProviderError && (error.status === 401 || error.status === 403 || error.status === 429);
}

/**
 * What the pool needs of an SDK client: its credentials (to scrub them from errors), and a
 * copy with another key (openai and @anthropic-ai/sdk have both).
 */
export interface KeyedClient<C> {
  readonly apiKey?: unknown;
  /** @anthropic-ai/sdk's bearer token, sent instead of or beside the key. */
  readonly authToken?: unknown;
  withOptions(options: { apiKey: string }): C;
}

/**
 * The app's SDK client, or, with a key pool, one copy of it per key. `run` makes a call
 * with a key; when that key is refused or rate-limited, the key rests and the same call is
 * made at once with another key that has not failed it, at most once per key. So a revoked
 * key costs its callers nothing while another works, and the deployment's health only hears
 * of it once every key has been refused.
 */
export class SdkClientPool<C extends KeyedClient<C>> {
  readonly #client: C;
  readonly #pool: KeyPool | undefined;
  readonly #copies = new Map<string, C>();

  constructor(client: C, keys: readonly PooledKey[] | undefined, cooldownMs: number | undefined) {
    this.#client = client;
    this.#pool = keys ? new KeyPool(keys, { cooldownMs }) : undefined;
  }

  /** Every credential in play, to scrub from error messages. */
  get secrets(): string[] {
    const own = [this.#client.apiKey, this.#client.authToken].filter((value): value is string => typeof value === 'string');
    return [...own, ...(this.#pool?.keys ?? [])];
  }

  /**
   * Runs `call` with a client, turning its failure into the gateway error to throw with
   * `normalise`. With a key pool, a key-fault failure (401, 403, 429) rests the key and
   * `call` runs again with another key not yet tried for this call and not resting; the last
   * failure is thrown once none is left. Each such retry is a `key_retried` warning on
   * `context` (the adapter's `CallContext`), which never names the key.
   */
  async run<T>(call: (client: C) => Promise<T>, normalise: (error: unknown) => GatewayError, context?: Pick<CallContext, 'warn'>): Promise<T> {
    const pool = this.#pool;
    if (!pool) {
      try {
        return await call(this.#client);
      } catch (error) {
        throw normalise(error);
      }
    }
    const tried = new Set<string>();
    let key: string | undefined = pool.pick();
    for (;;) {
      try {
        return await call(this.#copy(key));
      } catch (error) {
        const failure = normalise(error);
        if (!pool.report(key, failure)) throw failure;
        tried.add(key);
        key = pool.pickOther(tried);
        if (key === undefined) throw failure;
        context?.warn({
          code: 'key_retried',
          message: `A pooled key was refused (${failure instanceof ProviderError && failure.status !== undefined ? `HTTP ${failure.status}` : failure.code}); the call was made again with another key.`,
        });
      }
    }
  }

  #copy(key: string): C {
    let client = this.#copies.get(key);
    if (!client) this.#copies.set(key, (client = this.#client.withOptions({ apiKey: key })));
    return client;
  }
}
