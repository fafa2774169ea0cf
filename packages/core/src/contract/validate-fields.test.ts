import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatCompletionCreateParamsSchema, chatCompletionCreateParamsShape } from './chat-params.js';
import { MAX_ISSUE_TEXT, fieldIssue, validateFields } from './validate-fields.js';

const check = (value: unknown) => validateFields(chatCompletionCreateParamsShape, ['model', 'messages'], value);

describe('validateFields', () => {
  it('reports required fields, wrong fields and non-objects with paths', () => {
    expect(check({ model: 'm' })).toEqual([{ path: 'messages', message: expect.stringMatching(/expected array/) }]);
    expect(check({ model: 'm', messages: [{ role: 'user', content: 1 }], n: 0 }).map((i) => i.path)).toEqual([
      'messages.0.content',
      'n',
    ]);
    expect(check('nope')).toEqual([{ path: '', message: 'Invalid input: expected an object' }]);
    expect(check([])).toHaveLength(1);
  });

  it('lets unknown fields through', () => {
    expect(check({ model: 'm', messages: [{ role: 'user', content: 'x' }], some_new_field: { a: 1 } })).toEqual([]);
  });

  it('treats fields named like Object.prototype members as unknown fields', () => {
    const base = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
    for (const key of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__']) {
      const params = { ...base };
      Object.defineProperty(params, key, { value: { a: 1 }, enumerable: true });
      expect(check(params)).toEqual([]);
    }
    // JSON.parse makes `__proto__` an own field, as a request body parsed from the wire has it.
    const parsed = JSON.parse('{"model":"m","messages":[{"role":"user","content":"x"}],"__proto__":{"x":1}}') as object;
    expect(Object.hasOwn(parsed, '__proto__')).toBe(true);
    expect(check(parsed)).toEqual([]);
  });

  it('bounds paths and messages that hold the caller\'s keys', () => {
    const key = 'k'.repeat(1_000_000);
    const issues = check({ model: 'm', messages: [{ role: 'user', content: 'x' }], metadata: { [key]: 5 } });
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(`metadata.${'k'.repeat(MAX_ISSUE_TEXT - 'metadata.'.length)}… (1000009 characters)`);
    expect(issues[0]?.message.length).toBeLessThanOrEqual(MAX_ISSUE_TEXT);
    expect(fieldIssue('p', 'm'.repeat(10_000)).message).toMatch(/^m{200}… \(10000 characters\)$/);
  });

  it('accepts and rejects exactly what z.object(shape) does', () => {
    const message = fc.record(
      { role: fc.constantFrom('user', 'system', 'assistant', 'tool', 'wizard'), content: fc.oneof(fc.string(), fc.constant(null), fc.integer()) },
      { requiredKeys: [] },
    );
    const request = fc.record(
      {
        model: fc.oneof(fc.string(), fc.integer()),
        messages: fc.oneof(fc.array(message, { maxLength: 3 }), fc.constant('x')),
        temperature: fc.oneof(fc.double(), fc.string(), fc.constant(null)),
        stream: fc.oneof(fc.boolean(), fc.constant('yes')),
        n: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constant(null)),
        extra: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(request, (value) => {
        const ours = check(value);
        const zods = chatCompletionCreateParamsSchema.safeParse(value);
        expect(ours.length === 0).toBe(zods.success);
        if (!zods.success) {
          const paths = (issues: Array<{ path: string }>) => [...new Set(issues.map((i) => i.path))].sort();
          expect(paths(ours)).toEqual(paths(zods.error.issues.map((i) => ({ path: i.path.map(String).join('.') }))));
        }
      }),
      { numRuns: 500 },
    );
  });
});
