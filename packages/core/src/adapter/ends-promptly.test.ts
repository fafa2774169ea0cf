import { describe, expect, it } from 'vitest';
import { readWithinTurn } from './ends-promptly.js';

describe('readWithinTurn', () => {
  it('gives a read that settles in the same turn its result', async () => {
    expect(await readWithinTurn(Promise.resolve({ done: true, value: undefined }))).toEqual({ done: true, value: undefined });
    expect(await readWithinTurn(Promise.resolve({ done: false, value: 'late' }))).toEqual({ done: false, value: 'late' });
  });

  it('gives up on a read still pending after one turn of the event loop', async () => {
    expect(await readWithinTurn(new Promise(() => undefined))).toBeUndefined();
  });

  it('gives up on a read settling only after the turn, and keeps its later failure handled', async () => {
    let fail: (error: Error) => void = () => undefined;
    const read = new Promise<never>((_, reject) => (fail = reject));
    expect(await readWithinTurn(read)).toBeUndefined();
    // An unhandled rejection would fail the run (vitest.config.ts).
    fail(new Error('reset after the end'));
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('turns a read that fails at once into undefined', async () => {
    expect(await readWithinTurn(Promise.reject(new Error('socket reset')))).toBeUndefined();
  });
});
