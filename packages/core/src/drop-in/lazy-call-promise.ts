// The promise a wrapped SDK call returns, as the SDKs' own `APIPromise` is: a `Promise` subclass whose result is read from the settled call only when asked for.

/**
 * `then`, `catch` and `finally` read `settled()`, made on first use: a caller that uses only a
 * subclass's other methods (`withResponse()`, `asResponse()`, as the SDKs' stream helpers do)
 * leaves no rejected promise unobserved. The base promise itself never settles.
 */
export abstract class LazyCallPromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  #data: Promise<T> | undefined;

  constructor() {
    super(() => undefined);
  }

  /** The call's result as the caller gets it, made once. */
  protected abstract result(): Promise<T>;

  #settled(): Promise<T> {
    return (this.#data ??= this.result());
  }

  override then<R1 = T, R2 = never>(onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null): Promise<R1 | R2> {
    return this.#settled().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#settled().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#settled().finally(onfinally);
  }
}
