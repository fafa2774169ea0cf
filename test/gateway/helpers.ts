import type { GatewayEvent, RequestEndEvent } from '@switchyard/core';

/** Waits until queued event deliveries (microtask batches) have run. */
export const flushEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

export function collectEvents() {
  const events: GatewayEvent[] = [];
  return {
    events,
    onEvent: (event: GatewayEvent) => {
      events.push(event);
    },
    ends: () => events.filter((event): event is RequestEndEvent => event.type === 'request.end'),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}
