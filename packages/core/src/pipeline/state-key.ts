declare const stateValue: unique symbol;

/**
 * A typed slot in a call's state. Two keys with the same name are still different slots:
 * the key object is the identity, the name is for messages and debugging.
 */
export interface StateKey<T> {
  readonly name: string;
  /** Carries `T` for the type checker only; never set. */
  readonly [stateValue]?: T;
}

/** Makes a key for per-call state: `const started = createStateKey<number>('my-mw.started')`. */
export function createStateKey<T>(name: string): StateKey<T> {
  if (typeof name !== 'string' || name.length === 0) throw new TypeError('createStateKey(name): name must be a non-empty string.');
  return Object.freeze({ name });
}

/**
 * Per-call state shared by the middleware of one call, read and written through keys, so
 * that each value has one type and two middleware cannot collide by picking the same string.
 */
export class CallState {
  readonly #values = new Map<StateKey<unknown>, unknown>();

  get<T>(key: StateKey<T>): T | undefined {
    // The only way in is `set` with the same key, which took a `T`.
    return this.#values.get(key) as T | undefined;
  }

  set<T>(key: StateKey<T>, value: T): void {
    this.#values.set(key, value);
  }

  has(key: StateKey<unknown>): boolean {
    return this.#values.has(key);
  }

  delete(key: StateKey<unknown>): boolean {
    return this.#values.delete(key);
  }
}
