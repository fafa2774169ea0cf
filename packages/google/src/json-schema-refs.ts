import { isObject, own, type JsonObject } from './json-schema-node.js';
import { unsupported, type Context, type Path } from './to-gemini-schema-context.js';

export function resolveRef(ref: unknown, ctx: Context, at: Path): unknown {
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
