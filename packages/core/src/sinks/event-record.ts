// The line a sink writes for an event: the event's own fields and the schema version they follow (docs/events.md#versioning).
import type { GatewayEvent } from '../events/events.js';

/** The version of the event types and fields that docs/events.md lists; bumped only by a change that is not additive. */
export const EVENT_SCHEMA_VERSION = 1;

/** An event as sinks write it: `v` is the schema version, the rest is the event as listeners get it. */
export type EventRecord = { readonly v: typeof EVENT_SCHEMA_VERSION } & GatewayEvent;

export function toEventRecord(event: GatewayEvent): EventRecord {
  return { v: EVENT_SCHEMA_VERSION, ...event };
}
