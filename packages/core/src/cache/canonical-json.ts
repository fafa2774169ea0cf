/**
 * JSON text in one canonical form: what `JSON.stringify` writes (the same values dropped,
 * `toJSON` honoured), but with every object's keys in sorted order, so that two objects that
 * differ only in the order their keys were written give the same text. Used to build cache
 * keys; input is request data the front door has already checked can be serialised.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '') ?? 'null';
}

const hasOwn = Object.prototype.hasOwnProperty;

/** The JSON text of `value`, or `undefined` where `JSON.stringify` would leave it out. */
function write(input: unknown, key: string): string | undefined {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON: (key: string) => unknown }).toJSON(key);
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>);
    default:
      // undefined, functions and symbols: dropped from objects, `null` in arrays.
      return undefined;
  }
}

function writeArray(values: readonly unknown[]): string {
  let text = '[';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    text += write(values[i], String(i)) ?? 'null';
  }
  return `${text}]`;
}

function writeObject(object: Record<string, unknown>): string {
  const keys: string[] = [];
  for (const key in object) if (hasOwn.call(object, key)) keys.push(key);
  keys.sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    const written = write(object[key], key);
    if (written === undefined) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${written}`;
    first = false;
  }
  return `${text}}`;
}
