import type { JsonType } from './json-schema-node.js';

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

/** Each non-null JSON Schema type as Gemini spells it. */
export const GEMINI_TYPES: Readonly<Record<Exclude<JsonType, 'null'>, GeminiSchemaType>> = {
  string: 'STRING',
  number: 'NUMBER',
  integer: 'INTEGER',
  boolean: 'BOOLEAN',
  array: 'ARRAY',
  object: 'OBJECT',
};
