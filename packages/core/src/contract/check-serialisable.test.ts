import { afterEach, describe, expect, it } from 'vitest';
import { MAX_NESTING_DEPTH, findUnserialisable } from './check-serialisable.js';

/** An object `levels` levels deep counting itself: `{ a: { a: ... {} } }`. */
function nested(levels: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 1; i < levels; i++) value = { a: value };
  return value;
}

describe('findUnserialisable', () => {
  it('passes what JSON.stringify sends or drops silently', () => {
    const shared = { type: 'string' };
    const value = {
      model: 'm',
      messages: [{ role: 'user', content: 'hi', extra: [1, null, true, 'x'] }],
      tools: [{ type: 'function', function: { name: 't', parameters: { properties: { a: shared, b: shared } } } }],
      callback: () => 1,
      symbol: Symbol('s'),
      missing: undefined,
      when: new Date(0),
      [Symbol('key')]: 1n,
    };
    expect(() => JSON.stringify(value)).not.toThrow();
    expect(findUnserialisable(value)).toBeUndefined();
  });

  it('names the path of a BigInt, not its value', () => {
    const issue = findUnserialisable({ model: 'm', tools: [{ function: { parameters: { properties: { x: { default: 12345678901234567890n } } } } }] });
    expect(issue).toEqual({ path: 'tools.0.function.parameters.properties.x.default', message: expect.stringMatching(/BigInt/) });
    expect(issue?.message).not.toContain('12345678901234567890');
    expect(findUnserialisable({ seed: 1n })?.path).toBe('seed');
    expect(findUnserialisable({ list: [1, 2, 3n] })?.path).toBe('list.2');
  });

  describe('with BigInt.prototype.toJSON defined', () => {
    const prototype = BigInt.prototype as { toJSON?: () => string };
    afterEach(() => {
      delete prototype.toJSON;
    });

    it('passes BigInts, as JSON.stringify then does', () => {
      prototype.toJSON = function (this: bigint) {
        return this.toString();
      };
      expect(JSON.stringify({ n: 1n })).toBe('{"n":"1"}');
      expect(findUnserialisable({ n: 1n })).toBeUndefined();
    });
  });

  it('finds circular references and names where they close', () => {
    const self: Record<string, unknown> = { a: 1 };
    self.self = self;
    expect(findUnserialisable(self)).toEqual({ path: 'self', message: expect.stringMatching(/circular reference back to \(params\)/) });

    const parameters: Record<string, unknown> = { type: 'object' };
    parameters.properties = { x: { items: parameters } };
    const issue = findUnserialisable({ model: 'm', tools: [{ type: 'function', function: { name: 't', parameters } }] });
    expect(issue).toEqual({
      path: 'tools.0.function.parameters.properties.x.items',
      message: 'circular reference back to tools.0.function.parameters; JSON cannot encode it',
    });

    const list: unknown[] = [];
    list.push(list);
    expect(findUnserialisable({ list })?.path).toBe('list.0');
  });

  it(`allows ${MAX_NESTING_DEPTH} levels of nesting and refuses one more`, () => {
    expect(findUnserialisable(nested(MAX_NESTING_DEPTH))).toBeUndefined();
    const issue = findUnserialisable(nested(MAX_NESTING_DEPTH + 1));
    expect(issue?.message).toBe(`nested more than ${MAX_NESTING_DEPTH} levels deep, the most a request may nest`);
    expect(issue?.path.startsWith('a.a.a')).toBe(true);
    // Arrays count as levels too.
    let array: unknown = [];
    for (let i = 1; i < MAX_NESTING_DEPTH; i++) array = [array];
    expect(findUnserialisable({ array })).toBeDefined();
  });

  it('refuses 10,000 levels without overflowing the stack', () => {
    expect(findUnserialisable(nested(10_000))?.message).toMatch(/nested more than/);
  });

  it('keeps paths bounded whatever the keys', () => {
    const key = 'k'.repeat(1_000_000);
    const issue = findUnserialisable({ [key]: { [key]: 1n } });
    expect(issue?.path.length).toBeLessThan(300);
    expect(issue?.path).toMatch(/… \(2000001 characters\)$/);
  });

  it('skips what toJSON replaces, and keys JSON.stringify does not see', () => {
    const wrapped = { value: 1n, toJSON: () => 'one' };
    expect(findUnserialisable({ wrapped })).toBeUndefined();
    const inherited = Object.create({ hidden: 1n }) as object;
    expect(JSON.stringify({ inherited })).toBe('{"inherited":{}}');
    expect(findUnserialisable({ inherited })).toBeUndefined();
  });
});
