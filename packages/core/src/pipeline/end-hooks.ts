import { isThenable, type EventBus } from '../events/event-bus.js';
import type { EndHook } from './call-meta.js';

/** Runs a call's end hooks; what fails in one is reported and the rest still run. */
export interface EndHookRunner {
  run<T>(hooks: ReadonlyArray<EndHook<T>>, payload: T, level: 'request' | 'attempt'): void;
}

/** Calls each hook in order with `payload`; a throw or a rejected promise goes to the bus's `onEventError`. */
export function runEndHooks<T>(hooks: ReadonlyArray<EndHook<T>>, payload: T, events: EventBus, call: { readonly requestId: string }, level: 'request' | 'attempt'): void {
  for (const hook of hooks) {
    try {
      const returned = hook(payload);
      if (isThenable(returned)) returned.then(undefined, (error: unknown) => events.report(error, { type: 'end-hook', requestId: call.requestId, level }));
    } catch (error) {
      events.report(error, { type: 'end-hook', requestId: call.requestId, level });
    }
  }
}
