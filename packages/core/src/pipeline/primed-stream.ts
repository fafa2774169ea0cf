/**
 * An iterator whose first result was already read (so that a failing provider call is
 * seen before any chunk reaches the caller, while a retry is still possible). Later
 * results are delegated without a wrapping promise.
 */
export class PrimedStream<T> implements AsyncIterableIterator<T> {
  #first: IteratorResult<T> | undefined;
  readonly #inner: AsyncIterator<T>;

  constructor(first: IteratorResult<T>, inner: AsyncIterator<T>) {
    this.#first = first;
    this.#inner = inner;
  }

  next(): Promise<IteratorResult<T>> {
    const first = this.#first;
    if (first) {
      this.#first = undefined;
      return Promise.resolve(first);
    }
    return this.#inner.next();
  }

  return(value?: unknown): Promise<IteratorResult<T>> {
    this.#first = undefined;
    return this.#inner.return ? this.#inner.return(value) : Promise.resolve({ done: true, value: undefined });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
