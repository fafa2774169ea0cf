import { LRUCache } from 'lru-cache';
import pRetry from 'p-retry';
import type { Capabilities } from '../adapter/adapter.js';
import type { ModelCatalog } from '../catalog/lookup.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { RetryOptions } from '../contract/call-options.js';
import { GatewayError, UnavailableError, UnsupportedFeatureError } from '../errors/errors.js';
import { excerpt, quoted } from '../errors/excerpt.js';
import type { EventBus } from '../events/event-bus.js';
import type { Result } from '../pipeline/middleware.js';
import type { AttemptRecord } from '../pipeline/attempt-record.js';
import { serializeError, type CallRecord } from '../pipeline/call-record.js';
import { candidates, type PickContext } from './candidates.js';
import type { DeploymentHealth, DeploymentHealthEntry } from '../health/deployment-health.js';
import { indictsDeployment, isContextLengthError } from './fallback-policy.js';
import type { RouteNode, Target } from './route-tree.js';

export interface RouteExecutorOptions {
  events: EventBus;
  now: () => number;
  random: () => number;
  health: DeploymentHealth;
  retry: RetryOptions | false;
  fallbackOn: (error: GatewayError) => boolean;
  /** When every target cools down, wait this long at most for the first to take a probe. */
  waitForCooldownMs: number;
  /** The model catalog: its context windows decide where a prompt too long for one target may go. */
  catalog: ModelCatalog;
}

/** Runs one attempt (begun on the record) against its target. */
type Attempt = (record: CallRecord, attempt: AttemptRecord, target: Target) => Promise<Result>;

const RETRY_DEFAULTS = { retries: 2, minDelayMs: 250, maxDelayMs: 8_000, factor: 2, maxRetryAfterMs: 20_000 };

/**
 * Runs one call over its route: targets in the route's order, skipping those that cannot
 * do what the call needs or whose breaker is open; each target retried on retryable
 * failures (p-retry: backoff with jitter, Retry-After honoured up to a cap, within the
 * deployment's retry budget); on to the next target when the fallback policy says so.
 */
export class RouteExecutor {
  readonly #options: RouteExecutorOptions;
  readonly #attempt: Attempt;
  /** Sticky-session picks, bounded so that unbounded session keys cannot grow memory. */
  readonly #sticky = new LRUCache<string, number>({ max: 10_000 });
  readonly #latency = (target: Target) => {
    const latency = this.#options.health.get(target.id).latency;
    return latency.averageLatency;
  };
  readonly #inFlight = (target: Target) => this.#options.health.get(target.id).latency.inFlight;
  #defaultRetry: typeof RETRY_DEFAULTS | undefined;
  readonly #msPerOutputToken = (target: Target) => this.#options.health.get(target.id).latency.averageTimePerOutputToken;

  constructor(options: RouteExecutorOptions, attempt: Attempt) {
    this.#options = options;
    this.#attempt = attempt;
  }

  run(state: CallRecord, route: RouteNode): Promise<Result> {
    // Waiting for a cooldown is opt-in; without it the route runs with no wrapper.
    if (this.#options.waitForCooldownMs <= 0) return this.#run(state, route);
    return this.#runWaiting(state, route);
  }

  async #runWaiting(state: CallRecord, route: RouteNode): Promise<Result> {
    const deadline = this.#options.now() + this.#options.waitForCooldownMs;
    for (;;) {
      try {
        return await this.#run(state, route);
      } catch (error) {
        // Every target cooling down: wait for the first probe if that is allowed and soon enough.
        if (!(error instanceof UnavailableError) || error.retryAfterMs === undefined) throw error;
        if (error.retryAfterMs > deadline - this.#options.now()) throw error;
        // Timers run on the event loop's clock, which can lag the monotonic one by a few ms
        // under load: a wake-up a little early finds the breaker still cooling, and waits the
        // rest (within the same deadline) instead of failing.
        await sleep(error.retryAfterMs + 1, state.signal);
      }
    }
  }

  async #run(state: CallRecord, route: RouteNode): Promise<Result> {
    let tooSmall: number | undefined;
    let lastError: unknown;
    let previous: Target | undefined;
    let soonest: number | undefined;
    let lacking: { feature: string; target: Target } | undefined;
    let refused: GatewayError | undefined;
    const skipped: string[] = [];
    const gate = state.targetGate;
    // A single target (a direct call, an alias) needs no picking.
    const order = route.kind === 'target' ? [route.target] : candidates(route, this.#pickContext(state));
    for (const target of order) {
      const missing = missingCapability(state, target.adapter.capabilities);
      if (missing) {
        lacking ??= { feature: missing, target };
        skipped.push(`${excerpt(target.id)} lacks ${missing}`);
        continue;
      }
      if (tooSmall !== undefined && !((this.#window(target) ?? 0) > tooSmall)) {
        skipped.push(`${excerpt(target.id)} has no larger context window`);
        continue;
      }
      const health = this.#options.health.get(target.id);
      // Letting the call in and marking it as a probe are one step: the permit ends it.
      const permit = health.breaker.tryAcquire();
      if (!permit) {
        const at = health.breaker.retryAt;
        if (at !== undefined) soonest = soonest === undefined ? at : Math.min(soonest, at);
        skipped.push(health.breaker.state === 'half-open' ? `${excerpt(target.id)} is cooling down (a probe is in flight)` : `${excerpt(target.id)} is cooling down`);
        continue;
      }
      if (gate) {
        // After the permit, so that a target cooling down reserves nothing; a refusal hands the permit back.
        let refusal: GatewayError | undefined;
        try {
          const admitted = gate.admit(target);
          refusal = admitted instanceof Promise ? await admitted : admitted;
        } catch (error) {
          // A wait for room that was aborted or timed out, or a store that failed: the probe slot goes back.
          permit.release();
          throw error;
        }
        if (refusal) {
          permit.release();
          refused ??= refusal;
          skipped.push(`${excerpt(target.id)}: ${refusal.message}`);
          continue;
        }
      }
      if (previous && lastError instanceof GatewayError) this.#emitFallback(state, previous, target, lastError);
      previous = target;
      try {
        const result = await this.#withRetries(state, target, health);
        permit.success();
        return result;
      } catch (error) {
        if (indictsDeployment(error) && !state.signal?.aborted) permit.failure();
        else permit.release();
        lastError = error;
        const moveOn = error instanceof GatewayError && !state.signal?.aborted && this.#options.fallbackOn(error);
        if (!moveOn) throw error;
        // A prompt too long for this model goes only where the window is larger.
        if (isContextLengthError(error)) tooSmall = Math.max(tooSmall ?? 0, this.#window(target) ?? Number.POSITIVE_INFINITY);
      }
    }
    if (lastError) throw lastError;
    // Governance refused every target it was asked about, and none was tried: its refusal says why.
    // A target that qualified but lacks a feature the call needs is the better explanation.
    if (refused && soonest === undefined && !lacking) throw refused;
    if (skipped.length === 0) throw new UnavailableError(`Route ${quoted(state.route)} has no target for this call: no rule matched and there is no default.`, undefined);
    if (lacking && soonest === undefined) {
      throw new UnsupportedFeatureError(lacking.feature, `No target of ${quoted(state.route)} supports ${lacking.feature}: ${skipped.join('; ')}.`, {
        provider: lacking.target.provider,
        model: lacking.target.model,
      });
    }
    const waitMs = soonest === undefined ? undefined : Math.max(0, soonest - this.#options.now());
    throw new UnavailableError(
      `No target of ${quoted(state.route)} can take the call now: ${skipped.join('; ')}.${waitMs === undefined ? '' : ` Try again in ${waitMs < 1000 ? `${Math.ceil(waitMs)} ms` : `${Math.ceil(waitMs / 1000)} s`}.`}`,
      waitMs,
    );
  }

  #pickContext(state: CallRecord): PickContext {
    return {
      random: this.#options.random,
      subject: state,
      latency: this.#latency,
      inFlight: this.#inFlight,
      msPerOutputToken: this.#msPerOutputToken,
      sticky: this.#sticky,
    };
  }

  #window(target: Target): number | undefined {
    // Only after a context-length failure: no lookup on a call that does not need one.
    return this.#options.catalog.facts(target.id, target.model)?.contextWindow;
  }

  /**
   * One attempt, measured for the strategies: calls in flight, latency (a stream's: to its
   * first chunk) and, once the answer is complete, time per output token. With `retry`, a
   * failure goes on to p-retry (as its first attempt), so a call that succeeds pays nothing
   * for retrying.
   */
  async #measured(state: CallRecord, target: Target, health: DeploymentHealthEntry, retry?: typeof RETRY_DEFAULTS): Promise<Result> {
    const latency = health.latency;
    // The attempt's own clock readings (its start, its answer) serve the measurements too.
    const attempt = state.beginAttempt(target.provider, target.model, target.region);
    latency.start();
    let result: Result;
    try {
      result = await this.#attempt(state, attempt, target);
    } catch (error) {
      latency.end();
      if (retry) return this.#retry(state, target, health, retry, error);
      throw error;
    }
    latency.recordLatency(attempt.latencyMs ?? 0);
    if (result.kind === 'stream') {
      // A stream is in flight until it ends, not just until its first chunk.
      attempt.onRelease(() => {
        latency.end();
        const tokens = attempt.outcome === 'success' ? (attempt.usage?.outputTokens ?? 0) : 0;
        if (tokens > 0) latency.recordTimePerOutputToken((attempt.durationMs ?? 0) / tokens);
      });
      return result;
    }
    latency.end();
    const tokens = result.kind === 'completion' ? (result.completion.usage?.completion_tokens ?? 0) : 0;
    if (tokens > 0) latency.recordTimePerOutputToken((attempt.durationMs ?? attempt.latencyMs ?? 0) / tokens);
    return result;
  }

  #withRetries(state: CallRecord, target: Target, health: DeploymentHealthEntry): Promise<Result> {
    const configured = state.options.retry ?? target.retry ?? this.#options.retry;
    if (configured === false || configured.retries === 0) return this.#measured(state, target, health);
    // The gateway-wide policy is resolved once; only a call's or route's own is resolved per call.
    const retry = configured === this.#options.retry ? (this.#defaultRetry ??= resolveRetry(configured)) : resolveRetry(configured);
    return this.#measured(state, target, health, retry);
  }

  #retry(state: CallRecord, target: Target, health: DeploymentHealthEntry, retry: typeof RETRY_DEFAULTS, firstFailure: unknown): Promise<Result> {
    const budget = health.retryBudget;
    let pending: unknown = firstFailure;
    let retrying = false;
    const attempt = () => {
      if (pending === undefined) return this.#measured(state, target, health);
      const failure = pending;
      pending = undefined;
      throw failure;
    };
    return pRetry(attempt, {
      retries: retry.retries,
      minTimeout: retry.minDelayMs,
      maxTimeout: retry.maxDelayMs,
      factor: retry.factor,
      randomize: true,
      ...(state.signal ? { signal: state.signal } : {}),
      onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
        const failure = error as unknown;
        const retryAfter = failure instanceof GatewayError && 'retryAfterMs' in failure ? (failure.retryAfterMs as number | undefined) : undefined;
        // A retry worth making: retryable, not cut short by the caller, a wait we accept, and budget left.
        retrying =
          retriesLeft > 0 &&
          failure instanceof GatewayError &&
          failure.retryable &&
          !state.signal?.aborted &&
          (retryAfter === undefined || retryAfter <= retry.maxRetryAfterMs) &&
          budget.tryTake();
        if (!retrying || !(failure instanceof GatewayError)) return;
        const extra = retryAfter === undefined ? 0 : Math.max(0, retryAfter - retryDelay);
        this.#emitRetry(state, target, failure, retryDelay + extra);
        if (extra > 0) await sleep(extra, state.signal);
      },
      shouldRetry: () => retrying,
    });
  }

  #emitRetry(state: CallRecord, target: Target, error: GatewayError, delayMs: number): void {
    const { events } = this.#options;
    if (!events.wants('attempt.retry')) return;
    events.emit({
      type: 'attempt.retry',
      requestId: state.requestId,
      timestamp: Date.now(),
      attempt: state.attemptRecords.length,
      provider: target.provider,
      model: target.model,
      delayMs,
      error: serializeError(error),
    });
  }

  #emitFallback(state: CallRecord, from: Target, to: Target, error: GatewayError): void {
    const { events } = this.#options;
    if (!events.wants('request.fallback')) return;
    events.emit({ type: 'request.fallback', requestId: state.requestId, timestamp: Date.now(), from: from.id, to: to.id, error: serializeError(error) });
  }
}

/** Field by field: an option given as `undefined` keeps its default. */
function resolveRetry(configured: RetryOptions): typeof RETRY_DEFAULTS {
  return {
    retries: configured.retries ?? RETRY_DEFAULTS.retries,
    minDelayMs: configured.minDelayMs ?? RETRY_DEFAULTS.minDelayMs,
    maxDelayMs: configured.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs,
    factor: configured.factor ?? RETRY_DEFAULTS.factor,
    maxRetryAfterMs: configured.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs,
  };
}

/** What the call needs that these capabilities lack, or `undefined`. */
function missingCapability(state: CallRecord, capabilities: Capabilities): string | undefined {
  if (state.operation === 'embeddings') return capabilities.embeddings ? undefined : 'embeddings';
  if (state.stream && !capabilities.stream) return 'streaming';
  const params = state.params as ChatCompletionCreateParams;
  if (!capabilities.tools && (params.tools?.length ?? 0) > 0) return 'tools';
  if (!capabilities.jsonSchema && params.response_format?.type === 'json_schema') return 'JSON schema output';
  if (!capabilities.reasoning && params.reasoning_effort && params.reasoning_effort !== 'none') return 'reasoning';
  if (!capabilities.images && params.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url'))) return 'image input';
  return undefined;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
