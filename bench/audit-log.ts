// What the audit log costs: appends per second with group commit (sync 'always') and without syncs, fdatasyncs per line, CPU per line.
//
// `npx tsx --tsconfig bench/tsconfig.json bench/audit-log.ts` (writes to the OS temp directory, on its file system).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeAuditIo, type AuditIo } from '../packages/core/src/audit/audit-io.js';
import { checkLine, formatLine, GENESIS_MAC, serializeRecord } from '../packages/core/src/audit/audit-line.js';
import { createAuditLogWithIo } from '../packages/core/src/audit/audit-log.js';
import { secretKeyOf } from '../packages/core/src/audit/audit-options.js';

export interface AuditLogRow {
  name: string;
  value: number;
  unit: string;
}

const KEY = 'bench-audit-key-'.repeat(2);

const RECORD_BYTES = 600;

/** A per-request record as the gateway might write it, with `note` of `padding` characters. */
function recordOf(i: number, padding: number): Record<string, unknown> {
  return {
    event: 'request.end',
    requestId: `req_${i.toString(36).padStart(12, '0')}`,
    principal: { id: 'user-4821', teams: ['research', 'platform'], roles: ['staff'] },
    route: 'chat-default',
    provider: 'openai',
    model: 'gpt-4o-2024-08-06',
    operation: 'chat',
    stream: false,
    status: 'ok',
    attempts: [{ provider: 'openai', model: 'gpt-4o-2024-08-06', status: 200, latencyMs: 812, retry: false }],
    usage: { inputTokens: 1532, outputTokens: 287, cachedInputTokens: 1024, totalTokens: 1819 },
    costUsd: 0.0067215,
    latencyMs: 845,
    cache: { exact: 'miss', semantic: 'skipped' },
    region: 'eu-west-1',
    tags: ['app:assistant', 'env:prod'],
    note: 'n'.repeat(padding),
  };
}
const PADDING = Math.max(0, RECORD_BYTES - JSON.stringify(recordOf(0, 0)).length);
/** A typical record: about 600 bytes of JSON (the padding counted once, not on every call measured). */
const typicalRecord = (i: number) => recordOf(i, PADDING);

/** Appends `total` records from `concurrency` appenders; appends per second and lines per fdatasync. */
async function appendRate(sync: 'always' | 'none', total: number, concurrency: number): Promise<{ perSecond: number; linesPerSync: number }> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-audit-bench-'));
  let syncs = 0;
  const io: AuditIo = { ...nodeAuditIo, datasync: (handle) => ((syncs += 1), nodeAuditIo.datasync(handle)) };
  try {
    const log = createAuditLogWithIo({ path: join(dir, 'audit.jsonl'), key: KEY, sync }, io);
    await log.open();
    let next = 0;
    const start = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) await log.append(typicalRecord(next++));
      }),
    );
    const seconds = (performance.now() - start) / 1000;
    const during = syncs;
    await log.close();
    return { perSecond: total / seconds, linesPerSync: during === 0 ? Number.POSITIVE_INFINITY : total / during };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** CPU microseconds per call of `op` (user + system), median of 5 rounds after a warm-up. */
function cpuMicros(op: (i: number) => void, calls: number): number {
  for (let i = 0; i < calls / 4; i++) op(i);
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < calls; i++) op(i);
    const used = process.cpuUsage(before);
    rounds.push((used.user + used.system) / calls);
  }
  return [...rounds].sort((a, b) => a - b)[2] as number;
}

export async function measureAuditLog(quick = false): Promise<AuditLogRow[]> {
  const scale = quick ? 0.25 : 1;
  const key = secretKeyOf(KEY);
  const recordBytes = serializeRecord(typicalRecord(0)).length;
  const lineBytes = formatLine(key, { seq: 0, mac: GENESIS_MAC }, new Date().toISOString(), serializeRecord(typicalRecord(0))).text.length;
  let previous = { seq: 0, mac: GENESIS_MAC };
  const time = new Date().toISOString();
  const lines: string[] = [];
  const format = cpuMicros((i) => {
    const line = formatLine(key, previous, time, serializeRecord(typicalRecord(i)));
    previous = { seq: previous.seq + 1, mac: line.mac };
    if (lines.length < 1000) lines.push(line.text.slice(0, -1));
  }, 20_000 * scale);
  const verify = cpuMicros((i) => checkLine(key, lines[i % lines.length] as string), 20_000 * scale);
  const grouped = await appendRate('always', 20_000 * scale, 64);
  const sequential = await appendRate('always', 400 * scale, 1);
  const unsynced = await appendRate('none', 50_000 * scale, 64);
  return [
    { name: 'record JSON size (typical per-request record)', value: recordBytes, unit: 'bytes' },
    { name: 'line size on disk', value: lineBytes, unit: 'bytes' },
    { name: 'CPU per line written (record JSON + HMAC-SHA256 + line)', value: format, unit: 'µs' },
    { name: 'CPU per line verified (HMAC-SHA256 + JSON.parse + zod)', value: verify, unit: 'µs' },
    { name: "appends/s, sync 'always', 64 concurrent appenders (group commit)", value: grouped.perSecond, unit: 'appends/s' },
    { name: "lines per fdatasync, sync 'always', 64 concurrent appenders", value: grouped.linesPerSync, unit: 'lines' },
    { name: "appends/s, sync 'always', 1 appender (one fdatasync per line)", value: sequential.perSecond, unit: 'appends/s' },
    { name: "appends/s, sync 'none', 64 concurrent appenders", value: unsynced.perSecond, unit: 'appends/s' },
  ];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const row of await measureAuditLog(process.argv.includes('--quick'))) {
    process.stdout.write(`${row.name.padEnd(72)} ${row.value.toFixed(row.value < 100 ? 2 : 0).padStart(10)} ${row.unit}\n`);
  }
}
