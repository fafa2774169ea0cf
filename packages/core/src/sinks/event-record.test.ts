import { describe, expect, expectTypeOf, it } from 'vitest';
import type { GatewayEvent } from '../events/events.js';
import { EVENT_SCHEMA_VERSION, toEventRecord, type EventRecord } from './event-record.js';

/** Whether every value a `T` can hold survives JSON as it is: no bigint, function, symbol, Date, Map or other class instance. */
type JsonSafe<T> = T extends string | number | boolean | null | undefined
  ? true
  : T extends bigint | symbol | ((...args: never[]) => unknown) | Date | RegExp | Map<unknown, unknown> | Set<unknown>
    ? false
    : T extends readonly (infer U)[]
      ? JsonSafe<U>
      : T extends object
        ? false extends { [K in keyof T]-?: JsonSafe<T[K]> }[keyof T]
          ? false
          : true
        : false;

const end: GatewayEvent = {
  type: 'request.end',
  requestId: 'r1',
  timestamp: 1,
  operation: 'chat',
  route: 'fast',
  stream: true,
  outcome: 'error',
  provider: 'openai',
  model: 'gpt-4.1-mini',
  attempts: 2,
  served: undefined,
  usage: undefined,
  totalUsage: { inputTokens: 1, outputTokens: 0, totalTokens: 1, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 },
  cost: { usd: null, estimated: false, reason: 'no price for openai/gpt-4.1-mini', breakdown: undefined },
  providerRequestId: undefined,
  warnings: [{ code: 'parameter_dropped', param: 'top_k', message: 'dropped' }],
  latencyMs: 3.5,
  timeToFirstChunkMs: undefined,
  error: { name: 'ProviderError', code: 'provider_error', message: 'busy', retryable: true, status: 503 },
  principal: { id: 'u1', teams: ['a'] },
  metadata: { tenant: 't' },
  tags: ['x'],
};

describe('event records', () => {
  it('are the event with its schema version, and no field that holds undefined', () => {
    const record = toEventRecord(end);
    expect(record.v).toBe(EVENT_SCHEMA_VERSION);
    expect(EVENT_SCHEMA_VERSION).toBe(1);
    expect(Object.keys(record)).not.toContain('usage');
    expect(Object.keys(record.type === 'request.end' ? (record.cost ?? {}) : {})).toEqual(['usd', 'estimated', 'reason']);
    expect(record).toEqual({ v: 1, ...end });
  });

  it('are what their JSON says, to the last field', () => {
    const record = toEventRecord(end);
    expect(JSON.parse(JSON.stringify(record))).toStrictEqual(record);
  });

  it('are copies: changing an object the event shares does not change the record', () => {
    const metadata: Record<string, string> = { tenant: 't' };
    const record = toEventRecord({ ...end, metadata } as GatewayEvent);
    metadata.tenant = 'changed';
    expect(record.type === 'request.end' && record.metadata).toEqual({ tenant: 't' });
  });

  it('hold only what JSON can carry, for every event type (checked by the compiler)', () => {
    expectTypeOf<JsonSafe<GatewayEvent>>().toEqualTypeOf<true>();
    expectTypeOf<JsonSafe<EventRecord>>().toEqualTypeOf<true>();
    // The check itself catches what would not survive.
    expectTypeOf<JsonSafe<{ a: bigint }>>().toEqualTypeOf<false>();
    expectTypeOf<JsonSafe<{ a: { b: Date } }>>().toEqualTypeOf<false>();
    expectTypeOf<JsonSafe<{ a?: readonly (() => void)[] }>>().toEqualTypeOf<false>();
  });
});
