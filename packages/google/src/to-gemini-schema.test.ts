import { UnsupportedFeatureError } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { convertToGeminiSchema, toGeminiSchema, type GeminiSchema } from './to-gemini-schema.js';

/** Freezes every nested object, so any write by the converter throws in strict mode. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

function convert(schema: Record<string, unknown>): GeminiSchema {
  return toGeminiSchema(deepFreeze(structuredClone(schema)));
}

function conversionError(schema: Record<string, unknown>): UnsupportedFeatureError {
  try {
    convert(schema);
  } catch (error) {
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    return error as UnsupportedFeatureError;
  }
  throw new Error('expected the conversion to fail');
}

const ALLOWED_KEYS = new Set([
  'type', 'format', 'title', 'description', 'nullable', 'enum', 'items', 'minItems', 'maxItems',
  'minimum', 'maximum', 'properties', 'required', 'anyOf',
]);
const FORMATS: Record<string, readonly string[]> = {
  STRING: ['enum', 'date-time'],
  NUMBER: ['float', 'double'],
  INTEGER: ['int32', 'int64'],
};

/** Every rule the Gemini API enforces that the converter promises, checked at every node. */
function assertGeminiValid(node: GeminiSchema, where = '#'): void {
  for (const key of Object.keys(node)) expect(ALLOWED_KEYS.has(key), `${where}: unexpected key ${key}`).toBe(true);
  if (node.anyOf !== undefined) {
    expect(node.type, `${where}: type beside anyOf`).toBeUndefined();
    for (const key of ['format', 'enum', 'items', 'properties', 'required', 'minItems', 'maxItems', 'minimum', 'maximum']) {
      expect(Object.hasOwn(node, key), `${where}: ${key} beside anyOf`).toBe(false);
    }
    expect(node.anyOf.length).toBeGreaterThan(1);
    node.anyOf.forEach((branch, i) => assertGeminiValid(branch, `${where}/anyOf/${i}`));
    return;
  }
  expect(['STRING', 'NUMBER', 'INTEGER', 'BOOLEAN', 'ARRAY', 'OBJECT'], `${where}: type`).toContain(node.type);
  if (node.format !== undefined) expect(FORMATS[node.type as string] ?? [], `${where}: format`).toContain(node.format);
  if (node.enum !== undefined) {
    expect(node.type).toBe('STRING');
    expect(node.format).toBe('enum');
    expect(node.enum.length).toBeGreaterThan(0);
    for (const value of node.enum) expect(typeof value).toBe('string');
  }
  if (node.type === 'ARRAY') {
    expect(node.items, `${where}: ARRAY without items`).toBeDefined();
    assertGeminiValid(node.items as GeminiSchema, `${where}/items`);
  } else {
    for (const key of ['items', 'minItems', 'maxItems']) expect(Object.hasOwn(node, key), `${where}: ${key} on ${node.type}`).toBe(false);
  }
  if (node.type !== 'NUMBER' && node.type !== 'INTEGER') {
    for (const key of ['minimum', 'maximum']) expect(Object.hasOwn(node, key), `${where}: ${key} on ${node.type}`).toBe(false);
  }
  if (node.type === 'OBJECT') {
    if (node.properties !== undefined) {
      const names = Object.keys(node.properties);
      expect(names.length, `${where}: empty properties`).toBeGreaterThan(0);
      for (const name of names) assertGeminiValid(node.properties[name] as GeminiSchema, `${where}/properties/${name}`);
      for (const name of node.required ?? []) expect(names).toContain(name);
    } else {
      expect(node.required).toBeUndefined();
    }
  } else {
    for (const key of ['properties', 'required']) expect(Object.hasOwn(node, key), `${where}: ${key} on ${node.type}`).toBe(false);
  }
}

describe('toGeminiSchema: one rule at a time', () => {
  const cases: { name: string; input: Record<string, unknown>; output: GeminiSchema }[] = [
    { name: 'maps each primitive type to its upper-case name', input: { type: 'boolean' }, output: { type: 'BOOLEAN' } },
    { name: 'keeps description and title', input: { type: 'string', title: 'City', description: 'Where' }, output: { type: 'STRING', title: 'City', description: 'Where' } },
    {
      name: 'drops keywords Gemini rejects',
      input: {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'urn:x',
        $comment: 'internal',
        type: 'object',
        properties: {
          name: { type: 'string', pattern: '^a', minLength: 1, maxLength: 9, default: 'a', examples: ['a'], deprecated: true, readOnly: true },
          n: { type: 'integer', multipleOf: 2, not: { const: 3 } },
        },
        additionalProperties: false,
        patternProperties: { '^x': { type: 'string' } },
        unevaluatedProperties: false,
        propertyNames: { pattern: '^[a-z]+$' },
        minProperties: 1,
        maxProperties: 4,
        dependencies: { name: ['n'] },
        dependentRequired: { name: ['n'] },
        if: { required: ['name'] },
        then: { required: ['n'] },
        else: { required: [] },
      },
      output: { type: 'OBJECT', properties: { name: { type: 'STRING' }, n: { type: 'INTEGER' } } },
    },
    { name: 'type [T, null] becomes nullable T', input: { type: ['string', 'null'] }, output: { type: 'STRING', nullable: true } },
    { name: 'type [null, T] in either order', input: { type: ['null', 'integer'] }, output: { type: 'INTEGER', nullable: true } },
    { name: 'OpenAPI-style nullable passes through', input: { type: 'number', nullable: true }, output: { type: 'NUMBER', nullable: true } },
    {
      name: 'anyOf [X, null] becomes nullable X, keeping the outer description',
      input: { anyOf: [{ type: 'string', description: 'inner' }, { type: 'null' }], description: 'outer', default: null },
      output: { type: 'STRING', description: 'outer', nullable: true },
    },
    {
      name: 'oneOf [null, X] becomes nullable X',
      input: { oneOf: [{ type: 'null' }, { type: 'array', items: { type: 'string' } }] },
      output: { type: 'ARRAY', items: { type: 'STRING' }, nullable: true },
    },
    {
      name: 'several non-null types become anyOf, each with its own keywords',
      input: { type: ['string', 'array', 'null'], items: { type: 'integer' }, format: 'date-time', description: 'd' },
      output: {
        anyOf: [{ type: 'STRING', format: 'date-time' }, { type: 'ARRAY', items: { type: 'INTEGER' } }],
        description: 'd',
        nullable: true,
      },
    },
    { name: 'number and integer together need only NUMBER', input: { type: ['integer', 'number'] }, output: { type: 'NUMBER' } },
    {
      name: 'anyOf converts every branch',
      input: { anyOf: [{ type: 'string', const: 'auto' }, { type: 'object', properties: { x: { type: ['number', 'null'] } }, additionalProperties: false }] },
      output: {
        anyOf: [
          { type: 'STRING', format: 'enum', enum: ['auto'] },
          { type: 'OBJECT', properties: { x: { type: 'NUMBER', nullable: true } } },
        ],
      },
    },
    {
      name: 'oneOf becomes anyOf',
      input: { oneOf: [{ type: 'string' }, { type: 'integer' }] },
      output: { anyOf: [{ type: 'STRING' }, { type: 'INTEGER' }] },
    },
    {
      name: 'constraints beside anyOf apply to every branch',
      input: {
        type: 'object',
        properties: { a: { type: 'string' }, b: { type: 'string' } },
        anyOf: [{ required: ['a'] }, { required: ['b'] }],
      },
      output: {
        anyOf: [
          { type: 'OBJECT', properties: { a: { type: 'STRING' }, b: { type: 'STRING' } }, required: ['a'] },
          { type: 'OBJECT', properties: { a: { type: 'STRING' }, b: { type: 'STRING' } }, required: ['b'] },
        ],
      },
    },
    {
      name: 'anyOf drops branches that contradict the outer type',
      input: { type: 'string', anyOf: [{ type: 'string', format: 'date-time' }, { type: 'number' }] },
      output: { type: 'STRING', format: 'date-time' },
    },
    {
      name: 'allOf merges object properties and required',
      input: {
        description: 'person',
        allOf: [
          { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
          { type: 'object', properties: { age: { type: 'integer', minimum: 0 } }, required: ['age'], additionalProperties: false },
        ],
      },
      output: {
        type: 'OBJECT',
        description: 'person',
        properties: { name: { type: 'STRING' }, age: { type: 'INTEGER', minimum: 0 } },
        required: ['name', 'age'],
      },
    },
    {
      name: 'allOf intersects a property defined by several members',
      input: {
        allOf: [
          { type: 'object', properties: { n: { type: ['number', 'string'], maximum: 10 } } },
          { properties: { n: { type: 'integer', maximum: 5, minimum: 1 } } },
        ],
      },
      output: { type: 'OBJECT', properties: { n: { type: 'INTEGER', minimum: 1, maximum: 5 } } },
    },
    {
      name: 'const string becomes a one-value enum',
      input: { const: 'fixed' },
      output: { type: 'STRING', format: 'enum', enum: ['fixed'] },
    },
    { name: 'const number keeps its type and loses the value', input: { const: 3 }, output: { type: 'INTEGER' } },
    { name: 'const true keeps its type', input: { const: true }, output: { type: 'BOOLEAN' } },
    {
      name: 'enum of non-strings on a string type becomes strings',
      input: { type: 'string', enum: ['a', 1, true, null, 'a'] },
      output: { type: 'STRING', format: 'enum', enum: ['a', '1', 'true'] },
    },
    { name: 'enum on a non-string type is dropped, the type kept', input: { type: 'integer', enum: [1, 2, 3] }, output: { type: 'INTEGER' } },
    {
      name: 'enum without a type: one branch per value type, null as nullable',
      input: { enum: ['a', 'b', 2, null] },
      output: { anyOf: [{ type: 'STRING', format: 'enum', enum: ['a', 'b'] }, { type: 'INTEGER' }], nullable: true },
    },
    {
      name: 'enum with a nullable string type',
      input: { type: ['string', 'null'], enum: ['x', null] },
      output: { type: 'STRING', format: 'enum', enum: ['x'], nullable: true },
    },
    { name: 'object without properties stays a bare OBJECT', input: { type: 'object' }, output: { type: 'OBJECT' } },
    {
      name: 'empty properties and required are omitted',
      input: { type: 'object', properties: {}, required: [], additionalProperties: { type: 'string' } },
      output: { type: 'OBJECT' },
    },
    {
      name: 'required keeps only declared properties, once',
      input: { type: 'object', properties: { a: { type: 'string' } }, required: ['a', 'ghost', 'a', 7] },
      output: { type: 'OBJECT', properties: { a: { type: 'STRING' } }, required: ['a'] },
    },
    {
      name: 'a property whose schema is false can never be present',
      input: { type: 'object', properties: { a: { type: 'string' }, b: false }, required: ['a', 'b'] },
      output: { type: 'OBJECT', properties: { a: { type: 'STRING' } }, required: ['a'] },
    },
    { name: 'date-time format kept on strings', input: { type: 'string', format: 'date-time' }, output: { type: 'STRING', format: 'date-time' } },
    { name: 'other string formats dropped', input: { type: 'string', format: 'email' }, output: { type: 'STRING' } },
    { name: 'int64 kept on integers', input: { type: 'integer', format: 'int64' }, output: { type: 'INTEGER', format: 'int64' } },
    { name: 'a number format on an integer is dropped', input: { type: 'integer', format: 'double' }, output: { type: 'INTEGER' } },
    { name: 'double kept on numbers', input: { type: 'number', format: 'double' }, output: { type: 'NUMBER', format: 'double' } },
    {
      name: 'exclusive bounds become inclusive ones',
      input: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
      output: { type: 'NUMBER', minimum: 0, maximum: 1 },
    },
    {
      name: 'array bounds kept, bad ones dropped',
      input: { type: 'array', items: { type: 'string' }, minItems: 1, maxItems: -2, uniqueItems: true },
      output: { type: 'ARRAY', items: { type: 'STRING' }, minItems: 1 },
    },
    { name: 'array without items gets string items', input: { type: 'array' }, output: { type: 'ARRAY', items: { type: 'STRING' } } },
    {
      name: 'tuples become an anyOf of the member types',
      input: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false, minItems: 2 },
      output: { type: 'ARRAY', items: { anyOf: [{ type: 'STRING' }, { type: 'NUMBER' }] }, minItems: 2 },
    },
    { name: 'a schema that accepts anything is sent as a string', input: { description: 'any value' }, output: { type: 'STRING', description: 'any value' } },
    {
      name: 'a missing type is inferred from the keywords',
      input: { properties: { tags: { items: { minimum: 1 } } } },
      output: { type: 'OBJECT', properties: { tags: { type: 'ARRAY', items: { type: 'NUMBER', minimum: 1 } } } },
    },
    { name: 'Gemini-style upper-case types pass through', input: { type: 'STRING' }, output: { type: 'STRING' } },
    {
      name: 'property names that look like keywords are kept',
      input: { type: 'object', properties: { additionalProperties: { type: 'string' }, $ref: { type: 'number' }, __proto__x: { type: 'boolean' } } },
      output: { type: 'OBJECT', properties: { additionalProperties: { type: 'STRING' }, $ref: { type: 'NUMBER' }, __proto__x: { type: 'BOOLEAN' } } },
    },
  ];

  it.each(cases)('$name', ({ input, output }) => {
    const result = convert(input);
    expect(result).toEqual(output);
    assertGeminiValid(result);
  });
});

describe('toGeminiSchema: nesting and references', () => {
  it('converts nested objects and arrays all the way down', () => {
    const result = convert({
      type: 'object',
      properties: {
        orders: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              id: { type: 'string', format: 'uuid' },
              lines: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { sku: { type: 'string' }, qty: { type: 'integer', minimum: 1 } },
                  required: ['sku', 'qty'],
                  additionalProperties: false,
                },
              },
              placedAt: { type: ['string', 'null'], format: 'date-time' },
            },
            required: ['id', 'lines'],
            additionalProperties: false,
          },
        },
      },
      required: ['orders'],
      additionalProperties: false,
    });
    expect(result).toEqual({
      type: 'OBJECT',
      properties: {
        orders: {
          type: 'ARRAY',
          items: {
            type: 'OBJECT',
            properties: {
              id: { type: 'STRING' },
              lines: {
                type: 'ARRAY',
                items: {
                  type: 'OBJECT',
                  properties: { sku: { type: 'STRING' }, qty: { type: 'INTEGER', minimum: 1 } },
                  required: ['sku', 'qty'],
                },
              },
              placedAt: { type: 'STRING', format: 'date-time', nullable: true },
            },
            required: ['id', 'lines'],
          },
        },
      },
      required: ['orders'],
    });
  });

  it('inlines $defs and definitions, each use getting its own copy', () => {
    const result = convert({
      type: 'object',
      properties: {
        billing: { $ref: '#/$defs/Address' },
        shipping: { $ref: '#/$defs/Address', description: 'where it goes' },
        unit: { $ref: '#/definitions/Unit' },
      },
      $defs: { Address: { type: 'object', description: 'an address', properties: { city: { type: 'string' } }, required: ['city'] } },
      definitions: { Unit: { enum: ['kg', 'lb'] } },
    });
    const address = { type: 'OBJECT', properties: { city: { type: 'STRING' } }, required: ['city'] };
    expect(result).toEqual({
      type: 'OBJECT',
      properties: {
        billing: { ...address, description: 'an address' },
        shipping: { ...address, description: 'where it goes' },
        unit: { type: 'STRING', format: 'enum', enum: ['kg', 'lb'] },
      },
    });
    expect(result.properties?.['billing']).not.toBe(result.properties?.['shipping']);
    expect(result.properties?.['billing']?.properties).not.toBe(result.properties?.['shipping']?.properties);
  });

  it('follows chains of references and escaped pointers', () => {
    const result = convert({
      $ref: '#/$defs/a~1b',
      $defs: { 'a/b': { $ref: '#/$defs/c%20d' }, 'c d': { allOf: [{ $ref: '#/$defs/e' }], description: 'c' }, e: { type: 'integer' } },
    });
    expect(result).toEqual({ type: 'INTEGER', description: 'c' });
  });

  it('inlines an allOf with a single $ref (the pydantic pattern)', () => {
    const result = convert({
      type: 'object',
      properties: { status: { allOf: [{ $ref: '#/$defs/Status' }], description: 'current status' } },
      $defs: { Status: { type: 'string', enum: ['open', 'closed'], title: 'Status' } },
    });
    expect(result).toEqual({
      type: 'OBJECT',
      properties: { status: { type: 'STRING', format: 'enum', enum: ['open', 'closed'], title: 'Status', description: 'current status' } },
    });
  });

  it('refuses a directly recursive $ref, naming it and where it was met', () => {
    const error = conversionError({
      type: 'object',
      properties: { root: { $ref: '#/$defs/Node' } },
      $defs: { Node: { type: 'object', properties: { value: { type: 'string' }, children: { type: 'array', items: { $ref: '#/$defs/Node' } } } } },
    });
    expect(error.feature).toBe('json_schema');
    expect(error.message).toContain('"#/$defs/Node"');
    expect(error.message).toContain('#/properties/root');
    expect(error.message).toMatch(/recursive/);
  });

  it('refuses indirect recursion and references to the root', () => {
    const indirect = conversionError({
      $ref: '#/definitions/A',
      definitions: { A: { properties: { b: { $ref: '#/definitions/B' } } }, B: { anyOf: [{ $ref: '#/definitions/A' }, { type: 'null' }] } },
    });
    expect(indirect.message).toMatch(/recursive/);
    const root = conversionError({ type: 'object', properties: { self: { $ref: '#' } } });
    expect(root.message).toContain('"#"');
    expect(root.message).toContain('#/properties/self');
  });

  it('does not mistake a reference used twice for recursion', () => {
    const result = convert({
      allOf: [{ $ref: '#/$defs/Base' }, { properties: { extra: { $ref: '#/$defs/Base' } } }],
      $defs: { Base: { type: 'object', properties: { id: { type: 'string' } } } },
    });
    expect(result).toEqual({
      type: 'OBJECT',
      properties: { id: { type: 'STRING' }, extra: { type: 'OBJECT', properties: { id: { type: 'STRING' } } } },
    });
  });

  it('refuses references it cannot inline', () => {
    expect(conversionError({ $ref: 'https://example.com/schema.json' }).message).toMatch(/not a JSON pointer/);
    expect(conversionError({ $ref: '#/$defs/missing', $defs: {} }).message).toMatch(/points at nothing/);
    expect(conversionError({ $ref: 42 }).message).toMatch(/must be a string/);
  });

  it('refuses what has no Gemini equivalent', () => {
    expect(conversionError({ allOf: [{ type: 'string' }, { type: 'number' }] }).message).toMatch(/no value can satisfy/);
    expect(conversionError({ type: 'object', properties: { a: { type: 'null' } } }).message).toMatch(/#\/properties\/a: a schema that only allows null/);
    expect(conversionError({ anyOf: [{ type: 'null' }] }).message).toMatch(/only allows null/);
    expect(conversionError({ anyOf: [{ type: 'string' }], oneOf: [{ type: 'string' }] }).message).toMatch(/both anyOf and oneOf/);
    expect(conversionError({ allOf: [{ anyOf: [{ type: 'string' }] }, { oneOf: [{ type: 'string' }] }] }).message).toMatch(/several anyOf/);
  });

  it('fails fast on absurd depth and on exponential reference fan-out', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 200; i++) deep = { type: 'array', items: deep };
    expect(conversionError(deep).message).toMatch(/levels deep/);

    // Each definition uses the next one twice: 2^30 nodes if inlined naively.
    const defs: Record<string, unknown> = { d30: { type: 'string' } };
    for (let i = 0; i < 30; i++) defs[`d${i}`] = { type: 'object', properties: { l: { $ref: `#/$defs/d${i + 1}` }, r: { $ref: `#/$defs/d${i + 1}` } } };
    const started = performance.now();
    expect(conversionError({ $ref: '#/$defs/d0', $defs: defs }).message).toMatch(/too large/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('terminates on a cyclic object graph', () => {
    const node: Record<string, unknown> = { type: 'object' };
    node['properties'] = { self: node };
    expect(() => toGeminiSchema(node)).toThrow(UnsupportedFeatureError);
  });

  it('never mutates its input and shares no objects with it', () => {
    const input = {
      type: 'object',
      properties: { tags: { type: 'array', items: { type: 'string', enum: ['a'] } } },
      required: ['tags'],
      $defs: { unused: { type: 'string' } },
    };
    const before = structuredClone(input);
    const result = toGeminiSchema(input);
    expect(input).toEqual(before);
    const tags = result.properties?.['tags'];
    expect(tags?.items?.enum).not.toBe(input.properties.tags.items.enum);
    expect(result.required).not.toBe(input.required);
  });
});

describe('convertToGeminiSchema: dropped keywords', () => {
  const droppedFrom = (schema: Record<string, unknown>) => convertToGeminiSchema(deepFreeze(structuredClone(schema))).dropped;

  it('names each keyword the output leaves out, once, wherever it was met', () => {
    const dropped = droppedFrom({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $defs: { code: { type: 'string', pattern: '^[A-Z]+$', minLength: 2 } },
      type: 'object',
      additionalProperties: false,
      properties: {
        code: { $ref: '#/$defs/code' },
        count: { type: 'integer', minimum: 0, exclusiveMinimum: 5, multipleOf: 2 },
        level: { type: 'integer', enum: [1, 2, 3] },
        email: { type: 'string', format: 'email', default: 'a@b.c' },
        tags: { type: 'array', items: { type: 'string', maxLength: 8 }, uniqueItems: true },
      },
    });
    expect(dropped).toEqual({
      named: ['additionalProperties', 'default', 'enum', 'exclusiveMinimum', 'format', 'maxLength', 'minLength', 'multipleOf', 'pattern', 'uniqueItems'],
      unrecognised: 0,
    });
  });

  it('reports nothing for a schema Gemini takes whole, references and definitions included', () => {
    const dropped = droppedFrom({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'urn:example:order',
      $defs: { city: { type: 'string', description: 'City name' } },
      type: 'object',
      title: 'Order',
      properties: {
        city: { $ref: '#/$defs/city' },
        size: { type: 'string', enum: ['s', 'm', 'l'] },
        kind: { const: 'order' },
        qty: { type: 'integer', format: 'int32', minimum: 1, exclusiveMaximum: 100 },
        when: { type: ['string', 'null'], format: 'date-time' },
        lines: { type: 'array', items: { allOf: [{ type: 'object', properties: { sku: { type: 'string' } } }, { required: ['sku'] }] }, minItems: 1 },
        note: { oneOf: [{ type: 'string' }, { type: 'number', minimum: 0 }] },
      },
      required: ['city', 'size'],
    });
    expect(dropped).toEqual({ named: [], unrecognised: 0 });
  });

  it('does not count a keyword that cannot constrain the type it is on', () => {
    // `minimum` says nothing about strings; spread over the union it reaches the number branch.
    expect(droppedFrom({ anyOf: [{ type: 'string' }, { type: 'number' }], minimum: 0 })).toEqual({ named: [], unrecognised: 0 });
    expect(droppedFrom({ type: ['string', 'integer'], maximum: 9 })).toEqual({ named: [], unrecognised: 0 });
  });

  it('reports a keyword lost on one branch of a multi-type node though another type ignores it', () => {
    expect(droppedFrom({ type: ['string', 'integer'], maxLength: 3, maximum: 9 }).named).toEqual(['maxLength']);
    expect(droppedFrom({ type: ['string', 'integer'], enum: ['a', 1] }).named).toEqual(['enum']);
  });

  it('reports keywords beside a union that reach none of its branches', () => {
    expect(droppedFrom({ anyOf: [{ type: 'string' }, { type: 'number' }], default: 1, pattern: '^a' }).named).toEqual(['default', 'pattern']);
  });

  it('reports an enum that only a string branch keeps', () => {
    expect(droppedFrom({ enum: ['a', 1] }).named).toEqual(['enum']);
    expect(droppedFrom({ type: 'boolean', const: true }).named).toEqual(['const']);
  });

  it('counts keys that are no JSON Schema keyword without naming them', () => {
    expect(droppedFrom({ type: 'object', 'x-order': 1, constructor: 2, properties: { a: { type: 'string', secretish: true } } })).toEqual({
      named: [],
      unrecognised: 3,
    });
  });

  it('converts exactly as toGeminiSchema does', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { a: { type: 'string', pattern: 'x' } } };
    expect(convertToGeminiSchema(schema).schema).toEqual(toGeminiSchema(schema));
  });
});

describe('toGeminiSchema: fuzzed schemas', () => {
  const propertyName = fc.constantFrom('a', 'b', 'type', 'items', 'additionalProperties', '__proto__', '$ref', 'default');
  const typeName = fc.constantFrom('string', 'number', 'integer', 'boolean', 'array', 'object', 'null', 'STRING', 'bogus');
  const typeField = fc.oneof(
    { arbitrary: fc.constantFrom('string', 'number', 'integer', 'boolean', 'array', 'object'), weight: 6 },
    { arbitrary: fc.array(typeName, { maxLength: 3 }), weight: 2 },
    { arbitrary: typeName, weight: 1 },
  );
  /** Present about one time in `1 + rarity`. */
  const sometimes = <T,>(arbitrary: fc.Arbitrary<T>, rarity = 3) =>
    fc.oneof({ arbitrary: fc.constant(undefined), weight: rarity }, { arbitrary, weight: 1 });
  // Mostly references that resolve (possibly recursively), sometimes ones that cannot.
  const ref = fc.oneof(
    { arbitrary: fc.constantFrom('#/$defs/a', '#/$defs/b', '#/definitions/c'), weight: 8 },
    { arbitrary: fc.constantFrom('#', '#/$defs/missing', 'other.json#/x', '#anchor', '#/$defs/a/properties/a'), weight: 1 },
  );
  const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.jsonValue({ maxDepth: 1 }));
  // Keywords Gemini rejects, with values that do not recurse, mixed into every node.
  const noise = fc.record(
    {
      additionalProperties: fc.oneof(fc.boolean(), fc.constant({ type: 'string', additionalProperties: false })),
      patternProperties: fc.constant({ '^x': { type: 'string' } }),
      unevaluatedProperties: fc.boolean(),
      dependencies: fc.constant({ a: ['b'] }),
      not: fc.constant({ type: 'null' }),
      if: fc.constant({ required: ['a'] }),
      then: fc.constant({ required: ['b'] }),
      else: fc.constant({}),
      $schema: fc.constant('https://json-schema.org/draft/2020-12/schema'),
      $id: fc.constant('urn:example'),
      $comment: fc.string({ maxLength: 4 }),
      default: value,
      examples: fc.array(value, { maxLength: 2 }),
      pattern: fc.string({ maxLength: 4 }),
      minLength: fc.nat(),
      multipleOf: fc.double(),
      description: fc.oneof(fc.string({ maxLength: 8 }), fc.integer()),
      title: fc.string({ maxLength: 8 }),
      nullable: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const withNoise = (shape: fc.Arbitrary<Record<string, unknown>>) => fc.tuple(noise, shape).map(([extra, node]) => ({ ...extra, ...node }));

  const { schema } = fc.letrec((tie) => ({
    schema: fc.oneof(
      { depthSize: 'small', maxDepth: 5, withCrossShrink: true },
      withNoise(
        fc.record(
          {
            type: typeField,
            enum: fc.array(value, { maxLength: 4 }),
            const: value,
            format: fc.constantFrom('date-time', 'email', 'int32', 'int64', 'float', 'double', 'enum', 'uuid'),
            minimum: fc.oneof(fc.double(), fc.string()),
            exclusiveMaximum: fc.oneof(fc.double(), fc.boolean()),
          },
          { requiredKeys: [] },
        ),
      ),
      withNoise(
        fc.record(
          {
            type: fc.oneof(fc.constant('object'), typeField),
            properties: fc.dictionary(propertyName, tie('schema'), { maxKeys: 3 }),
            required: fc.array(fc.oneof(propertyName, fc.integer()), { maxLength: 3 }),
          },
          { requiredKeys: ['properties'] },
        ),
      ),
      withNoise(
        fc.record(
          {
            type: fc.oneof(fc.constant('array'), typeField),
            items: fc.oneof(tie('schema'), fc.array(tie('schema'), { maxLength: 2 })),
            prefixItems: fc.array(tie('schema'), { maxLength: 2 }),
            minItems: fc.oneof(fc.integer(), fc.double()),
            maxItems: fc.integer(),
          },
          { requiredKeys: [] },
        ),
      ),
      withNoise(fc.record({ type: typeField, anyOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) }, { requiredKeys: ['anyOf'] })),
      withNoise(fc.record({ oneOf: fc.array(tie('schema'), { minLength: 1, maxLength: 3 }) })),
      withNoise(fc.record({ allOf: fc.array(tie('schema'), { maxLength: 2 }) })),
      withNoise(fc.record({ $ref: ref })),
      fc.boolean(),
      value,
    ),
  }));

  const root = fc
    .record({
      type: fc.oneof({ arbitrary: fc.constant('object'), weight: 4 }, { arbitrary: typeName, weight: 1 }),
      properties: fc.dictionary(propertyName, schema, { maxKeys: 4 }),
      required: fc.array(propertyName, { maxLength: 3 }),
      anyOf: sometimes(fc.array(schema, { minLength: 1, maxLength: 3 })),
      allOf: sometimes(fc.array(schema, { maxLength: 2 })),
      $ref: sometimes(ref, 6),
      $defs: fc.record({ a: schema, b: schema }),
      definitions: fc.record({ c: schema }),
      additionalProperties: fc.boolean(),
    })
    .map((node) => Object.fromEntries(Object.entries(node).filter(([, v]) => v !== undefined)));

  it('either converts to a valid Gemini schema or throws UnsupportedFeatureError, and never mutates the input', () => {
    fc.assert(
      fc.property(root, (input) => {
        const before = structuredClone(input);
        let result: GeminiSchema;
        try {
          result = toGeminiSchema(deepFreeze(input));
        } catch (error) {
          expect(error).toBeInstanceOf(UnsupportedFeatureError);
          expect(input).toEqual(before);
          return;
        }
        expect(input).toEqual(before);
        assertGeminiValid(result);
        // Plain JSON all the way down: it survives a round trip unchanged.
        expect(JSON.parse(JSON.stringify(result))).toEqual(result);
      }),
      { numRuns: 1_000 },
    );
  });
});
