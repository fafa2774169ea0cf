// Small helpers that build store keys: collision-free joins and epoch-aligned windows.
import { StoreArgumentError } from './store-argument-error.js';
import { checkFinite, checkKey, describeArgument } from './validate-store-args.js';

/**
 * Joins parts into one key with `:`, escaping `%` and `:` inside each part, so that parts
 * taken from callers (a principal id `a:b`) can never make the key of other parts
 * (`a` and `b`): `storeKey('limit', 'a:b')` is `limit:a%3Ab`.
 */
export function storeKey(...parts: readonly (string | number)[]): string {
  if (parts.length === 0) throw new StoreArgumentError('parts', 'must name at least one part.');
  return parts
    .map((part, index) => {
      if (typeof part === 'number') return String(checkFinite(part, `parts[${index}]`));
      if (typeof part !== 'string') throw new StoreArgumentError(`parts[${index}]`, `must be a string or a number, got ${describeArgument(part)}.`);
      return part.replaceAll('%', '%25').replaceAll(':', '%3A');
    })
    .join(':');
}

/** One fixed window: the key that names it and the time left in it. */
export interface WindowSlot {
  /** `<key>:<start of the window, ms since the epoch>`. */
  key: string;
  /** Milliseconds from `now` to the window's end, ≥ 1: pass it as the counter's `ttlMs`. */
  ttlMs: number;
}

/**
 * The window of `windowMs` that `now` falls in, aligned to the epoch (a day window starts at
 * midnight UTC), so every process agrees on the window whatever call came first. A key per
 * window also lets a later settlement find the window its reservation went to, even after
 * the next one started. Calendar periods of varying length (a month) name their own key.
 */
export function windowKey(key: string, windowMs: number, now: number): WindowSlot {
  checkKey(key);
  if (typeof windowMs !== 'number' || !Number.isSafeInteger(windowMs) || windowMs < 1) {
    throw new StoreArgumentError('windowMs', `must be a whole number of milliseconds ≥ 1, got ${describeArgument(windowMs)}.`);
  }
  checkFinite(now, 'now');
  const start = Math.floor(now / windowMs) * windowMs;
  return { key: `${key}:${start}`, ttlMs: start + windowMs - now };
}
