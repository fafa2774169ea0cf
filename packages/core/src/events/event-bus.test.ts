import { describe, expect, it, vi } from 'vitest';
import { EventBus } from './event-bus.js';
import type { GatewayEvent } from './events.js';

const event = (requestId: string): GatewayEvent => ({
  type: 'attempt.end',
  requestId,
  timestamp: 0,
  attempt: 1,
  provider: 'p',
  model: 'm',
  outcome: 'success',
  durationMs: 0,
  usage: undefined,
  cost: undefined,
  providerRequestId: undefined,
  latencyMs: 1,
});

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('EventBus', () => {
  it('delivers after the emitting code has moved on, to typed and catch-all listeners', async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.on('attempt.end', (e) => void seen.push(`typed:${e.requestId}`));
    bus.on('*', (e) => void seen.push(`all:${e.requestId}`));
    bus.emit(event('1'));
    expect(seen).toEqual([]);
    await flush();
    expect(seen).toEqual(['typed:1', 'all:1']);
  });

  it('reports a throwing or rejecting listener and still delivers to the others', async () => {
    const onError = vi.fn();
    const bus = new EventBus(onError);
    const good = vi.fn();
    bus.on('*', () => {
      throw new Error('sync boom');
    });
    bus.on('*', () => Promise.reject(new Error('async boom')));
    bus.on('*', good);
    bus.emit(event('1'));
    await flush();
    expect(good).toHaveBeenCalledOnce();
    expect(onError.mock.calls.map(([error]) => (error as Error).message).sort()).toEqual(['async boom', 'sync boom']);
  });

  it('defaults to a process warning, and survives a throwing error handler', async () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const bus = new EventBus();
    bus.on('*', () => {
      throw new Error('boom');
    });
    bus.emit(event('1'));
    await flush();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("'attempt.end': boom"), expect.objectContaining({ code: 'SWITCHYARD_LISTENER_ERROR' }));
    warn.mockRestore();

    const quiet = new EventBus(() => {
      throw new Error('handler fails too');
    });
    quiet.on('*', () => {
      throw new Error('boom');
    });
    quiet.emit(event('2'));
    await expect(flush()).resolves.toBeUndefined();
  });

  it('knows whether anyone listens, and unsubscribes', () => {
    const bus = new EventBus();
    expect(bus.wants('request.end')).toBe(false);
    const off = bus.on('request.end', () => undefined);
    expect(bus.wants('request.end')).toBe(true);
    expect(bus.wants('request.start')).toBe(false);
    off();
    expect(bus.wants('request.end')).toBe(false);
  });

  it('hands tapped types to a tap synchronously, inside emit, and makes them wanted', async () => {
    const onError = vi.fn();
    const bus = new EventBus(onError);
    const tapped: string[] = [];
    expect(bus.wants('attempt.end')).toBe(false);
    const off = bus.tap(['attempt.end'], (e) => {
      tapped.push(e.requestId);
      if (e.requestId === 'bad') throw new Error('tap boom');
    });
    expect(bus.wants('attempt.end')).toBe(true);
    expect(bus.wants('request.end')).toBe(false);
    const later = vi.fn();
    bus.on('attempt.end', later);
    bus.emit(event('1'));
    expect(tapped).toEqual(['1']);
    expect(later).not.toHaveBeenCalled();
    bus.emit(event('bad'));
    expect(onError).toHaveBeenCalledTimes(1);
    await flush();
    expect(later).toHaveBeenCalledTimes(2);
    off();
    bus.emit(event('2'));
    expect(tapped).toEqual(['1', 'bad']);
  });
});
