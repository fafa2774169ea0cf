import { randomUUID } from 'node:crypto';
import type { CallWarning } from '../adapter/provider-response.js';
import type { Usage } from '../adapter/usage.js';
import type { CallOptions, Principal, RequestMetadata } from '../contract/call-options.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../contract/embeddings.js';
import { MAX_MODEL_LENGTH } from '../contract/shared-schemas.js';
import { AbortError, GatewayError, TimeoutError, type SerializedError } from '../errors/errors.js';
import { excerpt } from '../errors/excerpt.js';
import type { EventBus } from '../events/event-bus.js';
import type { AbandonReason, RequestOutcome } from '../events/events.js';
import type { AdapterCall } from './adapter-call.js';
import { AttemptRecord } from './attempt-record.js';
import { CallEndView, CallMetaView } from './call-meta-view.js';
import type { CallCost } from '../cost/call-cost.js';
import type { CostCalculator } from '../cost/cost-calculator.js';
import { sumCosts } from '../cost/price-usage.js';
import { estimateStreamUsage } from '../cost/stream-estimate.js';
import type { CallEnd, CallMeta, EndHook, ServedBy } from './call-meta.js';
import type { CallSignal } from './call-signal.js';
import type { CallObserver } from './call-observer.js';
import { runEndHooks, type EndHookRunner } from './end-hooks.js';
import { GatewayRequestContext } from './contexts.js';
import type { Operation, RequestContext } from './middleware.js';
import type { TargetGate } from './target-gate.js';
import { sumUsage } from './usage-sum.js';

const EMPTY_METADATA: RequestMetadata = Object.freeze({}) as RequestMetadata;
const EMPTY_TAGS: readonly string[] = Object.freeze([]);
const NO_WARNINGS: readonly CallWarning[] = Object.freeze([]);
const FREE: CallCost = Object.freeze({ usd: 0, breakdown: Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 }), estimated: false });

export interface CallRecordInit {
  operation: Operation;
  params: ChatCompletionCreateParams | EmbeddingCreateParams;
  options: CallOptions;
  stream: boolean;
  startedAt: number;
  signal: AbortSignal | undefined;
  callSignal: CallSignal | undefined;
  events: EventBus;
  now: () => number;
  /** Prices each attempt's usage with the gateway's catalog. */
  costs: CostCalculator;
}

/**
 * The pipeline's record of one call: what was asked, every attempt, what served it and how
 * it ended. Only the pipeline writes it (the front door, the executor, the stream wrapper);
 * middleware see the call through their `RequestContext`, callers through `CallMeta`.
 * `finish` is the one place a call ends: it ends open attempts, runs the end hooks and
 * emits `request.end`, once.
 */
export class CallRecord implements EndHookRunner {
  readonly operation: Operation;
  /** The params as the request chain leaves them (a middleware may replace them). */
  params: ChatCompletionCreateParams | EmbeddingCreateParams;
  readonly options: CallOptions;
  readonly stream: boolean;
  readonly route: string;
  readonly principal: Principal | undefined;
  readonly metadata: RequestMetadata;
  readonly tags: readonly string[];
  readonly signal: AbortSignal | undefined;
  readonly startedAt: number;
  /** The current (or last) attempt's target. */
  provider: string | undefined;
  model: string | undefined;
  region: string | undefined;
  /** Watches the call from the inside (telemetry), when it is observed at all. */
  observer: CallObserver | undefined;
  /** How the route picks its targets (`target`, `fallback`, `loadbalance`, `priority`, `rules`); set once it is resolved. */
  strategy: string | undefined;
  /** Admits each target before it is tried (governance's access, residency and per-model limits); set by a request middleware. */
  targetGate: TargetGate | undefined;
  readonly attemptRecords: AttemptRecord[] = [];
  /** The attempt whose answer the request chain returned last. */
  serving: AttemptRecord | undefined;
  served: ServedBy | undefined;
  /** Usage of an answer no attempt produced (a middleware's); reported, not consumed. */
  answerUsage: Usage | undefined;
  cost: CallCost | undefined;
  latencyMs: number | undefined;
  firstChunkAt: number | undefined;
  outcome: RequestOutcome | undefined;
  /** Set with outcome `abandoned`: how the consumer left the stream. */
  abandoned: AbandonReason | undefined;
  error: unknown;
  /** The provider call whose answer was returned: a stream's usage chunk is its consumption. */
  servingCall: AdapterCall | undefined;
  #requestId: string | undefined;
  #hooks: Array<EndHook<CallEnd>> | undefined;
  #releases: Array<() => void> | undefined;
  #meta: CallMetaView | undefined;
  #context: RequestContext | undefined;
  #finished: Promise<CallMeta> | undefined;
  #resolveFinished: ((meta: CallMeta) => void) | undefined;
  /** The text a stream delivered so far, for an estimate when it ends without the provider's usage. */
  deliveredText: (() => string) | undefined;
  readonly #callSignal: CallSignal | undefined;
  readonly #costs: CostCalculator;
  readonly #events: EventBus;
  readonly now: () => number;

  constructor(init: CallRecordInit) {
    this.operation = init.operation;
    this.params = init.params;
    this.options = init.options;
    this.stream = init.stream;
    const model: unknown = init.params?.model;
    // A model too long to be valid is rejected; its events quote it, not carry it whole.
    this.route = typeof model === 'string' ? (model.length <= MAX_MODEL_LENGTH ? model : excerpt(model)) : '(none)';
    this.principal = init.options.principal;
    this.metadata = init.options.metadata ?? EMPTY_METADATA;
    this.tags = init.options.tags ?? EMPTY_TAGS;
    this.signal = init.signal;
    this.startedAt = init.startedAt;
    this.#callSignal = init.callSignal;
    this.#events = init.events;
    this.#costs = init.costs;
    this.now = init.now;
  }

  /** Made on first read: a call nobody observes (no listener, no meta) skips the random id. */
  get requestId(): string {
    return (this.#requestId ??= randomUUID());
  }

  /** What the request chain's middleware see of this call. */
  get context(): RequestContext {
    return (this.#context ??= GatewayRequestContext.of(this));
  }

  /** The caller's read-only view, made on first use. */
  get meta(): CallMetaView {
    return (this.#meta ??= new CallMetaView(this));
  }

  get usage(): Usage | undefined {
    return this.serving ? this.serving.usage : this.answerUsage;
  }

  get totalUsage(): Usage | undefined {
    const attempts = this.attemptRecords;
    if (attempts.length === 1) return attempts[0]?.usage;
    return sumUsage(attempts.map((attempt) => attempt.usage));
  }

  get timeToFirstChunkMs(): number | undefined {
    return this.firstChunkAt === undefined ? undefined : this.firstChunkAt - this.startedAt;
  }

  get finished(): Promise<CallMeta> {
    if (!this.#finished) {
      if (this.outcome !== undefined) this.#finished = Promise.resolve(this.meta);
      else this.#finished = new Promise((resolve) => (this.#resolveFinished = resolve));
    }
    return this.#finished;
  }

  /** Runs once the call has ended (see `finish`), in the order added; at once if it already has. */
  onEnd(hook: EndHook<CallEnd>): void {
    if (this.outcome !== undefined) this.run([hook], new CallEndView(this, this.outcome, this.latencyMs ?? 0), 'request');
    else (this.#hooks ??= []).push(hook);
  }

  /** The gateway's own clean-up (the stream wrapper's listeners and timers): runs before the end hooks. */
  onRelease(release: () => void): void {
    if (this.outcome !== undefined) release();
    else (this.#releases ??= []).push(release);
  }

  run<T>(hooks: ReadonlyArray<EndHook<T>>, payload: T, level: 'request' | 'attempt'): void {
    runEndHooks(hooks, payload, this.#events, this, level);
  }

  /** Starts the next attempt against a target. */
  beginAttempt(provider: string, model: string, region?: string): AttemptRecord {
    const attempt = new AttemptRecord(this.attemptRecords.length + 1, provider, model, this.now(), this, region);
    this.attemptRecords.push(attempt);
    this.provider = provider;
    this.model = model;
    this.region = region;
    return attempt;
  }

  /**
   * What the attempts consumed as billed: each attempt's usage, or for a stream that ended
   * without its usage chunk, the estimate its cost was priced from. Read once the call has ended.
   */
  get billedUsage(): Usage | undefined {
    const attempts = this.attemptRecords;
    if (attempts.length === 1) return attempts[0]?.billedUsage;
    return sumUsage(attempts.map((attempt) => attempt.billedUsage));
  }

  /** Ends an attempt once: its end hooks, then its `attempt.end` event. */
  endAttempt(attempt: AttemptRecord, outcome: RequestOutcome, error?: unknown, now = this.now()): void {
    if (attempt.ended) return;
    attempt.cost = this.#priceAttempt(attempt);
    attempt.end(outcome, error, now);
    const events = this.#events;
    if (!events.wants('attempt.end')) return;
    const response = attempt.response;
    events.emit({
      type: 'attempt.end',
      requestId: this.requestId,
      timestamp: Date.now(),
      attempt: attempt.attempt,
      provider: attempt.provider,
      model: attempt.model,
      ...(attempt.region === undefined ? {} : { region: attempt.region }),
      outcome,
      latencyMs: attempt.latencyMs ?? 0,
      durationMs: attempt.durationMs ?? 0,
      usage: attempt.usage,
      cost: attempt.cost,
      providerRequestId: response?.providerRequestId,
      ...(response === undefined ? {} : { headers: response.headers }),
      ...(attempt.warnings === undefined ? {} : { warnings: attempt.warnings }),
      ...(error === undefined ? {} : { error: serializeError(error) }),
    });
  }

  /** A stream's usage chunk: the serving provider call consumed it, or a middleware's stream reported it. */
  recordStreamUsage(usage: Usage): void {
    if (this.servingCall) this.servingCall.streamUsage(usage);
    else this.answerUsage = usage;
  }

  /**
   * The request chain has returned `answer`: the attempt whose provider call made that very
   * object served it; when a middleware made a new one from an attempt's answer, the last
   * attempt that succeeded did; with none, a middleware answered on its own. For a stream,
   * attempts still open that did not serve (streams a middleware dropped) end now, as abandoned,
   * which releases their provider streams.
   */
  answered(answer: object, stream: boolean): void {
    const attempts = this.attemptRecords;
    for (let i = attempts.length - 1; i >= 0; i--) {
      const attempt = attempts[i] as AttemptRecord;
      if (attempt.answer !== answer) continue;
      this.serving = attempt;
      break;
    }
    const serving = this.serving;
    this.served = serving ? 'provider' : 'middleware';
    this.servingCall = serving ? (serving.answerCall ?? serving.calls.at(-1)) : undefined;
    if (!stream || attempts.length < 2) return;
    for (const attempt of attempts) if (attempt !== serving && !attempt.ended) this.endAttempt(attempt, 'abandoned');
  }

  /** Every attempt's warnings, in order (a copy while any attempt is still open). */
  get warnings(): readonly CallWarning[] {
    const attempts = this.attemptRecords;
    if (attempts.length === 1) {
      const only = attempts[0] as AttemptRecord;
      return only.warnings ? (only.ended ? only.warnings : [...only.warnings]) : NO_WARNINGS;
    }
    const all = attempts.flatMap((attempt) => attempt.warnings ?? NO_WARNINGS);
    return all.length === 0 ? NO_WARNINGS : all;
  }

  /** Turns any failure into the error the caller should see (timeouts and aborts typed). */
  normaliseError(error: unknown): unknown {
    const base = error instanceof GatewayError ? error : undefined;
    const options = { provider: base?.provider ?? this.provider, model: base?.model ?? this.model };
    let normalised = error;
    if (this.#callSignal?.timedOut && !(error instanceof TimeoutError)) {
      normalised = new TimeoutError(this.options.timeout ?? (this.#callSignal.signal.reason as TimeoutError).timeoutMs, options);
    } else if (!base && this.signal?.aborted) {
      normalised = new AbortError(options);
    }
    if (normalised instanceof GatewayError) {
      normalised.requestId = this.requestId;
      normalised.attempts = this.attemptRecords.length;
    }
    return normalised;
  }

  /**
   * Ends the call once, in this order (docs/architecture.md): outcome and timing are
   * recorded; the call's timer is released; attempts still open (a stream's) end with the
   * call's outcome, each running its clean-up and end hooks and emitting `attempt.end`; the
   * call's own clean-up runs, then its end hooks in the order added; `request.end` is
   * emitted; `finished` resolves.
   */
  finish(outcome: RequestOutcome, error?: unknown): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.error = error;
    const now = this.now();
    this.latencyMs = now - this.startedAt;
    this.#callSignal?.dispose();
    for (const attempt of this.attemptRecords) {
      if (attempt.ended) continue;
      // The serving attempt ends as its stream did; another still open was a stream a middleware
      // dropped (the chain failed after it, or never returned it).
      if (attempt === this.serving && this.served === 'provider') this.endAttempt(attempt, outcome, error, now);
      else this.endAttempt(attempt, 'abandoned', undefined, now);
    }
    this.cost = this.#priceCall();
    if (this.#releases) for (const release of this.#releases) release();
    if (this.#hooks) this.run(this.#hooks, new CallEndView(this, outcome, this.latencyMs), 'request');
    if (this.#events.wants('request.end')) this.#emitEnd(outcome, error);
    this.#resolveFinished?.(this.meta);
  }

  #emitEnd(outcome: RequestOutcome, error: unknown): void {
    const response = this.serving?.response ?? this.attemptRecords.at(-1)?.response;
    const warnings = this.warnings;
    this.#events.emit({
      type: 'request.end',
      requestId: this.requestId,
      timestamp: Date.now(),
      operation: this.operation,
      route: this.route,
      stream: this.stream,
      outcome,
      ...(this.abandoned === undefined ? {} : { abandoned: this.abandoned }),
      provider: this.provider,
      model: this.model,
      ...(this.region === undefined ? {} : { region: this.region }),
      attempts: this.attemptRecords.length,
      served: this.served,
      usage: this.usage,
      totalUsage: this.totalUsage,
      cost: this.cost,
      providerRequestId: response?.providerRequestId,
      ...(warnings.length === 0 ? {} : { warnings }),
      latencyMs: this.latencyMs ?? 0,
      timeToFirstChunkMs: this.timeToFirstChunkMs,
      error: error === undefined ? undefined : serializeError(error),
      principal: this.principal,
      metadata: this.metadata,
      tags: this.tags,
    });
  }

  /**
   * What an attempt cost: its usage priced with the catalog. The attempt that served a stream
   * which ended without its usage chunk (cut, aborted, abandoned) is priced from an estimate:
   * what the provider had reported, completed by counting the prompt and the delivered text.
   */
  #priceAttempt(attempt: AttemptRecord): CallCost | undefined {
    const usage = attempt.usage;
    const streamed = this.stream && attempt === this.serving && attempt.answerCall !== undefined && !attempt.answerCall.complete;
    if (!streamed) return usage ? this.#costs.price(attempt.provider, attempt.model, usage) : undefined;
    const estimate = estimateStreamUsage(usage, this.params as ChatCompletionCreateParams, this.deliveredText?.() ?? '');
    attempt.estimatedUsage = estimate.usage;
    const cost = this.#costs.price(attempt.provider, attempt.model, estimate.usage, true);
    return { ...cost, reason: cost.reason ?? estimate.reason };
  }

  /**
   * What the call cost over all its attempts. A middleware's answer (a cache hit) cost
   * nothing; an answer from a provider that reported no usage has no price.
   */
  #priceCall(): CallCost | undefined {
    if (this.served === 'middleware') return FREE;
    const attempts = this.attemptRecords;
    // One attempt, the common case: its cost is the call's, with no sum to build.
    const total = attempts.length === 1 ? attempts[0]?.cost : sumCosts(attempts.map((attempt) => attempt.cost));
    if (this.served === 'provider' && this.serving && !this.serving.cost) {
      return { usd: null, estimated: total?.estimated ?? false, reason: `'${this.serving.provider}/${this.serving.model}' reported no usage` };
    }
    return total ?? FREE;
  }

  /** Ends a stream its consumer left: `returned` (break, `return()`), `unread` (never read in time), `collected` (dropped). */
  abandon(reason: AbandonReason): void {
    if (this.outcome !== undefined) return;
    this.abandoned = reason;
    this.finish('abandoned');
  }

  /** Ends the call with a failure and returns the error to throw. */
  fail(error: unknown): unknown {
    const normalised = this.normaliseError(error);
    this.finish(normalised instanceof AbortError ? 'aborted' : 'error', normalised);
    return normalised;
  }
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof GatewayError) return error.toJSON();
  // Foreign errors (a custom middleware's) keep their name only: their message may hold anything.
  const name = error instanceof Error ? error.name : typeof error;
  return { name, code: 'internal_error', message: `${name} thrown inside the gateway`, retryable: false };
}
