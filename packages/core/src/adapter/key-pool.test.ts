import { describe, expect, it } from 'vitest';
import { ProviderError } from '../errors/errors.js';
import { KeyPool, SdkClientPool } from './key-pool.js';

const failure = (status: number, retryAfterMs?: number) => new ProviderError('x', { provider: 'p', model: 'm', status, retryable: status === 429, retryAfterMs });

describe('KeyPool', () => {
  it('picks keys by weight', () => {
    let point = 0;
    const pool = new KeyPool(['a', { key: 'b', weight: 3 }], { random: () => point });
    const picks = [0.1, 0.3, 0.6, 0.9].map((value) => ((point = value), pool.pick()));
    expect(picks).toEqual(['a', 'b', 'b', 'b']);
  });

  it('rests a refused or rate-limited key, for its Retry-After when given, and wakes it later', () => {
    let now = 0;
    const pool = new KeyPool(['a', 'b'], { now: () => now, random: () => 0, cooldownMs: 1000 });
    pool.report('a', failure(401));
    expect(pool.pick()).toBe('b');
    now = 1000;
    expect(pool.pick()).toBe('a');
    pool.report('a', failure(429, 50));
    expect(pool.pick()).toBe('b');
    now = 1050;
    expect(pool.pick()).toBe('a');
  });

  it('ignores failures that are not the key’s fault, and uses the first to wake when all rest', () => {
    let now = 0;
    const pool = new KeyPool(['a', 'b'], { now: () => now, random: () => 0, cooldownMs: 1000 });
    pool.report('a', failure(500));
    pool.report('a', new Error('network'));
    expect(pool.pick()).toBe('a');
    pool.report('a', failure(403));
    now = 10;
    pool.report('b', failure(403));
    expect(pool.pick()).toBe('a');
    expect(pool.keys).toEqual(['a', 'b']);
  });

  it('refuses an empty pool and bad weights', () => {
    expect(() => new KeyPool([])).toThrow(RangeError);
    expect(() => new KeyPool([{ key: 'a', weight: 0 }])).toThrow(RangeError);
  });
});

describe('KeyPool.pickOther', () => {
  it('picks by weight among keys neither tried nor resting, and none when all are', () => {
    let now = 0;
    const pool = new KeyPool(['a', 'b', 'c'], { now: () => now, random: () => 0, cooldownMs: 1000 });
    expect(pool.pickOther(new Set(['a']))).toBe('b');
    pool.report('b', failure(401));
    expect(pool.pickOther(new Set(['a']))).toBe('c');
    expect(pool.pickOther(new Set(['a', 'c']))).toBeUndefined();
    now = 1000;
    expect(pool.pickOther(new Set(['a', 'c']))).toBe('b');
  });

  it('says whether a failure was the key’s fault', () => {
    const pool = new KeyPool(['a']);
    expect([401, 403, 429].map((status) => pool.report('a', failure(status)))).toEqual([true, true, true]);
    expect([400, 404, 500].map((status) => pool.report('a', failure(status)))).toEqual([false, false, false]);
    expect(pool.report('a', new Error('network'))).toBe(false);
  });
});

/** Just what the pool needs of an SDK client: its credentials and a copy with another key. */
class FakeClient {
  constructor(
    readonly apiKey: string | null,
    readonly authToken: string | null = null,
  ) {}
  withOptions(options: { apiKey: string }): FakeClient {
    return new FakeClient(options.apiKey);
  }
}

const normalise = (error: unknown) =>
  error instanceof ProviderError ? error : new ProviderError('x', { provider: 'p', model: 'm', retryable: false });

describe('SdkClientPool.run', () => {
  it('without keys, calls the client once and normalises its failure', async () => {
    const client = new FakeClient('own-key-0000000000');
    const pool = new SdkClientPool(client, undefined, undefined);
    await expect(pool.run(async (c) => c.apiKey, normalise)).resolves.toBe('own-key-0000000000');
    const seen: unknown[] = [];
    await expect(
      pool.run(
        async (c) => {
          seen.push(c);
          throw failure(401);
        },
        normalise,
      ),
    ).rejects.toMatchObject({ status: 401 });
    expect(seen).toEqual([client]);
  });

  it('goes again at once with another key after a refusal or a rate limit, each key at most once', async () => {
    const pool = new SdkClientPool(new FakeClient('own'), ['a-key-000000000', 'b-key-000000000', 'c-key-000000000'], 60_000);
    const tried: Array<string | null> = [];
    const answer = await pool.run(async (c) => {
      tried.push(c.apiKey);
      if (tried.length === 1) throw failure(401);
      if (tried.length === 2) throw failure(429);
      return 'ok';
    }, normalise);
    expect(answer).toBe('ok');
    expect(new Set(tried).size).toBe(3);
    // Both failed keys rest: the next call takes the one that answered.
    const next: Array<string | null> = [];
    await pool.run(async (c) => next.push(c.apiKey), normalise);
    expect(next).toEqual([tried[2]]);
  });

  it('throws the last refusal once every key was tried, and any other failure at once', async () => {
    const pool = new SdkClientPool(new FakeClient('own'), ['a-key-000000000', 'b-key-000000000'], 60_000);
    let calls = 0;
    await expect(
      pool.run(async () => {
        calls++;
        throw failure(403);
      }, normalise),
    ).rejects.toMatchObject({ status: 403 });
    expect(calls).toBe(2);
    const fresh = new SdkClientPool(new FakeClient('own'), ['a-key-000000000', 'b-key-000000000'], 60_000);
    calls = 0;
    await expect(
      fresh.run(async () => {
        calls++;
        throw failure(500);
      }, normalise),
    ).rejects.toMatchObject({ status: 500 });
    expect(calls).toBe(1);
  });

  it('lists every credential to scrub: the client’s key and bearer token, and the pooled keys', () => {
    const pool = new SdkClientPool(new FakeClient('own-key-0000000000', 'own-token-000000000'), ['a-key-000000000'], undefined);
    expect(pool.secrets).toEqual(['own-key-0000000000', 'own-token-000000000', 'a-key-000000000']);
    expect(new SdkClientPool(new FakeClient(null, 'only-token-0000000'), undefined, undefined).secrets).toEqual(['only-token-0000000']);
  });
});
