import type { JsonObject, JsonType } from './json-schema-node.js';
import type { Context } from './to-gemini-schema-context.js';

/**
 * Keywords that identify or hold parts of the document rather than constrain a value:
 * leaving them out (definitions are inlined where referenced) loses nothing.
 */
const INERT = new Set(['$schema', '$id', '$anchor', '$dynamicAnchor', '$recursiveAnchor', '$vocabulary', '$comment', '$defs', 'definitions']);

/**
 * Keywords of JSON Schema (draft 4 to 2020-12), of OpenAPI and of Gemini itself: these are
 * reported by name. Any other key is only counted, since its name is arbitrary text.
 */
const KNOWN = new Set([
  '$ref', '$dynamicRef', '$recursiveRef',
  'allOf', 'anyOf', 'oneOf', 'not', 'if', 'then', 'else', 'dependentSchemas', 'dependencies',
  'prefixItems', 'items', 'additionalItems', 'contains', 'minContains', 'maxContains', 'uniqueItems', 'minItems', 'maxItems', 'unevaluatedItems',
  'properties', 'patternProperties', 'additionalProperties', 'propertyNames', 'unevaluatedProperties', 'minProperties', 'maxProperties', 'required', 'dependentRequired',
  'type', 'enum', 'const', 'format', 'multipleOf', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'pattern',
  'contentEncoding', 'contentMediaType', 'contentSchema',
  'title', 'description', 'default', 'deprecated', 'readOnly', 'writeOnly', 'examples',
  'nullable', 'discriminator', 'example', 'xml', 'externalDocs', 'propertyOrdering',
]);

/** Keywords that constrain values of one kind only: on a node of another type they say nothing, so leaving them out loses nothing. */
const KIND_KEYWORDS = {
  string: ['pattern', 'minLength', 'maxLength', 'contentEncoding', 'contentMediaType', 'contentSchema'],
  number: ['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf'],
  array: ['items', 'prefixItems', 'additionalItems', 'minItems', 'maxItems', 'uniqueItems', 'contains', 'minContains', 'maxContains', 'unevaluatedItems'],
  object: [
    'properties', 'required', 'additionalProperties', 'patternProperties', 'propertyNames', 'minProperties', 'maxProperties',
    'dependentRequired', 'dependentSchemas', 'dependencies', 'unevaluatedProperties',
  ],
};
const ONLY_FOR = new Map(Object.entries(KIND_KEYWORDS).flatMap(([kind, keys]) => keys.map((key) => [key, kind] as const)));

/** Marks as kept the keywords of `schema` that cannot constrain a value of `type`. */
export function keepInapplicable(schema: JsonObject, type: Exclude<JsonType, 'null'>, kept: Set<string>): void {
  const kind = type === 'integer' ? 'number' : type;
  for (const key of Object.keys(schema)) {
    const only = ONLY_FOR.get(key);
    if (only !== undefined && only !== kind) kept.add(key);
  }
}

/** What a conversion left out: known keywords by name (sorted), and how many other keys. */
export interface DroppedKeywords {
  readonly named: readonly string[];
  readonly unrecognised: number;
}

/** Records each keyword of `schema` that the node built from it does not carry over (`kept`). */
export function noteDropped(ctx: Context, schema: JsonObject, kept: ReadonlySet<string>): void {
  for (const key of Object.keys(schema)) if (!kept.has(key) && !INERT.has(key)) ctx.dropped.add(key);
}

export function summariseDropped(dropped: ReadonlySet<string>): DroppedKeywords {
  const named = [...dropped].filter((key) => KNOWN.has(key)).sort();
  return { named, unrecognised: dropped.size - named.length };
}
