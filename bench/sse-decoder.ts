/**
 * The SSE decoder on hostile and normal input, in process (no I/O):
 *
 * - one `data:` line of 1, 10 and 100 MB with no line end until the last read, fed in
 *   64 KiB reads (what a socket delivers), with the limit raised out of the way: linear
 *   decoding keeps the time per MB flat;
 * - the same lines, and 1 MiB data lines with no blank line, against the default 16 MiB
 *   limit: how soon the decoder gives up;
 * - a normal 50-chunk OpenAI stream, one event per read and in 100-byte reads: the
 *   per-chunk cost of the hot path.
 *
 * `npx tsx --tsconfig bench/tsconfig.json bench/sse-decoder.ts` (add `--expose-gc` through
 * `NODE_OPTIONS` for steadier large-line figures).
 */
import { ServerSentEventDecoder } from '../packages/core/src/adapter/server-sent-events.js';

const READ = 64 * 1024;
const MB = 1024 * 1024;
const ROUNDS = 3;
const encoder = new TextEncoder();

/** One `data:` line of `total` filler bytes in 64 KiB reads, then its line end and blank line. */
function longLine(total: number): Uint8Array[] {
  const filler = new Uint8Array(READ).fill(0x61);
  const out = [encoder.encode('data: ')];
  for (let sent = 0; sent < total; sent += READ) out.push(filler.subarray(0, Math.min(READ, total - sent)));
  out.push(encoder.encode('\n\n'));
  return out;
}

/** `count` data lines of 1 MiB with no blank line between them. */
function manyLines(count: number): Uint8Array[] {
  const line = encoder.encode(`data: ${'b'.repeat(MB - 7)}\n`);
  return Array.from({ length: count }, () => line);
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
}

/** Median wall time of feeding `reads` to a fresh decoder, and how it ended. */
function feed(reads: readonly Uint8Array[], maxEventBytes?: number): { ms: number; outcome: string } {
  const times: number[] = [];
  let outcome = '';
  for (let round = 0; round < ROUNDS; round++) {
    (globalThis as { gc?: () => void }).gc?.();
    const decoder = new ServerSentEventDecoder(maxEventBytes === undefined ? {} : { maxEventBytes });
    const t0 = performance.now();
    try {
      let events = 0;
      for (const read of reads) events += decoder.decode(read).length;
      outcome = `${events} event`;
    } catch (error) {
      outcome = `rejected (${(error as Error).name})`;
    }
    times.push(performance.now() - t0);
  }
  return { ms: median(times), outcome };
}

function normalStream(split: boolean): number {
  const chunk = (content: string) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model: 'gpt-bench', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\n\n`;
  const text = [...Array.from({ length: 50 }, (_, i) => chunk(`word${i} `)), 'data: [DONE]\n\n'].join('');
  const reads = split
    ? Array.from({ length: Math.ceil(text.length / 100) }, (_, i) => encoder.encode(text.slice(i * 100, i * 100 + 100)))
    : text.split(/(?<=\n\n)/).map((event) => encoder.encode(event));
  const once = () => {
    const decoder = new ServerSentEventDecoder();
    for (const read of reads) decoder.decode(read);
  };
  for (let i = 0; i < 3000; i++) once(); // warm-up
  const runs: number[] = [];
  for (let round = 0; round < 9; round++) {
    const t0 = performance.now();
    for (let i = 0; i < 3000; i++) once();
    runs.push(((performance.now() - t0) * 1000) / 3000 / 51);
  }
  return median(runs);
}

const out = (line: string) => process.stdout.write(`${line}\n`);
out(`normal 50-chunk stream, one event per read: ${normalStream(false).toFixed(3)} µs per chunk`);
out(`normal 50-chunk stream, 100-byte reads:     ${normalStream(true).toFixed(3)} µs per chunk`);
for (const size of [1, 10, 100]) {
  const { ms, outcome } = feed(longLine(size * MB), 512 * MB);
  out(`${String(size).padStart(3)} MB line, limit raised to 512 MiB: ${ms.toFixed(1).padStart(8)} ms  ${(ms / size).toFixed(2).padStart(6)} ms/MB  ${outcome}`);
}
for (const size of [1, 10, 100]) {
  const { ms, outcome } = feed(longLine(size * MB));
  out(`${String(size).padStart(3)} MB line, default limit:           ${ms.toFixed(1).padStart(8)} ms  ${outcome}`);
}
const { ms, outcome } = feed(manyLines(600));
out(`600 data lines of 1 MiB, no blank line, default limit: ${ms.toFixed(1)} ms  ${outcome}`);
