// What the gateway hands usage events to: a sink takes each event at once (never blocking a call) and delivers it on its own time.
import type { GatewayEvent, GatewayEventType } from '../events/events.js';

/** How a sink stands: what it took, delivered and lost. Read it any time; `gateway.close()` reports the final one. */
export interface SinkStats {
  /** Events the sink took (`write` calls for events it keeps). */
  readonly accepted: number;
  /** Events delivered to the destination (written to the file, sent, printed). */
  readonly delivered: number;
  /** Events lost: the queue was full, or a batch still failed after its retries, or `close()` ran out of time. */
  readonly dropped: number;
  /** Events waiting to be delivered. */
  readonly queued: number;
  /** Deliveries that failed (each retry counts). */
  readonly failures: number;
}

/**
 * A destination for gateway events (docs/events.md#sinks). The gateway calls `write` for every
 * event of `types` (every type when absent), after the call that emitted it has moved on;
 * `write` must return at once and never throw. `close()` delivers what is queued (up to its
 * deadline) and releases the destination.
 */
export interface EventSink {
  /** For warnings and stats: what this sink is (`'jsonl:./usage.jsonl'`, `'console'`, `'batch:warehouse'`). */
  readonly name: string;
  /** The event types it wants; absent: every type. An event type no sink or listener wants is never built. */
  readonly types?: readonly GatewayEventType[] | undefined;
  write(event: GatewayEvent): void;
  /** Delivers everything queued so far; resolves when it is delivered (or dropped, and counted). */
  flush(): Promise<void>;
  /** Flushes within `timeoutMs` (what is still undelivered then is dropped and counted), then releases the destination. Idempotent. */
  close(options?: { timeoutMs?: number | undefined }): Promise<SinkStats>;
  stats(): SinkStats;
}
