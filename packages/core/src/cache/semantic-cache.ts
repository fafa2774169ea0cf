import { hash } from 'node:crypto';
import { usageFromCompletionUsage } from '../adapter/usage.js';
import type { CallCacheOptions, CallOptions } from '../contract/call-options.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from '../contract/embeddings.js';
import type { CostCalculator } from '../cost/cost-calculator.js';
import type { EventBus } from '../events/event-bus.js';
import type { CacheEvent } from '../events/events.js';
import type { CallEnd } from '../pipeline/call-meta.js';
import type { Middleware, Next, RequestContext, Result } from '../pipeline/middleware.js';
import { chunksFromCompletion } from './chunks-from-completion.js';
import { storedCompletion, uncacheableChat } from './exact-cache-entry.js';
import type { ExactCacheKeyFields } from './exact-cache-options.js';
import { ReplayStream } from './replay-stream.js';
import { captureAnswer, type CapturedAnswer } from './captured-answer.js';
import { SemanticCacheMemory, normalised, type SemanticCacheEntry, type SemanticMatch } from './semantic-cache-memory.js';
import { SEMANTIC_CACHE_DEFAULTS, UNSET_TEMPERATURE, type SemanticCacheOptions } from './semantic-cache-options.js';
import { semanticKey } from './semantic-key.js';

/** What the semantic cache gets from the gateway it runs in. */
export interface SemanticCacheDeps {
  readonly events: EventBus;
  /** Prices what a hit saved, with the gateway's catalog. */
  readonly cost: CostCalculator;
  /**
   * Makes an embeddings call through the gateway itself (its own call: its own events, cost
   * and middleware). Given by the runtime, so that this folder needs nothing of `gateway/`.
   */
  readonly embed: (params: EmbeddingCreateParams, options: CallOptions) => Promise<CreateEmbeddingResponse>;
  /** Compiles a `*` pattern of `when.routes` / `when.principals` (rules/, which this folder may not import). */
  readonly glob: (pattern: string) => RegExp;
}

/** The answer a missed call produced, filled in as the call runs. */
type Captured = CapturedAnswer;

/** One call's place in the cache, once its question is embedded. */
interface Lookup {
  readonly namespace: string;
  /** Namespace and scope: what an entry is compared within. */
  readonly slot: string;
  /** The entry this call would store. */
  readonly id: string;
  readonly vector: Float32Array;
  readonly options: CallCacheOptions | undefined;
}

/**
 * The semantic response cache: a request middleware that answers a chat request whose last
 * user message means nearly the same (cosine similarity of its embedding at or above
 * `threshold`) as one answered before under the same everything else (`semanticKey`'s
 * scope). The gateway installs it right after the exact cache, so it runs only on an exact
 * miss. docs/caching.md ("Semantic cache") is the caller's guide.
 */
export class SemanticCache {
  readonly middleware: Middleware;
  readonly #memory: SemanticCacheMemory;
  readonly #embeddingsModel: string;
  readonly #threshold: number;
  readonly #ttlMs: number;
  readonly #namespace: string;
  readonly #keyFields: ExactCacheKeyFields | undefined;
  readonly #routes: RegExp[] | undefined;
  readonly #principals: RegExp[] | undefined;
  readonly #maxTemperature: number;
  readonly #now: () => number;
  readonly #deps: SemanticCacheDeps;
  /** The embeddings' length: configured, or the first embedding's. */
  #dimensions: number | undefined;

  constructor(options: SemanticCacheOptions, deps: SemanticCacheDeps) {
    this.#memory = new SemanticCacheMemory(options.maxEntries ?? SEMANTIC_CACHE_DEFAULTS.maxEntries);
    this.#embeddingsModel = options.embeddings.model;
    this.#threshold = options.threshold ?? SEMANTIC_CACHE_DEFAULTS.threshold;
    this.#ttlMs = options.ttlMs ?? SEMANTIC_CACHE_DEFAULTS.ttlMs;
    this.#namespace = options.namespace ?? SEMANTIC_CACHE_DEFAULTS.namespace;
    this.#keyFields = options.keyFields;
    this.#routes = options.when?.routes?.map(deps.glob);
    this.#principals = options.when?.principals?.map(deps.glob);
    this.#maxTemperature = options.when?.maxTemperature ?? SEMANTIC_CACHE_DEFAULTS.maxTemperature;
    this.#now = options.now ?? Date.now;
    this.#dimensions = options.dimensions;
    this.#deps = deps;
    this.middleware = { name: 'switchyard:semantic-cache', request: (ctx, next) => this.#request(ctx, next) };
  }

  /** Entries held, every scope and namespace together. */
  get size(): number {
    return this.#memory.size;
  }

  async #request(ctx: RequestContext, next: Next): Promise<Result> {
    // Embeddings calls (this cache's own among them) are never looked up here.
    if (ctx.operation !== 'chat' || !this.#allows(ctx)) return next();
    const options = ctx.options.cache;
    if (options?.noCache === true && options.noStore === true) return next();
    // A plain request, not the context itself: semanticKey spreads it, and a context's fields
    // are getters on its prototype, which a spread does not copy.
    const key = semanticKey({ operation: 'chat', params: ctx.params, principal: ctx.principal, metadata: ctx.metadata }, this.#keyFields);
    if (!key) return next();
    const vector = await this.#embed(key.text, ctx);
    if (!vector) return next();
    const namespace = options?.namespace ?? this.#namespace;
    const slot = `${namespace}\u0000${key.scope}`;
    const lookup: Lookup = { namespace, slot, id: hash('sha256', `${slot}\u0000${key.text}`, 'hex'), vector, options };
    if (options?.noCache !== true) {
      const match = this.#memory.find(slot, vector, this.#threshold, this.#now());
      if (match) return this.#hit(ctx, lookup, match);
    }
    this.#emit('cache.miss', ctx, lookup.namespace, lookup.id, { coalesced: false });
    const captured: Captured = {};
    ctx.onEnd((end) => this.#ended(end, lookup, captured));
    return captureAnswer(await next(), captured);
  }

  /** Whether the config lets this call use the cache: its route, its principal, its temperature. */
  #allows(ctx: RequestContext & { readonly operation: 'chat' }): boolean {
    const temperature = ctx.params.temperature ?? UNSET_TEMPERATURE;
    if (temperature > this.#maxTemperature) return false;
    if (this.#routes && !this.#routes.some((pattern) => pattern.test(ctx.route))) return false;
    if (this.#principals) {
      const id = ctx.principal?.id;
      if (id === undefined || !this.#principals.some((pattern) => pattern.test(id))) return false;
    }
    return true;
  }

  /**
   * The question's embedding, normalised; `undefined` when there is none to compare with (the
   * call failed, or the vector is malformed or of another length): the cache is skipped and the
   * call goes on. The caller's own abort or deadline still ends the call.
   */
  async #embed(text: string, ctx: RequestContext): Promise<Float32Array | undefined> {
    let response: CreateEmbeddingResponse;
    try {
      // The caller's principal, metadata and tags: the embedding is spent on this caller's behalf.
      response = await this.#deps.embed(
        { model: this.#embeddingsModel, input: text },
        { signal: ctx.signal, principal: ctx.principal, metadata: ctx.metadata, tags: [...ctx.tags] },
      );
    } catch (error) {
      if (ctx.signal?.aborted) throw error;
      return undefined;
    }
    const embedding = response.data[0]?.embedding;
    if (!Array.isArray(embedding) || embedding.length === 0) return undefined;
    if (this.#dimensions !== undefined && embedding.length !== this.#dimensions) return undefined;
    const vector = normalised(embedding);
    if (vector) this.#dimensions ??= vector.length;
    return vector;
  }

  #hit(ctx: RequestContext, lookup: Lookup, match: SemanticMatch): Result {
    const { entry, similarity } = match;
    if (this.#deps.events.wants('cache.hit')) {
      const { provider, model, usage } = entry;
      const savedUsd = usage && provider !== undefined && model !== undefined ? this.#deps.cost.price(provider, model, usage).usd : null;
      this.#emit('cache.hit', ctx, lookup.namespace, entry.id, { usage, savedUsd, ageMs: this.#now() - entry.createdAt, provider, model, similarity });
    }
    const completion = JSON.parse(entry.answer) as ChatCompletion;
    return ctx.stream ? { kind: 'stream', stream: new ReplayStream(chunksFromCompletion(completion)) } : { kind: 'completion', completion };
  }

  /** The missed call has ended (its stream included): store its answer when the exact cache would. */
  #ended(end: CallEnd, lookup: Lookup, captured: Captured): void {
    if (end.outcome !== 'success' || end.served !== 'provider' || lookup.options?.noStore === true) return;
    const completion = captured.completion ?? (captured.streamDone ? captured.assembler?.completion() : undefined);
    if (!completion || captured.assembler?.unreplayable === true || uncacheableChat(completion) !== undefined) return;
    let usage = end.usage;
    if (!usage && completion.usage) usage = usageFromCompletionUsage(completion.usage);
    const now = this.#now();
    const entry: SemanticCacheEntry = {
      id: lookup.id,
      slot: lookup.slot,
      vector: lookup.vector,
      answer: storedCompletion(completion),
      createdAt: now,
      expiresAt: now + (lookup.options?.ttlMs ?? this.#ttlMs),
      provider: end.provider,
      model: end.model,
      usage,
    };
    this.#memory.set(entry, now);
    this.#emit('cache.store', end, lookup.namespace, entry.id, {});
  }

  /** `call`'s request id is read only when someone listens: a call nobody observes never makes one. */
  #emit(type: CacheEvent['type'], call: { readonly requestId: string }, namespace: string, key: string, fields: Partial<CacheEvent>): void {
    if (!this.#deps.events.wants(type)) return;
    this.#deps.events.emit({ ...fields, type, requestId: call.requestId, timestamp: Date.now(), cache: 'semantic', namespace, key });
  }
}
