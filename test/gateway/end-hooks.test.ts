import {
  AbortError,
  ProviderError,
  createGateway,
  createStateKey,
  type AttemptInfo,
  type CallEnd,
  type ChatCompletionChunk,
  type GatewayConfig,
  type Middleware,
} from '@switchyard/core';
import type { CallContext } from '@switchyard/core/adapter';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, collectGarbageUntil, flushEvents } from './helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];

/** A middleware that records every request and attempt end, with what ended in between. */
function endRecorder() {
  const log: string[] = [];
  const requests: CallEnd[] = [];
  const attempts: AttemptInfo[] = [];
  const middleware: Middleware = {
    name: 'end-recorder',
    request: (ctx, next) => {
      ctx.onEnd((end) => {
        requests.push(end);
        log.push(`request:${end.outcome}`);
      });
      return next();
    },
    attempt: (ctx, next) => {
      ctx.onEnd((end) => {
        attempts.push(end);
        log.push(`attempt${end.attempt}:${end.outcome}`);
      });
      return next();
    },
  };
  return { middleware, log, requests, attempts };
}

function gatewayWith(adapter: GatewayConfig['providers'][string], extra: Partial<GatewayConfig> = {}) {
  const recorder = endRecorder();
  const gateway = createGateway({ providers: { p: adapter }, middleware: [recorder.middleware], routing: { retry: false }, ...extra });
  return { gateway, ...recorder };
}

function untilAborted(call: CallContext): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
    if (call.signal?.aborted) abort();
    call.signal?.addEventListener('abort', abort, { once: true });
  });
}

describe('end hooks', () => {
  it('run once for a completion: the attempt first, then the request, with usage and timing', async () => {
    const { gateway, log, requests, attempts } = gatewayWith(scriptedAdapter({ chat: () => completionOf('ok', { prompt_tokens: 7, completion_tokens: 3 }) }));
    await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(log).toEqual(['attempt1:success', 'request:success']);
    expect(attempts[0]).toMatchObject({ attempt: 1, provider: 'p', model: 'm', outcome: 'success', usage: { inputTokens: 7, outputTokens: 3 } });
    expect(requests[0]).toMatchObject({ outcome: 'success', operation: 'chat', stream: false, served: 'provider', attempts: 1, error: undefined });
    expect(requests[0]?.usage).toMatchObject({ inputTokens: 7, outputTokens: 3, totalTokens: 10 });
    expect(requests[0]?.latencyMs).toBeGreaterThanOrEqual(0);
    // The scripted model has no price: the cost says so rather than inventing one.
    expect(requests[0]?.cost).toEqual({ usd: null, estimated: false, reason: "no input price for 'm' in the model catalog" });
  });

  it('run once for embeddings, with their input tokens', async () => {
    const adapter = scriptedAdapter({
      embed: () => ({ object: 'list', model: 'e', data: [{ object: 'embedding', index: 0, embedding: [0.1] }], usage: { prompt_tokens: 4, total_tokens: 4 } }),
    });
    const { gateway, log, requests } = gatewayWith(adapter);
    await gateway.embeddings.create({ model: 'p/e', input: 'x' });
    expect(log).toEqual(['attempt1:success', 'request:success']);
    expect(requests[0]).toMatchObject({ operation: 'embeddings', usage: { inputTokens: 4, outputTokens: 0 } });
  });

  it('run once with the error on failure; the request hook sees the error the caller got', async () => {
    const { gateway, log, requests, attempts } = gatewayWith(
      scriptedAdapter({
        chat: () => {
          throw new ProviderError('down', { provider: 'p', model: 'm', status: 500, retryable: false });
        },
      }),
    );
    const error = await gateway.chat.completions.create({ model: 'p/m', messages }).catch((failure: unknown) => failure);
    expect(log).toEqual(['attempt1:error', 'request:error']);
    expect(requests[0]?.error).toBe(error);
    expect(attempts[0]?.error).toBe(error);
    expect(requests[0]?.served).toBeUndefined();
  });

  it('end every attempt of a retried call, failed ones included, and the request once', async () => {
    let calls = 0;
    const recorder = endRecorder();
    const gateway = createGateway({
      providers: {
        p: scriptedAdapter({
          chat: () => {
            if (++calls === 1) throw new ProviderError('busy', { provider: 'p', model: 'm', status: 503, retryable: true });
            return completionOf('ok');
          },
        }),
      },
      middleware: [recorder.middleware],
      routing: { retry: { retries: 2, minDelayMs: 1, maxDelayMs: 1 } },
    });
    const { meta } = await gateway.chat.completions.create({ model: 'p/m', messages }).withMeta();
    expect(recorder.log).toEqual(['attempt1:error', 'attempt2:success', 'request:success']);
    expect(meta.attemptHistory.map((attempt) => [attempt.attempt, attempt.outcome])).toEqual([
      [1, 'error'],
      [2, 'success'],
    ]);
  });

  it('end a stream attempt and its request when the stream ends, not at its first chunk', async () => {
    const { gateway, log, attempts, requests } = gatewayWith(scriptedAdapter({ stream: async function* () {
      yield* chunksOf(['a', 'b'], { prompt_tokens: 5, completion_tokens: 2 });
    } }));
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true });
    expect(log).toEqual([]);
    for await (const _ of stream) {
      // read to the end
    }
    expect(log).toEqual(['attempt1:success', 'request:success']);
    expect(attempts[0]?.usage).toMatchObject({ inputTokens: 5, outputTokens: 2 });
    expect(attempts[0]?.durationMs).toBeGreaterThanOrEqual(attempts[0]?.latencyMs ?? Number.NaN);
    expect(requests[0]).toMatchObject({ stream: true, outcome: 'success', usage: { outputTokens: 2 } });
  });

  it('end as abandoned, once, when the consumer breaks out of a stream', async () => {
    const { gateway, log, requests } = gatewayWith(scriptedAdapter({ stream: async function* () {
      yield* chunksOf(['a', 'b', 'c']);
    } }));
    for await (const _ of await gateway.chat.completions.create({ model: 'p/m', messages, stream: true })) break;
    expect(log).toEqual(['attempt1:abandoned', 'request:abandoned']);
    expect(requests[0]).toMatchObject({ abandoned: 'returned', error: undefined });
  });

  it('end as abandoned when the consumer drops a stream unread and it is collected', async () => {
    const { gateway, log } = gatewayWith(scriptedAdapter({ stream: async function* () {
      yield* chunksOf(['a', 'b']);
    } }));
    await (async () => {
      await gateway.chat.completions.create({ model: 'p/m', messages, stream: true });
    })();
    expect(await collectGarbageUntil(() => log.length > 0)).toBe(true);
    expect(log).toEqual(['attempt1:abandoned', 'request:abandoned']);
  });

  it('end as aborted when the caller aborts mid-stream', async () => {
    const { gateway, log, requests } = gatewayWith(scriptedAdapter({ stream: async function* (_request, call) {
      yield* chunksOf(['a']).slice(0, 1);
      await untilAborted(call);
    } }));
    const controller = new AbortController();
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }, { signal: controller.signal });
    await stream.next();
    controller.abort();
    await expect(stream.next()).rejects.toBeInstanceOf(AbortError);
    expect(log).toEqual(['attempt1:aborted', 'request:aborted']);
    expect(requests[0]?.error).toBeInstanceOf(AbortError);
  });

  it('end a stream a request middleware dropped (calling next() again) as abandoned, and the one it kept with the stream', async () => {
    const recorder = endRecorder();
    const retryStream: Middleware = {
      name: 'take-the-second-stream',
      request: async (_ctx, next) => {
        await next();
        return next();
      },
    };
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ stream: async function* () {
        yield* chunksOf(['a']);
      } }) },
      // The recorder outside: its request hook runs once, around both calls of next().
      middleware: [recorder.middleware, retryStream],
    });
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true });
    // The dropped stream's attempt ends as soon as the chain has returned the other.
    expect(recorder.log).toEqual(['attempt1:abandoned']);
    for await (const _ of stream) {
      // read to the end
    }
    expect(recorder.log).toEqual(['attempt1:abandoned', 'attempt2:success', 'request:success']);
  });

  it('credit the attempt whose stream was returned, not the last one that succeeded', async () => {
    const recorder = endRecorder();
    let calls = 0;
    const keepFirst: Middleware = {
      name: 'keep-the-first-stream',
      request: async (_ctx, next) => {
        const first = await next();
        await next();
        return first;
      },
    };
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ stream: () => {
        const n = ++calls;
        return (async function* () {
          yield* chunksOf(['a'], { prompt_tokens: 10 * n, completion_tokens: n });
        })();
      } }) },
      middleware: [recorder.middleware, keepFirst],
    });
    const { data, meta } = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true }).withMeta();
    for await (const _ of data) {
      // read to the end
    }
    expect(recorder.log).toEqual(['attempt2:abandoned', 'attempt1:success', 'request:success']);
    expect(recorder.attempts.find((attempt) => attempt.attempt === 1)?.usage).toMatchObject({ inputTokens: 10, outputTokens: 1 });
    expect(recorder.attempts.find((attempt) => attempt.attempt === 2)?.usage).toBeUndefined();
    expect(meta.usage).toMatchObject({ inputTokens: 10 });
  });

  it('run a hook added after the call has ended at once', async () => {
    const late: string[] = [];
    let keep: ((hook: (end: CallEnd) => unknown) => void) | undefined;
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) },
      middleware: [{ name: 'keep', request: (ctx, next) => ((keep = (hook) => ctx.onEnd(hook)), next()) }],
    });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    keep?.((end) => void late.push(end.outcome));
    expect(late).toEqual(['success']);
  });

  it('run in the order they were added, and a hook that throws or rejects is reported without stopping the others', async () => {
    const reported: Array<{ message: string; type: string }> = [];
    const order: string[] = [];
    const hooks: Middleware = {
      name: 'hooks',
      request: (ctx, next) => {
        ctx.onEnd(() => void order.push('first'));
        ctx.onEnd(() => {
          throw new Error('hook broke');
        });
        ctx.onEnd(() => Promise.reject(new Error('hook rejected')));
        ctx.onEnd(() => void order.push('last'));
        return next();
      },
    };
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) },
      middleware: [hooks],
      onEventError: (error, source) => void reported.push({ message: (error as Error).message, type: source.type }),
    });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await flushEvents();
    expect(order).toEqual(['first', 'last']);
    expect(reported).toEqual([
      { message: 'hook broke', type: 'end-hook' },
      { message: 'hook rejected', type: 'end-hook' },
    ]);
  });

  it('emit attempt.end for a stream when the stream ends, before request.end, with its usage', async () => {
    const events = collectEvents();
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ stream: async function* () {
        yield* chunksOf(['a', 'b'], { prompt_tokens: 6, completion_tokens: 2 });
      } }) },
      onEvent: events.onEvent,
    });
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true });
    await flushEvents();
    expect(events.events.map((event) => event.type)).toEqual(['request.start']);
    for await (const _ of stream) {
      // read to the end
    }
    await flushEvents();
    expect(events.events.map((event) => event.type)).toEqual(['request.start', 'attempt.end', 'request.end']);
    expect(events.events[1]).toMatchObject({ outcome: 'success', usage: { inputTokens: 6, outputTokens: 2 } });
  });
});

describe('per-call state', () => {
  it('is shared by the middleware of one call through typed keys, and is fresh for each call', async () => {
    const startedAt = createStateKey<number>('test.started-at');
    const seen: Array<number | undefined> = [];
    const writer: Middleware = {
      name: 'writer',
      request: (ctx, next) => {
        expect(ctx.state.get(startedAt)).toBeUndefined();
        ctx.state.set(startedAt, 42);
        return next();
      },
    };
    const reader: Middleware = {
      name: 'reader',
      request: (ctx, next) => {
        seen.push(ctx.state.get(startedAt));
        return next();
      },
      attempt: (ctx, next) => {
        seen.push(ctx.request.state.get(startedAt));
        return next();
      },
    };
    const gateway = createGateway({ providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) }, middleware: [writer, reader] });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(seen).toEqual([42, 42, 42, 42]);
  });

  it('keeps two keys with the same name apart', async () => {
    const a = createStateKey<string>('same');
    const b = createStateKey<string>('same');
    const gateway = createGateway({
      providers: { p: scriptedAdapter({ chat: () => completionOf('ok') }) },
      middleware: [
        {
          name: 'keys',
          request: (ctx, next) => {
            ctx.state.set(a, 'from a');
            expect(ctx.state.get(b)).toBeUndefined();
            expect(ctx.state.has(a)).toBe(true);
            return next();
          },
        },
      ],
    });
    await gateway.chat.completions.create({ model: 'p/m', messages });
  });

  it('refuses an empty key name', () => {
    expect(() => createStateKey('')).toThrow(/non-empty/);
  });
});

describe('a stream that ends early', () => {
  it('keeps what the provider had reported on the attempt when the stream is cut before its usage chunk', async () => {
    const { gateway, attempts } = gatewayWith(scriptedAdapter({ stream: async function* (_request, call) {
      call.usage({ inputTokens: 9, outputTokens: 0, totalTokens: 9, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 });
      const [first] = chunksOf(['a']) as [ChatCompletionChunk];
      yield first;
      throw new ProviderError('connection reset', { provider: 'p', model: 'm', retryable: true });
    } }));
    const stream = await gateway.chat.completions.create({ model: 'p/m', messages, stream: true });
    await expect((async () => {
      for await (const _ of stream) {
        // read until it breaks
      }
    })()).rejects.toThrow(/interrupted/);
    expect(attempts[0]).toMatchObject({ outcome: 'error', usage: { inputTokens: 9 } });
  });
});
