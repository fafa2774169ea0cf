// Argument checks every Store implementation applies, so that all reject the same mistakes.
import type { DecideOptions, IncrementOptions, SetOptions, StoreCheck, StoreValue } from './store.js';
import { StoreArgumentError } from './store-argument-error.js';

/** How much of a bad argument a message quotes: enough to recognise it, never a whole value. */
const QUOTE_LENGTH = 60;

/** A short, safe rendering of a bad argument for a message. */
export function describeArgument(value: unknown): string {
  if (typeof value === 'string') {
    const text = value.length > QUOTE_LENGTH ? `${value.slice(0, QUOTE_LENGTH)}…` : value;
    return JSON.stringify(text);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

export function checkKey(key: unknown, argument = 'key'): string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new StoreArgumentError(argument, `must be a non-empty string, got ${describeArgument(key)}.`);
  }
  return key;
}

export function checkFinite(value: unknown, argument: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new StoreArgumentError(argument, `must be a finite number, got ${describeArgument(value)}.`);
  }
  return value;
}

function checkAtLeastZero(value: unknown, argument: string): number {
  const number = checkFinite(value, argument);
  if (number < 0) throw new StoreArgumentError(argument, `must be ≥ 0, got ${String(number)}.`);
  return number;
}

function checkPositive(value: unknown, argument: string): number {
  const number = checkFinite(value, argument);
  if (!(number > 0)) throw new StoreArgumentError(argument, `must be > 0, got ${String(number)}.`);
  return number;
}

/**
 * A TTL in whole milliseconds (a fraction rounds up, as Redis takes whole milliseconds), or
 * `undefined` for none. Zero is refused rather than read as "already expired" or "forever".
 */
export function checkTtl(ttlMs: unknown, argument = 'ttlMs'): number | undefined {
  if (ttlMs === undefined) return undefined;
  return Math.ceil(checkPositive(ttlMs, argument));
}

function checkOptions(options: unknown, argument: string, noun = 'an options object'): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new StoreArgumentError(argument, `must be ${noun}, got ${describeArgument(options)}.`);
  }
  return options as Record<string, unknown>;
}

export function checkIncrementOptions(options: IncrementOptions | undefined): number | undefined {
  return checkTtl(checkOptions(options, 'options').ttlMs);
}

export function checkSetOptions(options: SetOptions | undefined): { ttlMs: number | undefined; ifAbsent: boolean } {
  const record = checkOptions(options, 'options');
  return { ttlMs: checkTtl(record.ttlMs), ifAbsent: record.ifAbsent === true };
}

export function checkDecideOptions(options: DecideOptions | undefined): { force: boolean } {
  return { force: checkOptions(options, 'options').force === true };
}

export function checkValue(value: unknown): StoreValue {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  throw new StoreArgumentError('value', `must be a string or a Uint8Array, got ${describeArgument(value)}.`);
}

/**
 * The checks of one decision, validated whole before anything is read, so that a bad
 * check rejects the decision without applying any cost. A key may appear once: two checks
 * on one counter would each see it without the other's cost.
 */
export function checkChecks(checks: unknown): readonly StoreCheck[] {
  if (!Array.isArray(checks)) throw new StoreArgumentError('checks', `must be an array, got ${describeArgument(checks)}.`);
  // Every decision of every governed call passes here: argument names are built only for an error.
  // A decision holds a handful of checks: comparing keys pairwise beats hashing fresh strings into a Set.
  const seen = checks.length > SMALL_DECISION ? new Set<string>() : undefined;
  for (let index = 0; index < checks.length; index++) {
    const check: unknown = checks[index];
    if (typeof check !== 'object' || check === null || Array.isArray(check)) checkOptions(check ?? null, `checks[${index}]`, "a check ({ kind: 'window' | 'bucket', key, cost, ... })");
    const record = check as Record<string, unknown>;
    const key = record.key;
    if (typeof key !== 'string' || key.length === 0) checkKey(key, `checks[${index}].key`);
    if (seen ? seen.has(key as string) : repeatsEarlier(checks, index, key as string)) {
      throw new StoreArgumentError(`checks[${index}].key`, `repeats ${describeArgument(key)}; a key may appear once in a decision.`);
    }
    seen?.add(key as string);
    if (!isFiniteNumber(record.cost)) checkFinite(record.cost, `checks[${index}].cost`);
    if (record.kind === 'window') {
      if (!(isFiniteNumber(record.limit) && record.limit >= 0)) checkAtLeastZero(record.limit, `checks[${index}].limit`);
      if (record.ttlMs !== undefined && !(isFiniteNumber(record.ttlMs) && record.ttlMs > 0)) checkTtl(record.ttlMs, `checks[${index}].ttlMs`);
    } else if (record.kind === 'bucket') {
      checkAtLeastZero(record.capacity, `checks[${index}].capacity`);
      checkPositive(record.refillPerSecond, `checks[${index}].refillPerSecond`);
    } else {
      throw new StoreArgumentError(`checks[${index}].kind`, `must be 'window' or 'bucket', got ${describeArgument(record.kind)}.`);
    }
  }
  return checks as readonly StoreCheck[];
}

const SMALL_DECISION = 16;

function repeatsEarlier(checks: readonly unknown[], index: number, key: string): boolean {
  for (let earlier = 0; earlier < index; earlier++) if ((checks[earlier] as { key: unknown }).key === key) return true;
  return false;
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function checkPrefix(prefix: unknown): string {
  return checkKey(prefix, 'prefix');
}
