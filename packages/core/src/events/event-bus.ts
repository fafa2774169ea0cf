import type { EndHookFailure, EventErrorHandler, EventListener, GatewayEvent, GatewayEventType, SinkFailure } from './events.js';

const reportToProcess: EventErrorHandler = (error, source) => {
  const reason = error instanceof Error ? error.message : String(error);
  const what =
    source.type === 'end-hook' ? `An end hook (${source.level} level) failed` : source.type === 'sink' ? `The event sink '${source.sink}' failed to close` : `A Switchyard event listener failed on '${source.type}'`;
  process.emitWarning(`${what}: ${reason}`, { code: 'SWITCHYARD_LISTENER_ERROR' });
};

/**
 * Delivers events to listeners in a microtask batch, after the code that emitted them has
 * moved on: a slow or throwing listener never delays or breaks a call. With no listener
 * for a type, emitting it costs one lookup.
 */
export class EventBus {
  readonly #byType = new Map<GatewayEventType, Set<EventListener>>();
  readonly #all = new Set<EventListener>();
  /** The gateway's own synchronous observers (telemetry): they see an event as it is emitted, before the call moves on. */
  readonly #taps = new Map<GatewayEventType, Set<EventListener>>();
  readonly #onError: EventErrorHandler;
  #queue: GatewayEvent[] = [];
  #scheduled = false;

  constructor(onError: EventErrorHandler = reportToProcess) {
    this.#onError = onError;
  }

  on(type: GatewayEventType | '*', listener: EventListener): () => void {
    if (type === '*') {
      this.#all.add(listener);
      return () => this.#all.delete(listener);
    }
    let set = this.#byType.get(type);
    if (!set) this.#byType.set(type, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /**
   * For the gateway itself: `listener` gets each event of `types` synchronously, inside `emit`
   * (telemetry must add a decision to a span before the span ends). It must be quick and must
   * not throw (a throw is reported like a listener's). Returns the function that removes it.
   */
  tap(types: readonly GatewayEventType[], listener: EventListener): () => void {
    for (const type of types) {
      let set = this.#taps.get(type);
      if (!set) this.#taps.set(type, (set = new Set()));
      set.add(listener);
    }
    return () => {
      for (const type of types) {
        const set = this.#taps.get(type);
        set?.delete(listener);
        if (set?.size === 0) this.#taps.delete(type);
      }
    };
  }

  wants(type: GatewayEventType): boolean {
    return this.#all.size > 0 || (this.#byType.get(type)?.size ?? 0) > 0 || (this.#taps.size > 0 && this.#taps.has(type));
  }

  emit(event: GatewayEvent): void {
    const taps = this.#taps.size > 0 ? this.#taps.get(event.type) : undefined;
    if (taps) for (const tap of taps) this.#deliver(tap, event);
    this.#queue.push(event);
    if (!this.#scheduled) {
      this.#scheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  readonly #flush = (): void => {
    const batch = this.#queue;
    this.#queue = [];
    this.#scheduled = false;
    for (const event of batch) {
      const typed = this.#byType.get(event.type);
      if (typed) for (const listener of typed) this.#deliver(listener, event);
      for (const listener of this.#all) this.#deliver(listener, event);
    }
  };

  #deliver(listener: EventListener, event: GatewayEvent): void {
    try {
      const returned = listener(event);
      if (isThenable(returned)) returned.then(undefined, (error: unknown) => this.report(error, event));
    } catch (error) {
      this.report(error, event);
    }
  }

  /** Reports a failure of a listener or an end hook to the configured handler, which must not throw either. */
  report(error: unknown, source: GatewayEvent | EndHookFailure | SinkFailure): void {
    try {
      this.#onError(error, source);
    } catch {
      // The error handler itself failed; there is nowhere left to report to.
    }
  }
}

/** A listener may return anything; a promise (or any thenable) is watched for its rejection. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
