import { expect } from 'vitest';

/** The error `promise` rejects with, checked to be a `type`; fails the test if it resolves. */
export async function rejection<E extends Error>(promise: Promise<unknown>, type: new (...args: never[]) => E): Promise<E> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(type);
    return error as E;
  }
  throw new Error('expected a rejection');
}
