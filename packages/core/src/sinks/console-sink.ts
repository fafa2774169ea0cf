// A sink that prints events, one line each: a short human line, or the JSON record; it waits for the stream to drain rather than pile up output.
import type { Writable } from 'node:stream';
import type { GatewayEvent, GatewayEventType } from '../events/events.js';
import { BatchingSink } from './batching-sink.js';
import type { EventSink } from './event-sink.js';
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
}

/** Prints events as they come, a few milliseconds later, never holding a call up (docs/events.md#sinks). */
export function createConsoleSink(options: ConsoleSinkOptions = {}): EventSink {
  const stream = options.stream ?? process.stdout;
  const format = options.format ?? 'pretty';
  return new BatchingSink({
    name: 'console',
    types: options.types,
    maxQueue: options.maxQueue,
    flushIntervalMs: 20,
    retry: false,
    send: (batch) => {
      const text = batch.map((record) => (format === 'json' ? JSON.stringify(record) : prettyLine(record))).join('\n') + '\n';
      // A slow terminal or pipe: wait for it to drain; meanwhile events queue (bounded) instead of buffering without end.
      return new Promise<void>((resolve, reject) => {
        const done = (error?: Error | null) => (error ? reject(error) : undefined);
        if (stream.write(text, done)) resolve();
        else stream.once('drain', () => resolve());
      });
    },
  });
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
