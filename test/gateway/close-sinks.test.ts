import { createGateway, type EventSink, type GatewayEvent, type GatewayEventType, type SinkStats } from '@switchyard/core';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';

const messages = [{ role: 'user' as const, content: 'hi' }];

/** A sink that keeps what it is given, and notes when it was closed and what it held then. */
function recordingSink(name: string, types?: GatewayEventType[]) {
  const written: GatewayEvent[] = [];
  let closedWith: string[] | undefined;
  const stats = (): SinkStats => ({ accepted: written.length, delivered: written.length, dropped: 0, queued: 0, failures: 0 });
  const sink: EventSink = {
    name,
    types,
    write: (event) => void written.push(event),
    flush: async () => undefined,
    close: async () => {
      closedWith = written.map((event) => event.type);
      return stats();
    },
    stats,
  };
  return { sink, written, closedWith: () => closedWith };
}

describe('gateway.close() and the configured sinks', () => {
  it('waits for a stream still in flight, so that its last events reach the sinks before they close', async () => {
    const recorder = recordingSink('all');
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const gateway = createGateway({
      providers: {
        main: scriptedAdapter({
          stream: async function* () {
            const [first, ...rest] = chunksOf(['a', 'b']);
            yield first!;
            await held;
            yield* rest;
          },
        }),
      },
      sinks: [recorder.sink],
    });
    const stream = await gateway.chat.completions.create({ model: 'main/m', messages, stream: true });
    const closing = gateway.close({ timeoutMs: 5_000 });
    let text = '';
    const reading = (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })();
    release();
    await reading;
    const report = await closing;
    expect(text).toBe('ab');
    expect(recorder.closedWith()).toEqual(['request.start', 'attempt.end', 'request.end']);
    expect(report.sinks).toEqual([{ name: 'all', accepted: 3, delivered: 3, dropped: 0, queued: 0, failures: 0 }]);
  });

  it('hands a sink only the types it asks for', async () => {
    const ends = recordingSink('ends', ['request.end']);
    const gateway = createGateway({ providers: { main: scriptedAdapter({ chat: () => completionOf('ok') }) }, sinks: [ends.sink] });
    await gateway.chat.completions.create({ model: 'main/m', messages });
    await gateway.close();
    expect(ends.written.map((event) => event.type)).toEqual(['request.end']);
  });

  it('a reload keeps a sink it still lists, closes one it dropped, and close() reports both', async () => {
    const kept = recordingSink('kept');
    const dropped = recordingSink('dropped');
    const providers = { main: scriptedAdapter({ chat: () => completionOf('ok') }) };
    const gateway = createGateway({ providers, sinks: [kept.sink, dropped.sink] });
    await gateway.chat.completions.create({ model: 'main/m', messages });
    gateway.reload({ providers, sinks: [kept.sink] });
    await gateway.chat.completions.create({ model: 'main/m', messages });
    const report = await gateway.close();
    expect(report.sinks.map((sink) => [sink.name, sink.accepted])).toEqual([
      ['dropped', 3],
      ['kept', 6],
    ]);
  });
});
