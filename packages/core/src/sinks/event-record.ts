// The record a sink writes for an event: the event's own fields and the schema version they follow (docs/events.md#versioning).
import type { GatewayEvent } from '../events/events.js';

/** The version of the event types and fields that docs/events.md lists; bumped only by a change that is not additive. */
export const EVENT_SCHEMA_VERSION = 1;

/**
 * An event as sinks write it: `v` is the schema version, the rest is the event as listeners get
 * it, except that a field whose value is `undefined` is absent (as it is from the JSON).
 */
export type EventRecord = { readonly v: typeof EVENT_SCHEMA_VERSION } & GatewayEvent;

/**
 * The record for `event`: a copy of plain JSON data, so that what a sink holds is what its JSON
 * says (`JSON.parse(JSON.stringify(record))` equals it) and does not change if the app later
 * changes an object the event shares with it (its `metadata`). Events hold only strings, finite
 * numbers, booleans, `null`, arrays and plain objects (no `bigint`, `Date` or class instance:
 * event-record.test.ts checks the types).
 */
export function toEventRecord(event: GatewayEvent): EventRecord {
  return { v: EVENT_SCHEMA_VERSION, ...(plain(event) as GatewayEvent) };
}

/** A deep copy without `undefined`-valued fields. */
function plain(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item: unknown) => (item === undefined ? null : plain(item)));
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) copy[key] = plain(field);
  return copy;
}
