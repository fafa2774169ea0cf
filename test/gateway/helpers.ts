import { ConfigError, ProviderError, type ChatCompletionChunk, type GatewayEvent, type Middleware, type RequestEndEvent } from '@switchyard/core';
import { chunksOf, startMockServer, type MockServer, type WireFormat } from '@switchyard/testing';
import { afterEach, expect } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Waits until queued event deliveries (microtask batches) have run. */
export const flushEvents = () => new Promise<void>((resolve) => setImmediate(resolve));

export function collectEvents() {
  const events: GatewayEvent[] = [];
  return {
    events,
    onEvent: (event: GatewayEvent) => {
      events.push(event);
    },
    ends: () => events.filter((event): event is RequestEndEvent => event.type === 'request.end'),
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1000) {
  let now = start;
  return {
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/**
 * Collects garbage until `done()` holds (at most `rounds` full collections), letting
 * finalisers and event deliveries run between them. Returns whether it held.
 */
export async function collectGarbageUntil(done: () => boolean, rounds = 50): Promise<boolean> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let i = 0; i < rounds && !done(); i++) {
    gc();
    await flushEvents();
  }
  return done();
}

/** Mock servers started by a test, closed after each test of the file that calls this. */
export function mockServers(): (format: WireFormat | undefined) => Promise<MockServer> {
  let servers: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((server) => server.close()));
    servers = [];
  });
  return async (format) => {
    const server = await startMockServer(format ? { format } : {});
    servers.push(server);
    return server;
  };
}

/** A provider stream of `pieces` that notes when it was released (ended, returned or thrown into). */
export function releasedStream(pieces: readonly string[] = ['a', 'b']) {
  let released = false;
  return {
    released: () => released,
    stream: async function* (): AsyncGenerator<ChatCompletionChunk> {
      try {
        yield* chunksOf(pieces);
      } finally {
        released = true;
      }
    },
  };
}

/** The ConfigError that `build` throws (a gateway or an adapter being built); fails the test if none. */
export function configError(build: () => unknown): ConfigError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

/**
 * An attempt middleware that rejects the first attempt's answer after the provider has made
 * (and billed) it, as a JSON-schema check would; later attempts pass.
 */
export const rejectFirstAnswer: Middleware = {
  name: 'reject-first-answer',
  attempt: async (ctx, next) => {
    const result = await next();
    if (ctx.attempt === 1) throw new ProviderError('not valid JSON', { provider: ctx.provider, model: ctx.model, retryable: true });
    return result;
  },
};
