import { describe, expect, it } from 'vitest';
import type { CallMeta } from './call-meta.js';
import { toCallPromise } from './call-promise.js';

const meta = { requestId: 'r1' } as CallMeta;
const source = { meta };

describe('toCallPromise', () => {
  it('resolves to the result and hands out the meta', async () => {
    const promise = toCallPromise(Promise.resolve(42), source);
    expect(await promise).toBe(42);
    expect(await promise.withMeta()).toEqual({ data: 42, meta });
    expect(await promise.then((value) => value + 1)).toBe(43);
  });

  it('stays a native promise', () => {
    expect(toCallPromise(Promise.resolve(1), source).constructor).toBe(Promise);
  });

  it('rejects through await and withMeta; awaiting only withMeta leaves no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const failing = () => toCallPromise<number>(Promise.reject(new Error('nope')), source);
      await expect(failing()).rejects.toThrow('nope');
      await expect(failing().withMeta()).rejects.toThrow('nope');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});
