import { describe, expect, it } from 'vitest';
import { composeChain } from './compose.js';
import type { AttemptContext, Middleware, RequestContext, Result } from './middleware.js';

const done: Result = { kind: 'embeddings', response: { object: 'list', data: [], model: 'm', usage: { prompt_tokens: 0, total_tokens: 0 } } };

describe('compose', () => {
  it('runs request hooks as an onion, in order, and skips middleware without one', async () => {
    const log: string[] = [];
    const mw = (name: string): Middleware => ({
      name,
      async request(_ctx, next) {
        log.push(`${name}:in`);
        const result = await next();
        log.push(`${name}:out`);
        return result;
      },
    });
    const attemptOnly: Middleware = { name: 'attempt-only', attempt: (_ctx, next) => next() };
    const chain = composeChain([mw('a'), attemptOnly, mw('b')], 'request', async () => {
      log.push('final');
      return done;
    });
    expect(await chain({} as RequestContext)).toBe(done);
    expect(log).toEqual(['a:in', 'b:in', 'final', 'b:out', 'a:out']);
  });

  it('lets a hook answer without calling next, or call next again', async () => {
    let finals = 0;
    const final = async () => {
      finals++;
      return done;
    };
    const shortCircuit = composeChain([{ name: 'cache', attempt: async () => done }], 'attempt', final);
    await shortCircuit({} as AttemptContext);
    expect(finals).toBe(0);
    const twice = composeChain(
      [
        {
          name: 'retry-ish',
          async attempt(_ctx, next) {
            await next();
            return next();
          },
        },
      ],
      'attempt',
      final,
    );
    await twice({} as AttemptContext);
    expect(finals).toBe(2);
  });

  it('keeps `this` of middleware objects', async () => {
    class Counting implements Middleware {
      readonly name = 'counting';
      count = 0;
      async request(_ctx: RequestContext, next: () => Promise<Result>) {
        this.count++;
        return next();
      }
    }
    const counting = new Counting();
    await composeChain([counting], 'request', async () => done)({} as RequestContext);
    expect(counting.count).toBe(1);
  });
});
