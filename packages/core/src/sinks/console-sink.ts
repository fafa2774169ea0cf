// A sink that prints events, one line each: a short human line, or the JSON record; it waits for a slow stream to drain rather than pile output up.
import type { Writable } from 'node:stream';
import type { GatewayEvent, GatewayEventType } from '../events/events.js';
import { BatchingSink } from './batching-sink.js';
import type { EventSink, SinkStats } from './event-sink.js';
import type { EventRecord } from './event-record.js';

export interface ConsoleSinkOptions {
  /** The event types to print (default: every type). */
  types?: readonly GatewayEventType[] | undefined;
  /** `pretty` (default): one short line per event; `json`: the versioned record as one JSON line. */
  format?: 'pretty' | 'json' | undefined;
  /** Where to print (default `process.stdout`). */
  stream?: Writable | undefined;
  /** Events waiting to be printed at most (default 10 000); past that they are dropped and counted. */
  maxQueue?: number | undefined;
  /** How long a batch waits for a full stream to drain before it is dropped and counted (default 10 000 ms). */
  sendTimeoutMs?: number | undefined;
  /** Told of each loss, as the batching sink's `onDrop` (default: a rate-limited process warning). */
  onDrop?: ((dropped: number, stats: SinkStats) => void) | undefined;
}

/**
 * Prints events as they come (on the next turn of the event loop), never holding a call up
 * (docs/events.md#sinks). A batch is printed with one `write`; while the stream is over its
 * high-water mark the next batch waits for `drain`, and events queue (bounded) meanwhile.
 */
export function createConsoleSink(options: ConsoleSinkOptions = {}): EventSink {
  const stream = options.stream ?? process.stdout;
  const format = options.format ?? 'pretty';
  if (format !== 'pretty' && format !== 'json') throw new TypeError(`createConsoleSink: format must be 'pretty' or 'json', got ${String(format)}.`);
  return new BatchingSink({
    name: 'console',
    types: options.types,
    maxQueue: options.maxQueue,
    sendTimeoutMs: options.sendTimeoutMs,
    onDrop: options.onDrop,
    flushIntervalMs: 0,
    // Printing again what a broken stream refused would not help; a batch is printed once or counted as dropped.
    retry: false,
    send: async (batch, { signal }) => {
      if (stream.writableNeedDrain) await drained(stream, signal);
      if (!stream.writable) throw new Error('The console sink cannot print: its stream is closed.');
      writeQuietly(stream, batch.map((record) => (format === 'json' ? JSON.stringify(record) : prettyLine(record))).join('\n') + '\n');
    },
  });
}

/** Resolves when the stream drains; rejects when it closes or fails first, or `signal` aborts (the batch is then dropped, never printed). */
function drained(stream: Writable, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (error?: unknown) => {
      stream.off('drain', onDrain);
      stream.off('close', onClose);
      stream.off('error', onClose);
      signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error instanceof Error ? error : new Error(String(error)));
    };
    const onDrain = () => settle();
    const onClose = () => settle(new Error('The console sink cannot print: its stream closed before it drained.'));
    const onAbort = () => settle(signal.reason);
    stream.once('drain', onDrain);
    stream.once('close', onClose);
    stream.once('error', onClose);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Writes as `console.log` does: a stream error (EPIPE when stdout is piped to `head`) must not
 * crash the app for want of an `'error'` listener; a stream that fails reports not writable, and
 * later batches are dropped and counted.
 */
function writeQuietly(stream: Writable, text: string): void {
  const noop = () => undefined;
  const unheard = stream.listenerCount('error') === 0;
  if (unheard) stream.once('error', noop);
  try {
    // The callback runs before the stream emits its error: keep a listener for that emission.
    stream.write(text, (error) => {
      if (error && stream.listenerCount('error') === 0) stream.once('error', noop);
    });
  } finally {
    if (unheard) stream.off('error', noop);
  }
}

/** One short line: the type, then what matters most of that event. */
export function prettyLine(record: EventRecord | GatewayEvent): string {
  const id = record.requestId ? record.requestId.slice(0, 8) : '-';
  const head = `${record.type.padEnd(20)} ${id}`;
  switch (record.type) {
    case 'request.start':
      return `${head}  ${record.operation} ${record.route}${record.stream ? ' (stream)' : ''}${record.principal ? `  principal=${record.principal.id}` : ''}`;
    case 'request.end':
      return `${head}  ${record.operation} ${record.route}  ${record.provider ?? '-'}/${record.model ?? '-'}  ${record.outcome}  ${Math.round(record.latencyMs)} ms  in=${record.totalUsage?.inputTokens ?? 0} out=${record.totalUsage?.outputTokens ?? 0}  ${usd(record.cost?.usd)}${record.error ? `  ${record.error.code}` : ''}`;
    case 'attempt.end':
      return `${head}  #${record.attempt} ${record.provider}/${record.model}  ${record.outcome}  ${Math.round(record.latencyMs)} ms${record.error ? `  ${record.error.code}` : ''}`;
    case 'attempt.retry':
      return `${head}  #${record.attempt} ${record.provider}/${record.model}  retry in ${Math.round(record.delayMs)} ms  ${record.error.code}`;
    case 'request.fallback':
      return `${head}  ${record.from} -> ${record.to}  ${record.error.code}`;
    case 'deployment.cooldown':
    case 'deployment.recovered':
    case 'deployment.probing':
      return `${head}  ${record.deployment}  ${record.reason}`;
    case 'cache.hit':
    case 'cache.miss':
    case 'cache.store':
      return `${head}  ${record.cache}${record.type === 'cache.hit' && typeof record.savedUsd === 'number' ? `  saved ${usd(record.savedUsd)}` : ''}`;
    case 'guardrail.verdict':
      return `${head}  ${record.guardrail} ${record.phase} ${record.verdict}${record.enforced ? '' : ` (${record.mode})`}  ${Object.entries(record.findings).map(([kind, count]) => `${kind}=${count}`).join(' ')}`;
    case 'access.denied':
      return `${head}  rule=${record.rule}  ${record.target ?? record.route}`;
    case 'limit.exceeded':
      return `${head}  rule=${record.rule}  ${record.action}  ${record.limit}  key=${record.key}`;
    case 'budget.exceeded':
      return `${head}  rule=${record.rule}  ${record.action}  ${record.committed}/${record.limit} ${record.unit}  key=${record.key}`;
    case 'budget.threshold':
      return `${head}  rule=${record.rule}  ${Math.round(record.threshold * 100)}% of ${record.limit} ${record.unit}  key=${record.key}  ${record.period}`;
    case 'residency.denied':
      return `${head}  ${record.route}  allowed=${record.allowed.map((regions) => regions.join('|')).join(' & ')}`;
  }
}

function usd(value: number | null | undefined): string {
  return typeof value === 'number' ? `$${value.toFixed(6)}` : '$?';
}
