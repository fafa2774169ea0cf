import { afterEach, describe, expect, it, vi } from 'vitest';
import { DROP_WARNING_INTERVAL_MS, DropReporter } from './drop-reporter.js';
import type { SinkStats } from './event-sink.js';

const stats: SinkStats = { accepted: 0, delivered: 0, dropped: 0, queued: 0, failures: 0 };

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('drop reporting', () => {
  it('hands every loss to onDrop, and warns of none', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const onDrop = vi.fn();
    const reporter = new DropReporter('s', onDrop);
    reporter.report(1, stats);
    reporter.report(5, stats);
    reporter.close();
    expect(onDrop.mock.calls).toEqual([
      [1, stats],
      [5, stats],
    ]);
    expect(warn).not.toHaveBeenCalled();
  });

  it('warns at once, then gathers the drops of the interval into one warning at its end, even if no more come', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const reporter = new DropReporter('jsonl:/var/log/usage.jsonl', undefined);
    reporter.report(1, stats);
    for (let i = 0; i < 1_000; i++) reporter.report(1, stats);
    expect(warn).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(DROP_WARNING_INTERVAL_MS);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      "The Switchyard event sink 'jsonl:/var/log/usage.jsonl' dropped 1 event (1 in all): its queue was full, a batch failed every retry, or it was closed. See its stats().",
      "The Switchyard event sink 'jsonl:/var/log/usage.jsonl' dropped 1000 events (1001 in all): its queue was full, a batch failed every retry, or it was closed. See its stats().",
    ]);
    expect(warn.mock.calls[1]?.[1]).toEqual({ code: 'SWITCHYARD_EVENTS_DROPPED' });
    vi.advanceTimersByTime(DROP_WARNING_INTERVAL_MS * 3);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('close() tells what is untold at once', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    const reporter = new DropReporter('s', undefined);
    reporter.report(2, stats);
    reporter.report(3, stats);
    reporter.close();
    expect(warn.mock.calls.map(([message]) => /dropped \d+ events? \(\d+ in all\)/.exec(String(message))?.[0])).toEqual(['dropped 2 events (2 in all)', 'dropped 3 events (5 in all)']);
    vi.advanceTimersByTime(DROP_WARNING_INTERVAL_MS);
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
