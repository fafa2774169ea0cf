import { createGateway, type EventRecord, type EventSink, type GatewayEvent } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';

export const messages = [{ role: 'user' as const, content: 'hi' }];
/** What one completion call emits, in order. */
export const EVENTS_PER_CALL = ['request.start', 'attempt.end', 'request.end'];

/** A promise the test settles. */
export function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

/** Never settles: a destination that hangs. */
export const hang = () => new Promise<void>(() => undefined);

/**
 * A gateway with one provider (`main`) that answers every call and the given sinks; with
 * `listen`, an `onEvent` keeps every event it emits (which makes every type wanted).
 */
export function gatewayWith(sinks: EventSink[], { listen = true } = {}) {
  const emitted: GatewayEvent[] = [];
  const onEvent = listen ? (event: GatewayEvent) => void emitted.push(event) : undefined;
  const gateway = createGateway({ providers: { main: scriptedAdapter({ chat: () => completionOf('ok') }) }, sinks, onEvent });
  const call = async () => (await gateway.chat.completions.create({ model: 'main/m', messages }).withMeta()).meta.requestId;
  return { gateway, emitted, call };
}

/** A destination that keeps what it was sent, as `send` for `createBatchingSink`. */
export function keepingDestination() {
  const delivered: EventRecord[] = [];
  return { delivered, send: async (batch: readonly EventRecord[]) => void delivered.push(...batch) };
}
