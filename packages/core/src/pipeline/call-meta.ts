import type { CallWarning, ProviderResponse } from '../adapter/provider-response.js';
import type { Usage } from '../adapter/usage.js';
import type { CallCost } from '../cost/call-cost.js';
import type { Principal, RequestMetadata } from '../contract/call-options.js';
import type { AbandonReason, RequestOutcome } from '../events/events.js';
import type { Operation } from './middleware.js';

/** How an attempt ended. A stream's attempt ends with its stream, so it may also be `aborted` or `abandoned`. */
export type AttemptOutcome = RequestOutcome;

/** One try against one target, once it has ended. */
export interface AttemptInfo {
  /** 1 for the first try. */
  readonly attempt: number;
  /** Key of the provider in the gateway's `providers`. */
  readonly provider: string;
  readonly model: string;
  /** The target's region, when the config gives it one (residency). */
  readonly region: string | undefined;
  readonly outcome: AttemptOutcome;
  /** The error the attempt failed with (as the gateway normalised it). */
  readonly error: unknown;
  /**
   * Tokens this attempt consumed: the answer's usage; for a failed attempt, what it reported
   * before failing; for a stream cut mid-way, the partial usage the provider had sent.
   */
  readonly usage: Usage | undefined;
  /** Until the answer, the embeddings, a stream's first chunk, or the failure. */
  readonly latencyMs: number;
  /** Until the attempt ended: for a stream, until the stream ended. */
  readonly durationMs: number;
  /** The provider's request id and the response headers the gateway keeps. */
  readonly response: ProviderResponse | undefined;
  /** What the adapter dropped, adjusted or filled in, and pooled keys it retried. */
  readonly warnings: readonly CallWarning[];
  readonly cost: CallCost | undefined;
}

/**
 * Who answered: `provider`, through an attempt; `middleware`, a request middleware without a
 * provider call (a cache hit), whose `usage` is what the answer reports, consumed by nobody.
 */
export type ServedBy = 'provider' | 'middleware';

/** The gateway's information about one call, readable without leaving the OpenAI shape. */
export interface CallMeta {
  readonly requestId: string;
  /** The `model` the caller asked for. */
  readonly route: string;
  /** Provider key and model that served the call (or failed last); set once an attempt starts. */
  readonly provider: string | undefined;
  readonly model: string | undefined;
  /** That target's region, when the config gives it one (residency). */
  readonly region: string | undefined;
  /** How many attempts were made. */
  readonly attempts: number;
  /** The attempts that have ended, in order; a stream's serving attempt joins when the stream ends. */
  readonly attemptHistory: readonly AttemptInfo[];
  /**
   * The usage of the answer: the serving attempt's (for a stream, once its usage arrived; for
   * a stream cut short, what the provider had reported by then), or, when a middleware
   * answered, what that answer reports. `undefined` when nothing reported usage.
   */
  readonly usage: Usage | undefined;
  /** Tokens consumed over every attempt, failed ones included: what the providers will bill. */
  readonly totalUsage: Usage | undefined;
  /** `undefined` until the call has an answer. */
  readonly served: ServedBy | undefined;
  /** The serving (or last) attempt's provider response: request id, rate-limit headers, Retry-After. */
  readonly response: ProviderResponse | undefined;
  /** Every attempt's warnings, in order. */
  readonly warnings: readonly CallWarning[];
  /**
   * The call's price over all its attempts (failed ones that consumed tokens included);
   * `undefined` until the call has ended. A middleware's answer (a cache hit) costs 0.
   */
  readonly cost: CallCost | undefined;
  readonly latencyMs: number | undefined;
  readonly timeToFirstChunkMs: number | undefined;
  /** `undefined` while the call (or its stream) is still running. */
  readonly outcome: RequestOutcome | undefined;
  /** Resolves (never rejects) once the call, including any stream, has finished. */
  readonly finished: Promise<CallMeta>;
}

/** What a request's end hooks receive: the finished call. */
export interface CallEnd extends CallMeta {
  readonly operation: Operation;
  readonly stream: boolean;
  readonly outcome: RequestOutcome;
  /** With outcome `abandoned`: how the consumer left the stream. */
  readonly abandoned: AbandonReason | undefined;
  /** The error the caller got (or the stream ended with); `undefined` on success and abandonment. */
  readonly error: unknown;
  readonly latencyMs: number;
  readonly principal: Principal | undefined;
  readonly metadata: RequestMetadata;
  readonly tags: readonly string[];
}

/**
 * Runs once when a call (or an attempt) ends. It may return anything; a returned promise is not
 * awaited (the caller is never held up), and a throw or rejection goes to `onEventError`.
 */
export type EndHook<T> = (end: T) => unknown;
