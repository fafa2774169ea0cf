import { fieldIssue, type FieldIssue } from './validate-fields.js';

/**
 * How deep objects and arrays may nest in a request, the params object itself being level
 * 1. Real requests stay far below it (a tool's JSON schema nested 40 objects deep is about
 * level 85); a request much deeper makes SDKs and adapters overflow the stack, which would
 * surface as a provider failure. Protobuf parsers, common behind provider APIs, stop at 100.
 */
export const MAX_NESTING_DEPTH = 100;

const hasOwnProperty = Object.prototype.hasOwnProperty;

/** What stopped the walk, and the way down to it (filled in innermost first, on the way out). */
interface Problem {
  readonly kind: 'bigint' | 'depth';
  readonly keys: Array<string | number>;
  /** The objects along the way, the one the last key leads to included; a repeat is a cycle. */
  readonly objects: object[];
}

/**
 * The first value in `value` that `JSON.stringify` would throw on, as an issue with its
 * path (under `root`, when given) and without the value: a BigInt, a circular reference,
 * or nesting deeper than `MAX_NESTING_DEPTH`. What JSON drops silently (functions, symbols,
 * `undefined`) passes, as it does with OpenAI's SDK; so does anything below an object with
 * `toJSON`.
 *
 * One walk over own enumerable keys, as `JSON.stringify` sees them, and nothing kept on
 * the way down: a cycle is told apart from deep nesting only once the limit is hit.
 */
export function findUnserialisable(value: object, root?: string): FieldIssue | undefined {
  const problem = walk(value, 1);
  if (!problem) return undefined;
  const keys = problem.keys.reverse();
  const objects = problem.objects.reverse();
  const pathTo = (length: number) => {
    const path = keys.slice(0, length).join('.');
    return root === undefined ? path : path === '' ? root : `${root}.${path}`;
  };
  if (problem.kind === 'bigint') return fieldIssue(pathTo(keys.length), 'a BigInt cannot be sent as JSON; pass a number or a string');
  for (let end = 1; end < objects.length; end++) {
    const start = objects.indexOf(objects[end] as object);
    if (start < end) return fieldIssue(pathTo(end), `circular reference back to ${pathTo(start) || '(params)'}; JSON cannot encode it`);
  }
  return fieldIssue(pathTo(keys.length), `nested more than ${MAX_NESTING_DEPTH} levels deep, the most a request may nest`);
}

function walk(value: object, depth: number): Problem | undefined {
  // JSON.stringify sends what toJSON returns (a Date, a decimal type): nothing below is sent as it is.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = child(value[i] as unknown, depth);
      if (problem) return found(problem, i, value);
    }
    return undefined;
  }
  for (const key in value) {
    // JSON.stringify sends own keys only. V8 runs `for…in` with `hasOwnProperty.call` on a
    // fast path that `Object.hasOwn` misses: half the walk's cost on a typical request.
    if (!hasOwnProperty.call(value, key)) continue;
    const problem = child((value as Record<string, unknown>)[key], depth);
    if (problem) return found(problem, key, value);
  }
  return undefined;
}

function child(item: unknown, depth: number): Problem | undefined {
  if (typeof item === 'object') {
    if (item === null) return undefined;
    if (depth === MAX_NESTING_DEPTH) return { kind: 'depth', keys: [], objects: [item] };
    return walk(item, depth + 1);
  }
  if (typeof item === 'bigint' && !bigIntHasToJson()) return { kind: 'bigint', keys: [], objects: [] };
  return undefined;
}

function found(problem: Problem, key: string | number, parent: object): Problem {
  problem.keys.push(key);
  if (problem.kind === 'depth') problem.objects.push(parent);
  return problem;
}

/** Some apps define `BigInt.prototype.toJSON` so that JSON.stringify can send them. */
function bigIntHasToJson(): boolean {
  return typeof (BigInt.prototype as { toJSON?: unknown }).toJSON === 'function';
}
