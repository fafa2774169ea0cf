// The gateway's telemetry: decides per call whether anything records, starts the call's telemetry, and turns the decisions the event bus reports into span events and counters.
import type { EventBus } from '../events/event-bus.js';
import type { GatewayEvent, GatewayEventType } from '../events/events.js';
import type { CallRecord } from '../pipeline/call-record.js';
import type { RequestContext } from '../pipeline/middleware.js';
import { CallTelemetry, type CallTelemetrySettings } from './call-telemetry.js';
import type { GatewayInstruments } from './gateway-instruments.js';
import { GenAi, Switchyard } from './gen-ai-names.js';
import { OtelHandles } from './otel-handles.js';
import { DEFAULT_CONTENT_MAX_CHARS, type TelemetryOptions } from './telemetry-options.js';

/** The decisions telemetry takes from the bus, synchronously, so that they reach a span before it ends. */
const TAPPED: readonly GatewayEventType[] = [
  'attempt.retry',
  'request.fallback',
  'cache.hit',
  'cache.miss',
  'access.denied',
  'limit.exceeded',
  'budget.exceeded',
  'residency.denied',
  'guardrail.verdict',
  'deployment.cooldown',
  'deployment.recovered',
  'deployment.probing',
];

export interface TelemetryDeps {
  readonly events: EventBus;
  readonly contentGuarded: (ctx: RequestContext) => boolean;
  readonly redactAnswer: (ctx: RequestContext, text: string) => string;
}

/**
 * One per gateway, reconfigured by `reload()` (calls in flight keep the telemetry they started
 * with). A call is observed only when a tracer or meter records; otherwise `start` costs a check
 * of the global providers and nothing else.
 */
export class Telemetry {
  readonly #events: EventBus;
  #enabled = true;
  #handles = new OtelHandles(undefined, undefined);
  #settings: CallTelemetrySettings;
  /** Observed calls in flight, by request id: where a tapped decision goes. */
  readonly #open = new Map<string, CallTelemetry>();
  #untap: (() => void) | undefined;

  constructor(options: TelemetryOptions | undefined, deps: TelemetryDeps) {
    this.#events = deps.events;
    this.#settings = settingsOf(options, deps);
    this.configure(options, deps);
  }

  configure(options: TelemetryOptions | undefined, deps: TelemetryDeps): void {
    this.#enabled = options?.enabled ?? true;
    this.#handles = new OtelHandles(options?.tracerProvider, options?.meterProvider);
    this.#settings = settingsOf(options, deps);
    // Calls in flight keep their span events: the tap goes when the last of them ends.
    if (!this.#enabled && this.#open.size === 0) this.#stopTapping();
  }

  /** Observes `record` if anything records: sets its observer, which starts the request span now (the caller's context its parent). */
  start(record: CallRecord): void {
    if (!this.#enabled) return;
    const handles = this.#handles;
    const tracer = handles.tracer();
    const instruments = handles.instruments();
    if (!tracer && !instruments) return;
    this.#untap ??= this.#events.tap(TAPPED, (event) => this.#event(event));
    const call = new CallTelemetry(record, tracer, instruments, this.#settings);
    record.observer = call;
    if (!tracer) return;
    const requestId = record.requestId;
    this.#open.set(requestId, call);
    record.onEnd(() => {
      this.#open.delete(requestId);
      if (!this.#enabled && this.#open.size === 0) this.#stopTapping();
    });
  }

  #stopTapping(): void {
    this.#untap?.();
    this.#untap = undefined;
  }

  #event(event: GatewayEvent): void {
    if (event.requestId !== '') this.#open.get(event.requestId)?.event(event);
    const instruments = this.#handles.instruments();
    if (instruments) countEvent(instruments, event);
  }
}

function settingsOf(options: TelemetryOptions | undefined, deps: TelemetryDeps): CallTelemetrySettings {
  const capture = options?.captureContent;
  const content = capture === undefined || capture === false ? undefined : { maxChars: (capture === true ? undefined : capture.maxChars) ?? DEFAULT_CONTENT_MAX_CHARS, as: (capture === true ? undefined : capture.as) ?? 'attributes' };
  return { content, principal: options?.principal ?? true, chunkTimings: options?.chunkTimings ?? true, contentGuarded: deps.contentGuarded, redactAnswer: deps.redactAnswer };
}

/** The gateway's own counters, from the decisions reported. */
function countEvent(instruments: GatewayInstruments, event: GatewayEvent): void {
  switch (event.type) {
    case 'attempt.retry':
      instruments.retries.add(1, { [Switchyard.provider]: event.provider, [Switchyard.model]: event.model, [GenAi.errorType]: event.error.code });
      return;
    case 'request.fallback':
      instruments.fallbacks.add(1, { 'switchyard.from': event.from, 'switchyard.to': event.to, [GenAi.errorType]: event.error.code });
      return;
    case 'deployment.cooldown':
    case 'deployment.recovered':
    case 'deployment.probing':
      instruments.breakerTransitions.add(1, { 'switchyard.deployment': event.deployment, 'switchyard.breaker.state': breakerState(event.type) });
      return;
    case 'cache.hit':
      instruments.cacheLookups.add(1, { [Switchyard.cacheName]: event.cache, [Switchyard.cacheHit]: true });
      if (typeof event.savedUsd === 'number' && event.savedUsd > 0) instruments.cacheSaved.add(event.savedUsd, { [Switchyard.cacheName]: event.cache });
      return;
    case 'cache.miss':
      instruments.cacheLookups.add(1, { [Switchyard.cacheName]: event.cache, [Switchyard.cacheHit]: false });
      return;
    case 'access.denied':
      instruments.governanceRejections.add(1, { 'switchyard.kind': 'access', 'switchyard.rule': event.rule });
      return;
    case 'residency.denied':
      instruments.governanceRejections.add(1, { 'switchyard.kind': 'residency' });
      return;
    case 'limit.exceeded':
      if (event.action === 'reject') instruments.governanceRejections.add(1, { 'switchyard.kind': 'limit', 'switchyard.rule': event.rule });
      return;
    case 'budget.exceeded':
      if (event.action === 'block') instruments.governanceRejections.add(1, { 'switchyard.kind': 'budget', 'switchyard.rule': event.rule });
      return;
    case 'guardrail.verdict':
      instruments.guardrailVerdicts.add(1, { 'switchyard.guardrail': event.guardrail, 'switchyard.phase': event.phase, 'switchyard.verdict': event.verdict, 'switchyard.mode': event.mode });
      return;
    default:
      return;
  }
}

function breakerState(type: 'deployment.cooldown' | 'deployment.recovered' | 'deployment.probing'): string {
  return type === 'deployment.cooldown' ? 'open' : type === 'deployment.recovered' ? 'closed' : 'half_open';
}
