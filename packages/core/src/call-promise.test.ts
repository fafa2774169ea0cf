import { describe, expect, it } from 'vitest';
import { CallPromise, type CallMeta } from './call-promise.js';

const meta = { requestId: 'r1' } as CallMeta;

describe('CallPromise', () => {
  it('resolves to the result and hands out the meta', async () => {
    const promise = new CallPromise(Promise.resolve(42), meta);
    expect(await promise).toBe(42);
    expect(await promise.withMeta()).toEqual({ data: 42, meta });
    expect(await promise.then((value) => value + 1)).toBe(43);
    expect(await promise.finally(() => undefined)).toBe(42);
  });

  it('rejects through then/catch, and awaiting only withMeta leaves no unhandled rejection', async () => {
    const failing = () => new CallPromise<number>(Promise.reject(new Error('nope')), meta);
    await expect(failing()).rejects.toThrow('nope');
    expect(await failing().catch((error: Error) => error.message)).toBe('nope');
    await expect(failing().withMeta()).rejects.toThrow('nope');
  });

  it('derives plain promises', () => {
    const promise = new CallPromise(Promise.resolve(1), meta);
    expect(promise.then(() => 2)).not.toBeInstanceOf(CallPromise);
  });
});
