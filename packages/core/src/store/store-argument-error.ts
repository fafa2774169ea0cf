// The one error a store raises for a caller's mistake, whatever the implementation.

/**
 * A store method was called with an argument it cannot accept (an empty key, a non-finite
 * number, a TTL ≤ 0, a key used as a counter and as a bucket). It is a programming error in
 * the caller, not a condition to handle, so it is a `RangeError` like the other primitives'
 * (`TokenBucket`, `CircuitBreaker`); nothing was changed. `argument` names the culprit, e.g.
 * `ttlMs` or `checks[1].limit`.
 */
export class StoreArgumentError extends RangeError {
  override name = 'StoreArgumentError';
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(`Switchyard store: \`${argument}\` ${message}`);
    this.argument = argument;
  }
}
