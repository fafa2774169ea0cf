import type { Principal, RequestMetadata } from '../contract/call-options.js';
import type { SerializedError } from '../errors/errors.js';
import type { Operation } from '../pipeline/middleware.js';
import type { CallWarning } from '../adapter/provider-response.js';
import type { Usage } from '../adapter/usage.js';
import type { CallCost } from '../cost/call-cost.js';
import type { GovernanceEvent } from './governance-events.js';
import type { GuardrailVerdictEvent } from './guardrail-events.js';

interface EventBase {
  readonly requestId: string;
  /** Wall-clock time of the event, epoch milliseconds. */
  readonly timestamp: number;
}

export interface RequestStartEvent extends EventBase {
  readonly type: 'request.start';
  readonly operation: Operation;
  /** The `model` the caller asked for: a route name or `<provider>/<model>`. */
  readonly route: string;
  readonly stream: boolean;
  readonly principal: Principal | undefined;
  readonly metadata: RequestMetadata;
  readonly tags: readonly string[];
}

/**
 * One attempt has ended: at once for a completion, embeddings or a failure; when its stream
 * ends for a stream that served the call.
 */
export interface AttemptEndEvent extends EventBase {
  readonly type: 'attempt.end';
  readonly attempt: number;
  readonly provider: string;
  readonly model: string;
  /** The target's region, when the config gives it one (residency); absent otherwise. */
  readonly region?: string;
  /** A stream's attempt ends as its stream does, so it may also be `aborted` or `abandoned`. */
  readonly outcome: RequestOutcome;
  /** Until the completion, the embeddings, or a stream's first chunk arrived (or the failure). */
  readonly latencyMs: number;
  /** Until the attempt ended (a stream: until the stream ended). */
  readonly durationMs: number;
  /** Tokens this attempt consumed, a failed or cut attempt's partial usage included; absent when none was reported. */
  readonly usage: Usage | undefined;
  /** What those tokens cost (docs/cost.md); absent when the attempt reported no usage. */
  readonly cost: CallCost | undefined;
  /** The provider's own id for the HTTP request, for its support. */
  readonly providerRequestId: string | undefined;
  /** The response headers the gateway keeps (rate limits, Retry-After, request ids); absent when no response arrived. */
  readonly headers?: Readonly<Record<string, string>>;
  /** What the adapter dropped, adjusted or filled in, and pooled keys it retried. */
  readonly warnings?: readonly CallWarning[];
  readonly error?: SerializedError;
}

/**
 * How a request ended. `abandoned`: the consumer stopped reading a stream before its end.
 * `aborted`: the caller's signal fired. Timeouts and provider failures are `error`.
 */
export type RequestOutcome = 'success' | 'error' | 'aborted' | 'abandoned';

/**
 * How a stream's consumer left it (outcome `abandoned`): `returned`: stopped early (`break`,
 * `return()`); `unread`: never asked for a chunk before `idleTimeout` or `timeout` passed;
 * `collected`: dropped unread and reclaimed by the garbage collector.
 */
export type AbandonReason = 'returned' | 'unread' | 'collected';

/** Exactly one per request, whatever happens. */
export interface RequestEndEvent extends EventBase {
  readonly type: 'request.end';
  readonly operation: Operation;
  readonly route: string;
  readonly stream: boolean;
  readonly outcome: RequestOutcome;
  /** With outcome `abandoned`: how the consumer left the stream. */
  readonly abandoned?: AbandonReason;
  /** Provider key and model that served the request (or failed last). */
  readonly provider: string | undefined;
  readonly model: string | undefined;
  /** The region of the target that served the request (or failed last), when the config gives it one. */
  readonly region?: string;
  readonly attempts: number;
  /**
   * `provider`: an attempt answered; `middleware`: a request middleware did, with no provider
   * call. Absent when the call failed before any answer (a stream that fails after its first
   * chunk was answered, so keeps `provider`).
   */
  readonly served: 'provider' | 'middleware' | undefined;
  /**
   * The answer's normalised usage (with `served: 'middleware'`, what that answer reports, not
   * consumed). For a stream cut short, what the provider had reported by then (Anthropic and
   * Gemini report as they go; OpenAI only at the end); absent when nothing was reported.
   */
  readonly usage: Usage | undefined;
  /** Tokens consumed over every attempt, failed and cut ones included. */
  readonly totalUsage: Usage | undefined;
  /** What the call cost over every attempt (0 for a middleware's answer); `usd: null` with a reason when a model has no price. */
  readonly cost: CallCost | undefined;
  /** The serving (or last) attempt's provider request id. */
  readonly providerRequestId: string | undefined;
  /** Every attempt's warnings; absent when there were none. */
  readonly warnings?: readonly CallWarning[];
  readonly latencyMs: number;
  /** Streams only: from the call to the first chunk. */
  readonly timeToFirstChunkMs: number | undefined;
  readonly error: SerializedError | undefined;
  readonly principal: Principal | undefined;
  readonly metadata: RequestMetadata;
  readonly tags: readonly string[];
}

/** An attempt failed and the same target will be tried again after `delayMs`. */
export interface AttemptRetryEvent extends EventBase {
  readonly type: 'attempt.retry';
  readonly attempt: number;
  readonly provider: string;
  readonly model: string;
  readonly delayMs: number;
  readonly error: SerializedError;
}

/** A target failed (or was skipped) and the next one of the route is tried. */
export interface RequestFallbackEvent extends EventBase {
  readonly type: 'request.fallback';
  /** `'<provider>/<model>'` that failed. */
  readonly from: string;
  readonly to: string;
  readonly error: SerializedError;
}

/** A deployment's circuit breaker changed state: `open` is a cooldown, `closed` a recovery. */
export interface DeploymentHealthEvent extends EventBase {
  readonly type: 'deployment.cooldown' | 'deployment.recovered' | 'deployment.probing';
  /** `'<provider>/<model>'`. */
  readonly deployment: string;
  readonly reason: string;
  /** For a cooldown: when a probe will be let through (epoch ms). */
  readonly until: number | undefined;
}

/**
 * A response cache looked a call up (`cache.hit`, `cache.miss`) or kept its answer
 * (`cache.store`). Keys are hashes: no event carries request or answer content.
 */
export interface CacheEvent extends EventBase {
  readonly type: 'cache.hit' | 'cache.miss' | 'cache.store';
  readonly cache: 'exact' | 'semantic';
  readonly namespace: string;
  /** The entry's key (a hash of the canonical request). */
  readonly key: string;
  /** `cache.hit`: the usage the answer reported when it was made, which this call did not consume. */
  readonly usage?: Usage | undefined;
  /** `cache.hit`: what the answer would have cost now (`null` when its model has no price). */
  readonly savedUsd?: number | null | undefined;
  /** `cache.hit`: how old the entry is, in ms. */
  readonly ageMs?: number | undefined;
  /** `cache.hit`: the provider key and model that made the answer (what `savedUsd` is priced with). */
  readonly provider?: string | undefined;
  readonly model?: string | undefined;
  /** Exact `cache.hit`: the tier that had the entry (`store`: the shared Store, after memory missed). */
  readonly tier?: 'memory' | 'store' | undefined;
  /** Exact `cache.store`: the entry's size as the memory bound counts it. */
  readonly bytes?: number | undefined;
  /** Semantic `cache.hit`: the cosine similarity of the matched entry. */
  readonly similarity?: number | undefined;
  /** `cache.miss`: the call waited for an identical one already in flight instead of calling the provider. */
  readonly coalesced?: boolean | undefined;
}

export type GatewayEvent = RequestStartEvent | AttemptEndEvent | AttemptRetryEvent | RequestFallbackEvent | DeploymentHealthEvent | CacheEvent | GovernanceEvent | GuardrailVerdictEvent | RequestEndEvent;
export type GatewayEventType = GatewayEvent['type'];
/** The event (or events) with this `type`; distributes over events whose `type` is itself a union. */
export type EventOfType<T extends GatewayEventType> = GatewayEvent extends infer E ? (E extends { type: infer U } ? (T extends U ? E : never) : never) : never;
/**
 * Receives events. It may return anything (`(event) => cond && log(event)` is fine): a value is
 * ignored, and a returned promise (or other thenable) that rejects is reported to `onEventError`
 * like a throw.
 */
export type EventListener<E extends GatewayEvent = GatewayEvent> = (event: E) => unknown;
/** Where a failing end hook (`ctx.onEnd`) ran, reported to `onEventError` in place of an event. */
export interface EndHookFailure {
  readonly type: 'end-hook';
  readonly requestId: string;
  readonly level: 'request' | 'attempt';
}
/** A configured sink whose `close()` failed (at `gateway.close()`, or when a reload dropped it), reported to `onEventError` in place of an event. */
export interface SinkFailure {
  readonly type: 'sink';
  readonly requestId: '';
  /** The sink's `name`. */
  readonly sink: string;
}
/**
 * Called when a listener or an end hook throws or rejects, or a sink fails to close; the call
 * that emitted the event (or ran the hook) is unaffected.
 */
export type EventErrorHandler = (error: unknown, source: GatewayEvent | EndHookFailure | SinkFailure) => void;
