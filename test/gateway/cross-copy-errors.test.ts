import { GatewayError, ProviderError, TimeoutError, createGateway, isGatewayError, type GatewayEvent } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import type * as errors from '../../packages/core/src/errors/errors.js';
import { collectEvents, flushEvents } from './helpers.js';

type ErrorsModule = typeof errors;

/** Another copy of core's errors, as an adapter built against a second installed copy of core would throw them. */
async function otherCopy(): Promise<ErrorsModule> {
  const specifier: string = '../../packages/core/src/errors/errors.ts?copy=adapter';
  const loaded: unknown = await import(/* @vite-ignore */ specifier);
  return loaded as ErrorsModule;
}

const messages = [{ role: 'user' as const, content: 'hi' }];

/** An adapter that throws the given errors, one per call, then answers. */
function scripted(name: string, failures: Error[]) {
  let call = 0;
  return scriptedAdapter({
    provider: name,
    chat: () => {
      const failure = failures[call++];
      if (failure) throw failure;
      return completionOf(`${name}:ok`);
    },
  });
}

const ofType = <T extends GatewayEvent['type']>(events: GatewayEvent[], type: T) => events.filter((event) => event.type === type) as Array<Extract<GatewayEvent, { type: T }>>;

describe('errors thrown by another copy of core', () => {
  it('are retried like this copy\'s own: a retryable ProviderError of the other copy is retried', async () => {
    const other = await otherCopy();
    const foreign = new other.ProviderError('busy', { provider: 'a', model: 'm', status: 503, retryable: true });
    expect(Function.prototype[Symbol.hasInstance].call(ProviderError, foreign)).toBe(false);
    const events = collectEvents();
    const gateway = createGateway({ providers: { a: scripted('a', [foreign]) }, onEvent: events.onEvent, routing: { retry: { minDelayMs: 0, maxDelayMs: 0 } } });
    const { data, meta } = await gateway.chat.completions.create({ model: 'a/m', messages }).withMeta();
    expect(data.choices[0]?.message.content).toBe('a:ok');
    expect(meta.attempts).toBe(2);
    await flushEvents();
    expect(ofType(events.events, 'attempt.retry').map((event) => [event.error.code, event.error.status])).toEqual([['provider_error', 503]]);
  });

  it('fall back like this copy\'s own: a 401 of the other copy moves on to the next target', async () => {
    const other = await otherCopy();
    const refused = new other.ProviderError('refused', { provider: 'a', model: 'm', status: 401, retryable: false });
    const events = collectEvents();
    const gateway = createGateway({
      providers: { a: scripted('a', [refused]), b: scripted('b', []) },
      models: { main: { fallback: ['a/m', 'b/m'] } },
      onEvent: events.onEvent,
    });
    const completion = await gateway.chat.completions.create({ model: 'main', messages });
    expect(completion.choices[0]?.message.content).toBe('b:ok');
    await flushEvents();
    expect(ofType(events.events, 'request.fallback').map((event) => [event.from, event.to, event.error.status])).toEqual([['a/m', 'b/m', 401]]);
  });

  it('reach the caller as typed gateway errors, with the request id and attempts set', async () => {
    const other = await otherCopy();
    const events = collectEvents();
    const gateway = createGateway({
      providers: { a: scripted('a', [new other.TimeoutError(50, { provider: 'a', model: 'm' })]) },
      onEvent: events.onEvent,
      routing: { retry: false },
    });
    const error: unknown = await gateway.chat.completions.create({ model: 'a/m', messages }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(isGatewayError(error)).toBe(true);
    expect(error instanceof GatewayError).toBe(true);
    expect(error instanceof TimeoutError).toBe(true);
    expect(error instanceof ProviderError).toBe(false);
    expect(error).toMatchObject({ code: 'timeout', attempts: 1, requestId: expect.any(String) });
    await flushEvents();
    // Serialised as itself, not as an unknown error thrown inside the gateway.
    expect(ofType(events.events, 'request.end')[0]?.error).toMatchObject({ name: 'TimeoutError', code: 'timeout', retryable: true });
  });
});
