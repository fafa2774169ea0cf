import { MAX_DEPTH } from './to-gemini-schema-context.js';

export type JsonObject = Readonly<Record<string, unknown>>;
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

export const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'];

export function enumValues(schema: JsonObject): unknown[] | undefined {
  const list = own(schema, 'enum');
  const values = Array.isArray(list) ? list : undefined;
  if (!Object.hasOwn(schema, 'const')) return values;
  const constant = schema['const'];
  return values ? values.filter((v) => sameJson(v, constant)) : [constant];
}

/** Known JSON Schema type names, lower-cased (so an already-Gemini-style `STRING` passes too). */
export function typeNames(value: unknown): JsonType[] | undefined {
  const list: unknown[] | undefined = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!list) return undefined;
  const names = new Set<JsonType>();
  for (const item of list) {
    const name = typeof item === 'string' ? item.toLowerCase() : '';
    if ((JSON_TYPES as readonly string[]).includes(name)) names.add(name as JsonType);
  }
  return names.size > 0 ? [...names] : undefined;
}

export function jsonTypeOf(value: unknown): Exclude<JsonType, 'null'> {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return Array.isArray(value) ? 'array' : 'object';
}

/** Structural equality of JSON values, bounded so that a cyclic object cannot hang it. */
export function sameJson(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i], depth + 1));
  }
  const left = Object.entries(a);
  const right = b as Record<string, unknown>;
  return left.length === Object.keys(right).length && left.every(([k, v]) => Object.hasOwn(right, k) && sameJson(v, right[k], depth + 1));
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Own properties only: a schema key must never come from a (possibly polluted) prototype. */
export function own(schema: JsonObject, key: string): unknown {
  return Object.hasOwn(schema, key) ? schema[key] : undefined;
}

export function without(schema: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}
