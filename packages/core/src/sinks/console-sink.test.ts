import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { GatewayEvent } from '../events/events.js';
import { createConsoleSink, prettyLine } from './console-sink.js';

const end: GatewayEvent = {
  type: 'request.end',
  requestId: '0123456789abcdef',
  timestamp: 1,
  operation: 'chat',
  route: 'fast',
  stream: false,
  outcome: 'success',
  provider: 'openai',
  model: 'gpt-4.1-mini',
  attempts: 1,
  served: 'provider',
  usage: undefined,
  totalUsage: { inputTokens: 12, outputTokens: 5, totalTokens: 17, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 },
  cost: { usd: 0.000123, estimated: false, breakdown: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 } },
  providerRequestId: undefined,
  latencyMs: 412.4,
  timeToFirstChunkMs: undefined,
  error: undefined,
  principal: undefined,
  metadata: {},
  tags: [],
};

/** A stream that keeps what it is given; `slow` makes it ask the writer to wait for each write. */
function collector(slow = false) {
  const chunks: string[] = [];
  const stream = new Writable({
    highWaterMark: slow ? 1 : 16_384,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      if (slow) setImmediate(done);
      else done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

describe('the console sink', () => {
  it('prints a short line per event', async () => {
    const out = collector();
    const sink = createConsoleSink({ stream: out.stream });
    sink.write(end);
    await sink.close();
    expect(out.text()).toBe('request.end          01234567  chat fast  openai/gpt-4.1-mini  success  412 ms  in=12 out=5  $0.000123\n');
  });

  it('prints the versioned JSON record with format json, and only the types asked for', async () => {
    const out = collector();
    const sink = createConsoleSink({ stream: out.stream, format: 'json', types: ['request.end'] });
    expect(sink.types).toEqual(['request.end']);
    sink.write(end);
    await sink.close();
    expect(JSON.parse(out.text())).toEqual({ v: 1, ...end });
  });

  it('waits for a slow stream to drain before the next batch, losing nothing', async () => {
    const out = collector(true);
    const needingDrain: boolean[] = [];
    const write = out.stream.write.bind(out.stream);
    out.stream.write = ((...args: Parameters<typeof write>) => (needingDrain.push(out.stream.writableNeedDrain), write(...args))) as typeof write;
    const sink = createConsoleSink({ stream: out.stream, format: 'json' });
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 10; i++) sink.write({ ...end, requestId: `r${round * 10 + i}` });
      await new Promise((resolve) => setImmediate(resolve));
    }
    const stats = await sink.close();
    expect(stats).toEqual({ accepted: 50, delivered: 50, dropped: 0, queued: 0, failures: 0 });
    expect(out.text().trim().split('\n').map((line) => (JSON.parse(line) as { requestId: string }).requestId)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    // Several batches, none written into a stream that had asked to wait.
    expect(needingDrain.length).toBeGreaterThan(1);
    expect(needingDrain.every((needed) => !needed)).toBe(true);
  });

  it('counts what it cannot print once the stream is gone, and a stream error (EPIPE) crashes nothing', async () => {
    const failing = new Writable({ write: (_chunk, _encoding, done) => done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' })) });
    const drops: number[] = [];
    const sink = createConsoleSink({ stream: failing, onDrop: (count) => void drops.push(count) });
    sink.write(end);
    await sink.flush();
    // The stream took the first line, then failed and closed: what comes after is dropped and counted.
    await new Promise((resolve) => failing.once('close', resolve));
    sink.write(end);
    sink.write(end);
    const stats = await sink.close();
    expect(stats).toEqual({ accepted: 3, delivered: 1, dropped: 2, queued: 0, failures: 1 });
    expect(drops).toEqual([2]);
  });

  it('refuses a format it does not know', () => {
    expect(() => createConsoleSink({ format: 'xml' as 'json' })).toThrow(/format must be 'pretty' or 'json'/);
  });

  it('has a line for every event type', () => {
    expect(prettyLine({ type: 'request.fallback', requestId: 'x', timestamp: 0, from: 'a/m', to: 'b/m', error: { name: 'ProviderError', code: 'provider_error', message: 'busy', retryable: true } })).toBe('request.fallback     x  a/m -> b/m  provider_error');
  });
});
