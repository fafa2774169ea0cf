import { isObject, sameJson, typeNames, type JsonObject, type JsonType } from './json-schema-node.js';
import { unsupported, type Path } from './to-gemini-schema-context.js';

const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minItems']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxItems']);

/**
 * The intersection of flattened schemas, as far as Gemini can tell the difference:
 * types and enums intersect, properties and required unite (a property in several members
 * becomes an `allOf` of its definitions), bounds take the tighter value, annotations and
 * keywords Gemini drops anyway keep the first value seen.
 */
export function merge(members: readonly JsonObject[], at: Path): JsonObject | undefined {
  const out = new Map<string, unknown>();
  const properties = new Map<string, unknown>();
  const required = new Set<string>();
  let types: Set<JsonType> | undefined;
  let values: unknown[] | undefined;
  let nullable: boolean | undefined;

  for (const member of members) {
    for (const [key, value] of Object.entries(member)) {
      if (key === 'type') {
        const names = typeNames(value);
        if (names) types = types ? intersectTypes(types, names) : new Set(names);
      } else if (key === 'enum' || key === 'const') {
        const candidates = key === 'const' ? [value] : Array.isArray(value) ? value : undefined;
        if (candidates) values = values ? values.filter((v) => candidates.some((c) => sameJson(v, c))) : [...candidates];
      } else if (key === 'properties') {
        if (!isObject(value)) continue;
        for (const [name, schema] of Object.entries(value)) {
          const previous = properties.get(name);
          properties.set(name, previous === undefined ? schema : { allOf: [previous, schema] });
        }
      } else if (key === 'required') {
        if (Array.isArray(value)) for (const name of value) if (typeof name === 'string') required.add(name);
      } else if (key === 'nullable') {
        nullable = (nullable ?? true) && value === true;
      } else if (key === 'anyOf' || key === 'oneOf') {
        if (out.has('anyOf') || out.has('oneOf')) throw unsupported(at, 'allOf combines several anyOf/oneOf unions, which Gemini cannot express');
        out.set(key, value);
      } else if (key === 'items' && out.has('items')) {
        const previous = out.get('items');
        if (Array.isArray(previous) || Array.isArray(value)) throw unsupported(at, 'allOf combines tuple schemas, which Gemini cannot express');
        out.set('items', { allOf: [previous, value] });
      } else if ((LOWER_BOUNDS.has(key) || UPPER_BOUNDS.has(key)) && typeof value === 'number' && typeof out.get(key) === 'number') {
        const previous = out.get(key) as number;
        out.set(key, LOWER_BOUNDS.has(key) ? Math.max(previous, value) : Math.min(previous, value));
      } else if (!out.has(key)) {
        out.set(key, value);
      }
    }
  }

  if (types !== undefined) {
    if (types.size === 0) return undefined;
    out.set('type', [...types]);
  }
  if (values !== undefined) {
    if (values.length === 0) return undefined;
    out.set('enum', values);
  }
  if (nullable !== undefined) out.set('nullable', nullable);
  if (properties.size > 0) out.set('properties', Object.fromEntries(properties));
  if (required.size > 0) out.set('required', [...required]);
  // fromEntries defines own properties, so a key such as `__proto__` stays plain data.
  return Object.fromEntries(out);
}

function intersectTypes(left: ReadonlySet<JsonType>, right: readonly JsonType[]): Set<JsonType> {
  const out = new Set<JsonType>();
  for (const a of left) {
    for (const b of right) {
      if (a === b) out.add(a);
      else if ((a === 'integer' && b === 'number') || (a === 'number' && b === 'integer')) out.add('integer');
    }
  }
  return out;
}
