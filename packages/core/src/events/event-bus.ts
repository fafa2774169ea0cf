import type { EndHookFailure, EventErrorHandler, EventListener, GatewayEvent, GatewayEventType } from './events.js';

const reportToProcess: EventErrorHandler = (error, source) => {
  const reason = error instanceof Error ? error.message : String(error);
  const what = source.type === 'end-hook' ? `An end hook (${source.level} level) failed` : `A Switchyard event listener failed on '${source.type}'`;
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

  wants(type: GatewayEventType): boolean {
    return this.#all.size > 0 || (this.#byType.get(type)?.size ?? 0) > 0;
  }

  emit(event: GatewayEvent): void {
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
  report(error: unknown, source: GatewayEvent | EndHookFailure): void {
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
