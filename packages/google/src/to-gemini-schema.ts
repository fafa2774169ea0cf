import { UnsupportedFeatureError } from '@switchyard/core';

/**
 * Gemini's data types, spelled as the REST API documents them and as @google/genai's
 * `Type` enum spells them. (@google/generative-ai's `SchemaType` uses the lower-case
 * spelling; the API accepts both, but one spelling keeps our output predictable.)
 */
export type GeminiSchemaType = 'STRING' | 'NUMBER' | 'INTEGER' | 'BOOLEAN' | 'ARRAY' | 'OBJECT';

/** The formats the Gemini API documents: `enum`/`date-time` for strings, the rest for numbers. */
export type GeminiSchemaFormat = 'enum' | 'date-time' | 'int32' | 'int64' | 'float' | 'double';

/**
 * The OpenAPI 3.0 subset that Gemini's `Schema` (`responseSchema`, function `parameters`)
 * accepts on both the Gemini API and Vertex AI. A node carries either `type` or `anyOf`,
 * never both, because the API rejects the combination.
 */
export interface GeminiSchema {
  type?: GeminiSchemaType;
  format?: GeminiSchemaFormat;
  title?: string;
  description?: string;
  nullable?: boolean;
  /** Strings only, and only on `STRING` nodes. */
  enum?: string[];
  items?: GeminiSchema;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  /** Never empty: Gemini rejects an OBJECT whose `properties` is `{}`. */
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  /** Never produced by `toGeminiSchema`; declared so a caller can add it to a response schema. */
  propertyOrdering?: string[];
  anyOf?: GeminiSchema[];
}

/*
 * Keyword policy. The output is built from scratch, so only these fields can appear in it:
 * type, format, title, description, nullable, enum, items, minItems, maxItems, minimum,
 * maximum, properties, required, anyOf — the fields Google declares for both backends
 * (@google/generative-ai's Schema plus the later additions @google/genai and the v1beta
 * REST Schema share).
 *
 * Translated rather than copied:
 *   $ref ($defs / definitions / any local JSON pointer) -> inlined
 *   allOf              -> merged (properties and required united, types intersected)
 *   oneOf              -> anyOf (Gemini has no exclusive union; anyOf is the closest widening)
 *   const              -> enum of one value
 *   type: [T, 'null']  -> type T with nullable; several non-null types -> anyOf of each
 *   prefixItems, tuple `items` -> `items` with an anyOf of the member schemas
 *   exclusiveMinimum / exclusiveMaximum (numeric form) -> minimum / maximum, made inclusive
 *
 * Dropped, because at least one of Gemini's surfaces rejects them with "Unknown name …":
 *   $schema, $id, $anchor, $comment, $vocabulary, $defs, definitions, additionalProperties,
 *   patternProperties, unevaluatedProperties, unevaluatedItems, propertyNames,
 *   minProperties, maxProperties, dependencies, dependentRequired, dependentSchemas,
 *   if / then / else, not, pattern, minLength, maxLength, multipleOf, uniqueItems,
 *   contains, minContains, maxContains, default, examples, example, deprecated, readOnly,
 *   writeOnly, contentEncoding, contentMediaType, discriminator, and anything unknown.
 *   pattern, min/maxLength, min/maxProperties and default exist in @google/genai's type
 *   only because Vertex AI accepts them; the Gemini API does not, so they go too.
 *
 * Dropping a constraint widens what the model may produce; callers that need the exact
 * contract must still validate the model's output against the original JSON schema.
 */

/** Deeper than this (counting inlined `$ref`s and `allOf` members) is treated as unconvertible. */
const MAX_DEPTH = 64;
/** Work budget, so shared `$ref`s that fan out exponentially fail fast instead of hanging. */
const MAX_STEPS = 20_000;

type JsonObject = Readonly<Record<string, unknown>>;
type Path = readonly (string | number)[];
type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'array' | 'object' | 'null';

const JSON_TYPES: readonly JsonType[] = ['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'];
const GEMINI_TYPES: Readonly<Record<Exclude<JsonType, 'null'>, GeminiSchemaType>> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
};
/** Keywords that change the converted result; anything else is safe to ignore in a union. */
const CONVERTED_KEYWORDS = [
  'type', 'enum', 'const', 'format', 'nullable', 'items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'properties', 'required', 'anyOf', 'oneOf', 'allOf', '$ref',
];
const LOWER_BOUNDS = new Set(['minimum', 'exclusiveMinimum', 'minItems']);
const UPPER_BOUNDS = new Set(['maximum', 'exclusiveMaximum', 'maxItems']);

interface Context {
  readonly root: unknown;
  steps: number;
  /** Per `$ref` target: whether inlining it would never end. */
  readonly recursive: Map<object, boolean>;
}

/**
 * Converts a JSON Schema (an OpenAI tool's `parameters`, or `response_format.json_schema.schema`)
 * into the schema Gemini accepts. Never mutates its input; the result shares no objects with it.
 *
 * Recursive `$ref`s cannot be inlined and Gemini has no references, so they throw an
 * `UnsupportedFeatureError` naming the reference and where it was met, rather than being
 * silently cut at some depth (which would change the tool's contract without telling anyone).
 * Every other failure (contradictory `allOf`, a schema that only allows null, references
 * outside the document, absurd depth or size) is an `UnsupportedFeatureError` too, with
 * `feature: 'json_schema'`.
 */
export function toGeminiSchema(jsonSchema: Record<string, unknown>): GeminiSchema {
  const ctx: Context = { root: jsonSchema, steps: 0, recursive: new Map() };
  return convert(jsonSchema, ctx, [], 0);
}

function convert(raw: unknown, ctx: Context, at: Path, depth: number): GeminiSchema {
  const flat = flatten(raw, ctx, at, depth);
  if (flat === undefined) throw unsupported(at, 'no value can satisfy this schema (its allOf members or types contradict each other)');
  return convertFlat(flat, ctx, at, depth);
}

/**
 * Resolves a node's own `$ref` and `allOf` into one schema without either, or `undefined`
 * when no value can satisfy it. Nested keywords are left for `convertFlat` to recurse into.
 */
function flatten(raw: unknown, ctx: Context, at: Path, depth: number): JsonObject | undefined {
  spend(ctx, at, depth);
  if (raw === false) return undefined;
  // `true`, and anything that is not a schema object, accepts every value.
  if (!isObject(raw)) return {};
  const ref = own(raw, '$ref');
  const allOf = own(raw, 'allOf');
  if (ref === undefined && !Array.isArray(allOf)) return raw;

  // The node's own keywords go first so that its description wins over the referenced one.
  const members: JsonObject[] = [without(raw, ['$ref', 'allOf'])];
  if (ref !== undefined) {
    const target = flatten(resolveRef(ref, ctx, at), ctx, at, depth + 1);
    if (target === undefined) return undefined;
    members.push(target);
  }
  if (Array.isArray(allOf)) {
    for (const [index, member] of allOf.entries()) {
      const flat = flatten(member, ctx, [...at, 'allOf', index], depth + 1);
      if (flat === undefined) return undefined;
      members.push(flat);
    }
  }
  return merge(members, at);
}

/**
 * The intersection of flattened schemas, as far as Gemini can tell the difference:
 * types and enums intersect, properties and required unite (a property in several members
 * becomes an `allOf` of its definitions), bounds take the tighter value, annotations and
 * keywords Gemini drops anyway keep the first value seen.
 */
function merge(members: readonly JsonObject[], at: Path): JsonObject | undefined {
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

function convertFlat(schema: JsonObject, ctx: Context, at: Path, depth: number): GeminiSchema {
  spend(ctx, at, depth);
  const anyOf = own(schema, 'anyOf');
  const oneOf = own(schema, 'oneOf');
  if (Array.isArray(anyOf) && Array.isArray(oneOf)) throw unsupported(at, 'a schema with both anyOf and oneOf has no Gemini equivalent');
  if (Array.isArray(anyOf)) return convertUnion(schema, anyOf, 'anyOf', ctx, at, depth);
  if (Array.isArray(oneOf)) return convertUnion(schema, oneOf, 'oneOf', ctx, at, depth);
  return convertTyped(schema, ctx, at, depth);
}

function convertUnion(
  schema: JsonObject,
  union: readonly unknown[],
  keyword: 'anyOf' | 'oneOf',
  ctx: Context,
  at: Path,
  depth: number,
): GeminiSchema {
  // Constraints beside the union apply to every branch: (A or B) and C = (A and C) or (B and C).
  const rest = without(schema, ['anyOf', 'oneOf', 'nullable', 'title', 'description']);
  const constrained = CONVERTED_KEYWORDS.some((key) => own(rest, key) !== undefined);
  let nullable = own(schema, 'nullable') === true;
  const branches: { flat: JsonObject; at: Path }[] = [];
  for (const [index, branch] of union.entries()) {
    const branchAt = [...at, keyword, index];
    const flat = flatten(constrained ? { allOf: [rest, branch] } : branch, ctx, branchAt, depth + 1);
    // A branch no value satisfies adds nothing to the union.
    if (flat === undefined) continue;
    if (allowsOnlyNull(flat)) nullable = true;
    else branches.push({ flat, at: branchAt });
  }
  if (branches.length === 0) {
    throw unsupported(at, nullable ? 'a schema that only allows null has no Gemini equivalent' : `no ${keyword} branch can be satisfied`);
  }
  const converted = branches.map((branch) => convertFlat(branch.flat, ctx, branch.at, depth + 1));
  if (converted.length === 1) return annotate(converted[0] as GeminiSchema, schema, nullable);
  return annotate({ anyOf: converted }, schema, nullable);
}

function convertTyped(schema: JsonObject, ctx: Context, at: Path, depth: number): GeminiSchema {
  const declared = typeNames(own(schema, 'type'));
  const values = enumValues(schema);
  let nullable = own(schema, 'nullable') === true;
  let build: { type: Exclude<JsonType, 'null'>; strings: string[] | undefined }[];

  if (declared) {
    if (declared.includes('null')) nullable = true;
    const types = withoutSubsumedInteger(declared.filter((t): t is Exclude<JsonType, 'null'> => t !== 'null'));
    if (types.length === 0) throw unsupported(at, 'a schema that only allows null has no Gemini equivalent');
    // Gemini enums are strings; a declared string type takes the values as text, other types lose the enum.
    const strings = values?.filter(isPrimitive).filter((v) => v !== null).map(String);
    build = types.map((type) => ({ type, strings: type === 'string' ? strings : undefined }));
  } else if (values) {
    // No declared type: let the values say which types they are, one anyOf branch per type.
    if (values.includes(null)) nullable = true;
    const types = withoutSubsumedInteger([...new Set(values.filter((v) => v !== null).map(jsonTypeOf))]);
    if (types.length === 0) throw unsupported(at, 'a schema that only allows null has no Gemini equivalent');
    const strings = values.filter((v): v is string => typeof v === 'string');
    build = types.map((type) => ({ type, strings: type === 'string' ? strings : undefined }));
  } else {
    // Gemini requires a type; a schema that accepts anything is sent as a string.
    build = [{ type: inferType(schema) ?? 'string', strings: undefined }];
  }

  if (build.length === 1) {
    const only = build[0] as (typeof build)[number];
    return annotate(buildNode(schema, only.type, only.strings, ctx, at, depth), schema, nullable);
  }
  const anyOf = build.map(({ type, strings }) => buildNode(schema, type, strings, ctx, at, depth));
  return annotate({ anyOf }, schema, nullable);
}

function buildNode(
  schema: JsonObject,
  type: Exclude<JsonType, 'null'>,
  strings: string[] | undefined,
  ctx: Context,
  at: Path,
  depth: number,
): GeminiSchema {
  const out: GeminiSchema = { type: GEMINI_TYPES[type] };
  const format = own(schema, 'format');
  switch (type) {
    case 'string': {
      const values = strings === undefined ? [] : [...new Set(strings)];
      if (values.length > 0) {
        out.format = 'enum';
        out.enum = values;
      } else if (format === 'date-time') {
        out.format = 'date-time';
      }
      break;
    }
    case 'number':
    case 'integer': {
      const allowed: readonly GeminiSchemaFormat[] = type === 'number' ? ['float', 'double'] : ['int32', 'int64'];
      const kept = allowed.find((f) => f === format);
      if (kept !== undefined) out.format = kept;
      // The exclusive bound is one point wider once made inclusive; Gemini has no exclusive form.
      const minimum = finite(own(schema, 'minimum')) ?? finite(own(schema, 'exclusiveMinimum'));
      const maximum = finite(own(schema, 'maximum')) ?? finite(own(schema, 'exclusiveMaximum'));
      if (minimum !== undefined) out.minimum = minimum;
      if (maximum !== undefined) out.maximum = maximum;
      break;
    }
    case 'array':
      buildArray(schema, out, ctx, at, depth);
      break;
    case 'object':
      buildObject(schema, out, ctx, at, depth);
      break;
    case 'boolean':
      break;
  }
  return out;
}

function buildArray(schema: JsonObject, out: GeminiSchema, ctx: Context, at: Path, depth: number): void {
  const items = own(schema, 'items');
  const prefixItems = own(schema, 'prefixItems');
  let element: unknown;
  let emptyOnly = false;
  if (Array.isArray(prefixItems) || Array.isArray(items)) {
    // Gemini has no tuples: every position may hold any of the tuple's member types.
    const tuple = Array.isArray(prefixItems) ? prefixItems : (items as unknown[]);
    const extra = Array.isArray(prefixItems) ? items : own(schema, 'additionalItems');
    const members = [...tuple, ...(isObject(extra) || extra === true ? [extra] : [])].filter((m) => m !== false);
    element = members.length === 0 ? undefined : members.length === 1 ? members[0] : { anyOf: members };
  } else if (items === false) {
    emptyOnly = true;
  } else if (items !== undefined) {
    element = items;
  }
  // Gemini rejects an ARRAY without `items`; unconstrained elements are sent as strings.
  out.items = element === undefined ? { type: 'STRING' } : convert(element, ctx, [...at, 'items'], depth + 1);
  const minItems = count(own(schema, 'minItems'));
  const maxItems = emptyOnly ? 0 : count(own(schema, 'maxItems'));
  if (minItems !== undefined) out.minItems = minItems;
  if (maxItems !== undefined) out.maxItems = maxItems;
}

function buildObject(schema: JsonObject, out: GeminiSchema, ctx: Context, at: Path, depth: number): void {
  const declared = own(schema, 'properties');
  const properties: [string, GeminiSchema][] = [];
  if (isObject(declared)) {
    for (const [name, raw] of Object.entries(declared)) {
      const propertyAt = [...at, 'properties', name];
      const flat = flatten(raw, ctx, propertyAt, depth + 1);
      // A property no value satisfies can never be present: leave it out.
      if (flat === undefined) continue;
      properties.push([name, convertFlat(flat, ctx, propertyAt, depth + 1)]);
    }
  }
  // An OBJECT with no properties is sent bare: Gemini rejects `properties: {}` ("should be
  // non-empty for OBJECT type"), and `required` may only name declared properties.
  if (properties.length === 0) return;
  out.properties = Object.fromEntries(properties);
  const names = new Set(properties.map(([name]) => name));
  const required = own(schema, 'required');
  const kept = Array.isArray(required) ? [...new Set(required.filter((n): n is string => typeof n === 'string' && names.has(n)))] : [];
  if (kept.length > 0) out.required = kept;
}

/** Copies the node's title and description (they win over a collapsed branch's) and nullability. */
function annotate(node: GeminiSchema, schema: JsonObject, nullable: boolean): GeminiSchema {
  const out: GeminiSchema = { ...node };
  const title = own(schema, 'title');
  const description = own(schema, 'description');
  if (typeof title === 'string') out.title = title;
  if (typeof description === 'string') out.description = description;
  if (nullable) out.nullable = true;
  return out;
}

/** Gemini requires a type on every non-union node; guess it from the keywords present. */
function inferType(schema: JsonObject): Exclude<JsonType, 'null'> | undefined {
  const has = (...keys: string[]) => keys.some((key) => own(schema, key) !== undefined);
  if (has('properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties')) {
    return 'object';
  }
  if (has('items', 'prefixItems', 'additionalItems', 'contains', 'minItems', 'maxItems', 'uniqueItems')) return 'array';
  const format = own(schema, 'format');
  if (format === 'int32' || format === 'int64') return 'integer';
  if (format === 'float' || format === 'double') return 'number';
  if (has('minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf')) return 'number';
  if (has('minLength', 'maxLength', 'pattern', 'format', 'contentEncoding', 'contentMediaType')) return 'string';
  return undefined;
}

function resolveRef(ref: unknown, ctx: Context, at: Path): unknown {
  if (typeof ref !== 'string') throw unsupported(at, '$ref must be a string');
  const shown = JSON.stringify(ref.length > 200 ? `${ref.slice(0, 200)}…` : ref);
  const target = lookup(ref, ctx.root);
  if (target === MISSING) {
    throw unsupported(
      at,
      ref.startsWith('#/')
        ? `$ref ${shown} points at nothing in this schema`
        : `$ref ${shown} is not a JSON pointer into this schema; only references such as "#/$defs/…" and "#/definitions/…" can be inlined`,
    );
  }
  if (isRecursive(target, ctx)) {
    throw unsupported(at, `$ref ${shown} is recursive; Gemini's schema has no references, so a recursive type cannot be expressed (unroll it to a fixed depth first)`);
  }
  return target;
}

const MISSING = Symbol('missing');

/** Follows a local JSON pointer (`#`, `#/$defs/a`, `#/definitions/a~1b`) from the root. */
function lookup(ref: string, root: unknown): unknown {
  if (ref !== '#' && !ref.startsWith('#/')) return MISSING;
  let node = root;
  for (const encoded of ref.slice(2).split('/').slice(ref === '#' ? 1 : 0)) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded).replaceAll('~1', '/').replaceAll('~0', '~');
    } catch {
      return MISSING;
    }
    if (Array.isArray(node) && /^(0|[1-9]\d*)$/.test(segment) && Number(segment) < node.length) node = node[Number(segment)];
    else if (isObject(node) && Object.hasOwn(node, segment)) node = node[segment];
    else return MISSING;
  }
  return node;
}

/** Whether `target` can reach itself through the references in the keywords we convert. */
function isRecursive(target: unknown, ctx: Context): boolean {
  if (!isObject(target)) return false;
  const known = ctx.recursive.get(target);
  if (known !== undefined) return known;
  const seen = new Set<object>([target]);
  const pending: unknown[] = [...children(target)];
  let found = false;
  const ownRef = own(target, '$ref');
  if (typeof ownRef === 'string') pending.push({ $ref: ownRef });
  while (pending.length > 0 && !found) {
    const node = pending.pop();
    if (!isObject(node) || seen.has(node)) continue;
    seen.add(node);
    const ref = own(node, '$ref');
    if (typeof ref === 'string') {
      const resolved = lookup(ref, ctx.root);
      if (resolved === target) found = true;
      else pending.push(resolved);
    }
    pending.push(...children(node));
  }
  ctx.recursive.set(target, found);
  return found;
}

/** The subschemas `convert` descends into. */
function children(node: JsonObject): unknown[] {
  const out: unknown[] = [];
  const properties = own(node, 'properties');
  if (isObject(properties)) out.push(...Object.values(properties));
  for (const key of ['items', 'additionalItems']) {
    const value = own(node, key);
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
  }
  for (const key of ['prefixItems', 'anyOf', 'oneOf', 'allOf']) {
    const value = own(node, key);
    if (Array.isArray(value)) out.push(...value);
  }
  return out;
}

function spend(ctx: Context, at: Path, depth: number): void {
  if (depth > MAX_DEPTH) throw unsupported(at, `the schema nests more than ${MAX_DEPTH} levels deep once references are inlined`);
  if (++ctx.steps > MAX_STEPS) throw unsupported(at, `the schema is too large once references are inlined (over ${MAX_STEPS} nodes)`);
}

function unsupported(at: Path, problem: string): UnsupportedFeatureError {
  const pointer = `#${at.map((s) => `/${String(s).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}`;
  return new UnsupportedFeatureError('json_schema', `Cannot convert this JSON schema for Gemini at ${pointer}: ${problem}.`);
}

function allowsOnlyNull(schema: JsonObject): boolean {
  const type = typeNames(own(schema, 'type'));
  if (type) return type.every((t) => t === 'null');
  const values = enumValues(schema);
  return values !== undefined && values.length > 0 && values.every((v) => v === null);
}

function enumValues(schema: JsonObject): unknown[] | undefined {
  const list = own(schema, 'enum');
  const values = Array.isArray(list) ? list : undefined;
  if (!Object.hasOwn(schema, 'const')) return values;
  const constant = schema['const'];
  return values ? values.filter((v) => sameJson(v, constant)) : [constant];
}

/** Known JSON Schema type names, lower-cased (so an already-Gemini-style `STRING` passes too). */
function typeNames(value: unknown): JsonType[] | undefined {
  const list: unknown[] | undefined = typeof value === 'string' ? [value] : Array.isArray(value) ? value : undefined;
  if (!list) return undefined;
  const names = new Set<JsonType>();
  for (const item of list) {
    const name = typeof item === 'string' ? item.toLowerCase() : '';
    if ((JSON_TYPES as readonly string[]).includes(name)) names.add(name as JsonType);
  }
  return names.size > 0 ? [...names] : undefined;
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

/** Every integer is a number, so a union of both needs only NUMBER. */
function withoutSubsumedInteger<T extends JsonType>(types: T[]): T[] {
  return types.includes('number' as T) ? types.filter((t) => t !== 'integer') : types;
}

function jsonTypeOf(value: unknown): Exclude<JsonType, 'null'> {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return Array.isArray(value) ? 'array' : 'object';
}

/** Structural equality of JSON values, bounded so that a cyclic object cannot hang it. */
function sameJson(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (depth > MAX_DEPTH || typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i], depth + 1));
  }
  const left = Object.entries(a);
  const right = b as Record<string, unknown>;
  return left.length === Object.keys(right).length && left.every(([k, v]) => Object.hasOwn(right, k) && sameJson(v, right[k], depth + 1));
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Own properties only: a schema key must never come from a (possibly polluted) prototype. */
function own(schema: JsonObject, key: string): unknown {
  return Object.hasOwn(schema, key) ? schema[key] : undefined;
}

function without(schema: JsonObject, keys: readonly string[]): JsonObject {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => !keys.includes(key)));
}

function finite(value: unknown): number | undefined {
  // -0 becomes 0: JSON cannot carry the sign, so the result should not either.
  return typeof value === 'number' && Number.isFinite(value) ? value + 0 : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value + 0 : undefined;
}
