// A child process for the kill test: appends records from 16 concurrent appenders until killed, printing each acknowledged seq.
import { createAuditLog } from '../../packages/core/src/audit/index.js';

const [path, key] = process.argv.slice(2);
if (path === undefined || key === undefined) throw new Error('usage: append-until-killed.ts <path> <key>');

const log = createAuditLog({ path, key, rotate: { maxBytes: 16 * 1024 } });
let next = 0;

async function appender(): Promise<void> {
  for (;;) {
    const ack = await log.append({ event: 'request.end', pid: process.pid, n: next++, model: 'gpt-4o', padding: 'x'.repeat(200) });
    // A pipe's write is synchronous on Linux: once this returns, the parent can read the seq even if we die next.
    process.stdout.write(`${ack.seq}\n`);
  }
}

for (let i = 0; i < 16; i++) {
  appender().catch((error: unknown) => {
    process.stderr.write(`${String(error)}\n`);
    process.exit(1);
  });
}
