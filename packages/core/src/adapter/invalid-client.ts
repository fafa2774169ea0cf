import { ConfigError } from '../errors/errors.js';

/** What was passed, in a few words, for an error that rejects it (never its contents). */
export function describeClient(value: unknown): string {
  if (value === undefined) return 'no client';
  if (value === null) return 'null';
  if (typeof value !== 'object' && typeof value !== 'function') return `a ${typeof value}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  if (typeof name !== 'string' || name === '' || name === 'Object') return 'an object that is not one';
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name} instance`;
}

/**
 * An adapter was built without the SDK client it needs (none, or another provider's):
 * rejected at construction, as a config problem at `client`, rather than failing on the
 * first call with `Cannot read properties of undefined`.
 */
export function invalidClientError(adapter: string, wanted: string, example: string, got: unknown): ConfigError {
  return new ConfigError([{ path: 'client', message: `${adapter}({ client }) needs ${wanted}, e.g. ${example}; got ${describeClient(got)}.` }]);
}
