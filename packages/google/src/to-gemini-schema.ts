import { keepInapplicable, noteDropped, summariseDropped, type DroppedKeywords } from './dropped-keywords.js';
import { GEMINI_TYPES, type GeminiSchema, type GeminiSchemaFormat } from './gemini-schema.js';
import { merge } from './json-schema-merge.js';
import { enumValues, isObject, isPrimitive, jsonTypeOf, own, typeNames, without, type JsonObject, type JsonType } from './json-schema-node.js';
import { resolveRef } from './json-schema-refs.js';
import { spend, unsupported, type Context, type Path } from './to-gemini-schema-context.js';

export type { GeminiSchema, GeminiSchemaFormat, GeminiSchemaType } from './gemini-schema.js';
export type { DroppedKeywords } from './dropped-keywords.js';

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
 * `convertToGeminiSchema` says which of these keywords it met, so that the adapter can warn.
 */

/** Keywords that change the converted result; anything else beside a union is dropped. */
const CONVERTED_KEYWORDS = [
  'type', 'enum', 'const', 'format', 'nullable', 'items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'properties', 'required', 'anyOf', 'oneOf', 'allOf', '$ref',
];

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
  return convertToGeminiSchema(jsonSchema).schema;
}

export interface GeminiSchemaConversion {
  readonly schema: GeminiSchema;
  /** The keywords of the "Dropped" list above (and implicit drops, e.g. an enum on a number) met in the input. */
  readonly dropped: DroppedKeywords;
}

/** `toGeminiSchema`, also telling which keywords were left out, so the caller can warn that the schema got looser. */
export function convertToGeminiSchema(jsonSchema: Record<string, unknown>): GeminiSchemaConversion {
  const ctx: Context = { root: jsonSchema, steps: 0, recursive: new Map(), dropped: new Set() };
  const schema = convert(jsonSchema, ctx, [], 0);
  return { schema, dropped: summariseDropped(ctx.dropped) };
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
  // Unconstrained, the keywords beside the union reach no branch.
  if (!constrained) noteDropped(ctx, rest, NOTHING);
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

  const nodes = build.map(({ type, strings }) => {
    // Per branch: a keyword one type carries over may still be lost on another (an enum on a number).
    const kept = new Set(ANNOTATIONS);
    const node = buildNode(schema, type, strings, ctx, at, depth, kept);
    noteDropped(ctx, schema, kept);
    return node;
  });
  return annotate(nodes.length === 1 ? (nodes[0] as GeminiSchema) : { anyOf: nodes }, schema, nullable);
}

/**
 * One typed node. Adds to `kept` the keywords it carried over (in kind: an exclusive bound
 * made inclusive counts) or that cannot constrain its type, so that the others can be
 * reported as dropped. Gemini enums are strings only, so only a STRING node keeps an enum.
 */
function buildNode(
  schema: JsonObject,
  type: Exclude<JsonType, 'null'>,
  strings: string[] | undefined,
  ctx: Context,
  at: Path,
  depth: number,
  kept: Set<string>,
): GeminiSchema {
  const out: GeminiSchema = { type: GEMINI_TYPES[type] };
  const format = own(schema, 'format');
  switch (type) {
    case 'string': {
      const values = strings === undefined ? [] : [...new Set(strings)];
      if (values.length > 0) {
        out.format = 'enum';
        out.enum = values;
        kept.add('enum').add('const');
      } else if (format === 'date-time') {
        out.format = 'date-time';
      }
      break;
    }
    case 'number':
    case 'integer': {
      const allowed: readonly GeminiSchemaFormat[] = type === 'number' ? ['float', 'double'] : ['int32', 'int64'];
      const keptFormat = allowed.find((f) => f === format);
      if (keptFormat !== undefined) out.format = keptFormat;
      // The exclusive bound is one point wider once made inclusive; Gemini has no exclusive form.
      const minimum = bound(schema, 'minimum', 'exclusiveMinimum', kept);
      const maximum = bound(schema, 'maximum', 'exclusiveMaximum', kept);
      if (minimum !== undefined) out.minimum = minimum;
      if (maximum !== undefined) out.maximum = maximum;
      break;
    }
    case 'array':
      buildArray(schema, out, ctx, at, depth);
      kept.add('items').add('prefixItems').add('additionalItems').add('minItems').add('maxItems');
      break;
    case 'object':
      buildObject(schema, out, ctx, at, depth);
      kept.add('properties').add('required');
      break;
    case 'boolean':
      break;
  }
  keepInapplicable(schema, type, kept);
  if (format !== undefined && out.format === format) kept.add('format');
  return out;
}

/** The inclusive bound, or failing it the exclusive one, marking the keyword used as kept. */
function bound(schema: JsonObject, inclusive: string, exclusive: string, kept: Set<string>): number | undefined {
  for (const key of [inclusive, exclusive]) {
    const value = finite(own(schema, key));
    if (value !== undefined) {
      kept.add(key);
      return value;
    }
  }
  return undefined;
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

function allowsOnlyNull(schema: JsonObject): boolean {
  const type = typeNames(own(schema, 'type'));
  if (type) return type.every((t) => t === 'null');
  const values = enumValues(schema);
  return values !== undefined && values.length > 0 && values.every((v) => v === null);
}

/** Every integer is a number, so a union of both needs only NUMBER. */
function withoutSubsumedInteger<T extends JsonType>(types: T[]): T[] {
  return types.includes('number' as T) ? types.filter((t) => t !== 'integer') : types;
}

/** What a typed node carries over whatever its type. */
const ANNOTATIONS = ['type', 'nullable', 'title', 'description'];
const NOTHING: ReadonlySet<string> = new Set();

function finite(value: unknown): number | undefined {
  // -0 becomes 0: JSON cannot carry the sign, so the result should not either.
  return typeof value === 'number' && Number.isFinite(value) ? value + 0 : undefined;
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value + 0 : undefined;
}
