// Checks an answer against the JSON schema its request asked for (response_format json_schema), or that it is JSON at all (json_object).
import { Ajv, type ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { LRUCache } from 'lru-cache';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';

/** Why an answer failed: not JSON, or JSON that does not match, with what does not (paths and rules, not values). */
export type JsonSchemaFailure = { finding: 'invalid_json' | 'schema_mismatch'; problems: string[] };

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
// ajv-formats is CommonJS: under NodeNext its default import is `module.exports`, which carries the plugin as `.default` too.
formats.default(ajv);

/** Compiled validators by schema text: a route reuses its schema on every call, so compiling once matters. */
const compiled = new LRUCache<string, ValidateFunction>({ max: 256 });
/** And by schema object, to skip even the stringify when the caller reuses the object. */
const byObject = new WeakMap<object, ValidateFunction>();

/** What the request asked the answer to be: a schema to match, any JSON, or nothing to check. */
export function expectedJson(params: ChatCompletionCreateParams): { schema: object | undefined } | undefined {
  const format = params.response_format;
  if (format?.type === 'json_schema') return { schema: format.json_schema.schema };
  if (format?.type === 'json_object') return { schema: undefined };
  return undefined;
}

function validatorFor(schema: object): ValidateFunction {
  let validate = byObject.get(schema);
  if (validate) return validate;
  const key = JSON.stringify(schema);
  validate = compiled.get(key);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(key, validate);
  }
  byObject.set(schema, validate);
  return validate;
}

/** Checks `text`; `undefined` when it passes. A schema ajv cannot compile throws (the guardrail's `onError` decides). */
export function checkJson(text: string, expected: { schema: object | undefined }): JsonSchemaFailure | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { finding: 'invalid_json', problems: [`the reply is not valid JSON (${(error as Error).message})`] };
  }
  if (expected.schema === undefined) return undefined;
  const validate = validatorFor(expected.schema);
  if (validate(value)) return undefined;
  const problems = (validate.errors ?? []).slice(0, 20).map((error) => `${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`);
  return { finding: 'schema_mismatch', problems };
}
