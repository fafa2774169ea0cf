import { usageFromCompletionUsage, usageFromEmbeddings } from '../adapter/usage.js';
import type { CallOptions, CallCacheOptions } from '../contract/call-options.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from '../contract/embeddings.js';
import type { CostCalculator } from '../cost/cost-calculator.js';
import { TimeoutError } from '../errors/errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { CacheEvent } from '../events/events.js';
import type { CallEnd } from '../pipeline/call-meta.js';
import type { Middleware, Next, Operation, RequestContext, Result } from '../pipeline/middleware.js';
import type { Store, StoreValue } from '../store/store.js';
import { storeKey } from '../store/store-keys.js';
import { abortable } from './abortable.js';
import { captureAnswer, type CapturedAnswer } from './captured-answer.js';
import { keyOf, type GatewayCache, type InvalidatedCount } from './gateway-cache.js';
import { chunksFromCompletion } from './chunks-from-completion.js';
import {
  entrySize,
  parseEntry,
  serialiseEntry,
  storedCompletion,
  uncacheableChat,
  uncacheableEmbeddings,
  type ExactCacheEntry,
} from './exact-cache-entry.js';
import { exactCacheKey } from './exact-cache-key.js';
import { EXACT_CACHE_DEFAULTS, type CacheStoreOperation, type ExactCacheKeyFields, type ExactCacheOptions } from './exact-cache-options.js';
import { copyError, Flight } from './exact-flight.js';
import { ExactMemoryTier } from './exact-memory-tier.js';
import { ReplayStream } from './replay-stream.js';

/** What the cache gets from the gateway it runs in. */
export interface ExactCacheDeps {
  readonly events: EventBus;
  /** Prices what a hit saved, with the gateway's catalog. */
  readonly cost: CostCalculator;
}

/** Every key of the exact cache, in memory and in the Store, starts with this. */
const KEY_PREFIX = 'cache:exact:';

/** The answer a leader's call produced, as it reached the cache. */
type Captured = CapturedAnswer;

/** One call's place in the cache. */
interface Lookup {
  readonly namespace: string;
  readonly key: string;
  readonly slot: string;
  readonly options: CallCacheOptions | undefined;
}

/**
 * The exact response cache: a request middleware that answers a request it has seen before
 * (the same route and the same canonical request, see `exact-cache-key.ts`) from memory or
 * from a shared Store, without a provider call, and makes identical misses in flight at the
 * same time share one provider call. The gateway installs it first in the chain when
 * `cache.exact` is configured. docs/caching.md is the caller's guide.
 */
export class ExactCache implements GatewayCache {
  readonly enabled = true;
  readonly middleware: Middleware;
  readonly #memory: ExactMemoryTier;
  readonly #store: Store | undefined;
  /** The flight identical calls join, by slot. */
  readonly #flights = new Map<string, Flight>();
  /** Every miss in flight, those others cannot join (`noCache`, `coalesce: false`) included: an invalidation reaches them all. */
  readonly #leading = new Set<Flight>();
  /** Store writes not yet finished: an invalidation waits for them, so that none lands after it. */
  readonly #writes = new Set<Promise<unknown>>();
  readonly #ttlMs: number;
  readonly #namespace: string;
  readonly #prefix: string;
  readonly #keyFields: ExactCacheKeyFields | undefined;
  readonly #coalesce: boolean;
  readonly #now: () => number;
  readonly #onStoreError: (error: unknown, operation: CacheStoreOperation) => void;
  readonly #events: EventBus;
  readonly #cost: CostCalculator;

  constructor(options: ExactCacheOptions, deps: ExactCacheDeps) {
    this.#memory = new ExactMemoryTier(options.maxEntries ?? EXACT_CACHE_DEFAULTS.maxEntries, options.maxBytes ?? EXACT_CACHE_DEFAULTS.maxBytes);
    this.#store = options.store;
    this.#ttlMs = options.ttlMs ?? EXACT_CACHE_DEFAULTS.ttlMs;
    this.#namespace = options.namespace ?? EXACT_CACHE_DEFAULTS.namespace;
    this.#prefix = prefixOf(this.#namespace);
    this.#keyFields = options.keyFields;
    this.#coalesce = options.coalesce ?? EXACT_CACHE_DEFAULTS.coalesce;
    this.#now = options.now ?? Date.now;
    this.#onStoreError = options.onStoreError ?? warnStoreError;
    this.#events = deps.events;
    this.#cost = deps.cost;
    this.middleware = { name: 'switchyard:exact-cache', request: (ctx, next) => this.#request(ctx, next) };
  }

  keyOf(params: ChatCompletionCreateParams | EmbeddingCreateParams, options?: CallOptions): string {
    return keyOf(params, options, this.#keyFields);
  }

  async invalidate(key: string, options?: { namespace?: string | undefined }): Promise<boolean> {
    if (typeof key !== 'string' || key.length === 0) throw new TypeError('cache.invalidate(key): key must be a non-empty string (an entry key, from cache.keyOf or a cache event).');
    const slot = this.#prefixFor(options?.namespace) + key;
    for (const flight of this.#leading) if (flight.slot === slot) flight.invalidated = true;
    const inMemory = this.#memory.delete(slot);
    if (!this.#store) return inMemory;
    await this.#writesDone();
    const inStore = await this.#store.delete(slot);
    return inMemory || inStore;
  }

  async invalidateNamespace(namespace: string): Promise<InvalidatedCount> {
    if (typeof namespace !== 'string' || namespace.length === 0) throw new TypeError('cache.invalidateNamespace(namespace): namespace must be a non-empty string.');
    const prefix = prefixOf(namespace);
    for (const flight of this.#leading) if (flight.slot.startsWith(prefix)) flight.invalidated = true;
    const memory = this.#memory.deletePrefix(prefix);
    if (!this.#store) return { memory, store: 0 };
    await this.#writesDone();
    return { memory, store: await this.#store.deletePrefix(prefix) };
  }

  /** The hot path: a memory hit answers without an `await` of its own. */
  #request(ctx: RequestContext, next: Next): Promise<Result> {
    const options = ctx.options.cache;
    const namespace = options?.namespace ?? this.#namespace;
    const key = exactCacheKey(ctx, this.#keyFields);
    const lookup: Lookup = { namespace, key, slot: this.#prefixFor(options?.namespace) + key, options };
    if (options?.noCache !== true) {
      const entry = this.#memory.get(lookup.slot, this.#now());
      if (entry) return Promise.resolve(this.#hit(ctx, lookup, entry, 'memory'));
    }
    return this.#miss(ctx, next, lookup);
  }

  /** Not in memory: wait for an identical call in flight, or lead (the Store, then the provider). */
  async #miss(ctx: RequestContext, next: Next, lookup: Lookup): Promise<Result> {
    const fresh = lookup.options?.noCache === true;
    for (;;) {
      const flight = fresh || !this.#coalesce ? undefined : this.#flights.get(lookup.slot);
      if (!flight) return this.#lead(ctx, next, lookup);
      this.#emit('cache.miss', ctx, lookup, { coalesced: true });
      const outcome = await flight.wait(ctx.signal);
      if (outcome.kind === 'answer') return resultOf(outcome.entry, ctx.stream);
      if (outcome.kind === 'error') throw copyError(outcome.error);
      // The leader ended without an answer for reasons of its own: it may be in memory by now
      // (another flight stored it), else look again, and lead if nobody else does.
      const entry = this.#memory.get(lookup.slot, this.#now());
      if (entry) return this.#hit(ctx, lookup, entry, 'memory');
    }
  }

  async #lead(ctx: RequestContext, next: Next, lookup: Lookup): Promise<Result> {
    const flight = new Flight(lookup.slot);
    // Registered before the first `await`, so that identical calls made right after this one join it.
    const registered = this.#coalesce && !this.#flights.has(lookup.slot);
    if (registered) this.#flights.set(lookup.slot, flight);
    this.#leading.add(flight);
    const captured: Captured = {};
    ctx.onEnd((end) => {
      if (registered && this.#flights.get(lookup.slot) === flight) this.#flights.delete(lookup.slot);
      this.#leading.delete(flight);
      return this.#ended(end, lookup, flight, captured);
    });
    if (this.#store && lookup.options?.noCache !== true) {
      const entry = await this.#readStore(lookup.slot, ctx.operation, ctx.signal);
      if (entry) {
        if (!flight.invalidated) this.#memory.set(lookup.slot, entry);
        flight.settle({ kind: 'answer', entry });
        return this.#hit(ctx, lookup, entry, 'store');
      }
    }
    this.#emit('cache.miss', ctx, lookup, { coalesced: false });
    return captureAnswer(await next(), captured);
  }

  /**
   * The leader's call has ended (its stream included): tell the followers, and store the
   * answer when it is whole, cacheable, served by a provider, and nobody said not to.
   */
  #ended(end: CallEnd, lookup: Lookup, flight: Flight, captured: Captured): Promise<unknown> | undefined {
    if (flight.settled) return undefined;
    if (end.outcome !== 'success') {
      const own = end.outcome !== 'error' || end.error instanceof TimeoutError;
      flight.settle(own ? { kind: 'retry' } : { kind: 'error', error: copyError(end.error) });
      return undefined;
    }
    const made = this.#entryOf(end, captured, lookup.options?.ttlMs ?? this.#ttlMs);
    if (!made) {
      flight.settle({ kind: 'retry' });
      return undefined;
    }
    flight.settle({ kind: 'answer', entry: made.entry });
    if (made.uncacheable !== undefined || end.served !== 'provider' || lookup.options?.noStore === true || flight.invalidated) return undefined;
    return this.#keep(end, lookup, made.entry);
  }

  /** The entry for what the leader got; `undefined` when it got no whole answer (a stream that did not finish every choice). */
  #entryOf(end: CallEnd, captured: Captured, ttlMs: number): { entry: ExactCacheEntry; uncacheable: string | undefined } | undefined {
    let operation: Operation = 'chat';
    let answer: string;
    let uncacheable: string | undefined;
    let usage = end.usage;
    if (captured.response) {
      operation = 'embeddings';
      answer = JSON.stringify(captured.response);
      uncacheable = uncacheableEmbeddings(captured.response);
      usage ??= usageFromEmbeddings(captured.response.usage);
    } else {
      const completion = captured.completion ?? (captured.streamDone ? captured.assembler?.completion() : undefined);
      if (!completion) return undefined;
      answer = storedCompletion(completion);
      uncacheable = captured.assembler?.unreplayable ? 'audio' : uncacheableChat(completion);
      if (!usage && completion.usage) usage = usageFromCompletionUsage(completion.usage);
    }
    const now = this.#now();
    const entry: ExactCacheEntry = { operation, answer, createdAt: now, expiresAt: now + ttlMs, provider: end.provider, model: end.model, usage };
    return { entry, uncacheable };
  }

  #keep(call: { readonly requestId: string }, lookup: Lookup, entry: ExactCacheEntry): Promise<unknown> | undefined {
    const inMemory = this.#memory.set(lookup.slot, entry);
    const store = this.#store;
    // An answer larger than the whole memory bound is kept only where a Store can take it.
    if (inMemory || store) this.#emit('cache.store', call, lookup, { bytes: entrySize(lookup.slot, entry) });
    if (!store) return undefined;
    const write = store
      .set(lookup.slot, serialiseEntry(entry), { ttlMs: entry.expiresAt - entry.createdAt })
      .then(undefined, (error: unknown) => this.#storeFailed(error, 'set'))
      .finally(() => this.#writes.delete(write));
    this.#writes.add(write);
    return write;
  }

  async #readStore(slot: string, operation: Operation, signal: AbortSignal | undefined): Promise<ExactCacheEntry | undefined> {
    const store = this.#store as Store;
    let value: StoreValue | undefined;
    try {
      value = await abortable(store.get(slot), signal);
    } catch (error) {
      // The caller's own abort or deadline ends the call; a failing Store is only a miss.
      if (signal?.aborted) throw error;
      this.#storeFailed(error, 'get');
      return undefined;
    }
    if (value === undefined) return undefined;
    const entry = parseEntry(value, operation);
    return entry && entry.expiresAt > this.#now() ? entry : undefined;
  }

  #hit(ctx: RequestContext, lookup: Lookup, entry: ExactCacheEntry, tier: 'memory' | 'store'): Result {
    if (this.#events.wants('cache.hit')) {
      const { provider, model, usage } = entry;
      const savedUsd = usage && provider !== undefined && model !== undefined ? this.#cost.price(provider, model, usage).usd : null;
      this.#emit('cache.hit', ctx, lookup, { usage, savedUsd, ageMs: this.#now() - entry.createdAt, provider, model, tier });
    }
    return resultOf(entry, ctx.stream);
  }

  /** `call`'s request id is read only when someone listens: a call nobody observes never makes one. */
  #emit(type: CacheEvent['type'], call: { readonly requestId: string }, lookup: Lookup, fields: Partial<CacheEvent>): void {
    if (!this.#events.wants(type)) return;
    this.#events.emit({ ...fields, type, requestId: call.requestId, timestamp: Date.now(), cache: 'exact', namespace: lookup.namespace, key: lookup.key });
  }

  #storeFailed(error: unknown, operation: CacheStoreOperation): void {
    try {
      this.#onStoreError(error, operation);
    } catch {
      // The handler itself failed; the call goes on regardless.
    }
  }

  async #writesDone(): Promise<void> {
    if (this.#writes.size > 0) await Promise.allSettled([...this.#writes]);
  }

  #prefixFor(namespace: string | undefined): string {
    return namespace === undefined || namespace === this.#namespace ? this.#prefix : prefixOf(namespace);
  }
}

/** The key prefix of a namespace; the namespace is escaped (`storeKey`), so no namespace's prefix is another's. */
function prefixOf(namespace: string): string {
  return `${KEY_PREFIX}${storeKey(namespace)}:`;
}

/** A hit's answer: parsed afresh (a completion or embeddings), or replayed as chunks for a stream. */
function resultOf(entry: ExactCacheEntry, stream: boolean): Result {
  if (entry.operation === 'embeddings') return { kind: 'embeddings', response: JSON.parse(entry.answer) as CreateEmbeddingResponse };
  const completion = JSON.parse(entry.answer) as ChatCompletion;
  return stream ? { kind: 'stream', stream: new ReplayStream(chunksFromCompletion(completion)) } : { kind: 'completion', completion };
}

function warnStoreError(error: unknown, operation: CacheStoreOperation): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`The exact cache's Store failed on ${operation}; the call went on without it: ${reason}`, { code: 'SWITCHYARD_CACHE_STORE_ERROR' });
}
