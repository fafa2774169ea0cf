/**
 * `pnpm example:audit`: a tamper-evident audit log, offline. A gateway on a mock OpenAI server
 * with a PII guardrail and an access rule writes one HMAC-chained line per request to a
 * temporary file: a call whose email address is redacted, a call refused by the access rule,
 * a streamed call. Then the log is verified, one byte of it is changed, and the verification
 * names the line that was tampered with.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAuditLog, createGateway, verifyAuditLog } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const server = await startMockServer();
server.setFallback({ content: 'Noted.', usage: { input: 40, output: 12 } });
const dir = await mkdtemp(join(tmpdir(), 'switchyard-audit-example-'));
const path = join(dir, 'audit.jsonl');
// In production the key comes from a secret store, never from the log's own storage.
const key = 'example-audit-key-of-at-least-32-bytes!';

const gateway = createGateway({
  providers: { openai: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: server.baseURL }) }) },
  governance: { access: { rules: [{ name: 'no-contractors', when: { roles: 'contractor' }, effect: 'deny' }] } },
  guardrails: [{ name: 'pii', type: 'pii', on: 'input' }],
  audit: { log: createAuditLog({ path, key }), content: true },
});

const ana = { id: 'ana', teams: ['support'], roles: ['staff'] };
await gateway.chat.completions.create({ model: 'openai/gpt-4.1-mini', messages: [{ role: 'user', content: 'Reply to jane.roe@acme-mail.org about her refund.' }] }, { principal: ana });
await gateway.chat.completions
  .create({ model: 'openai/gpt-4.1-mini', messages: [{ role: 'user', content: 'hello' }] }, { principal: { id: 'carl', roles: ['contractor'] } })
  .catch((error: unknown) => console.log(`refused: ${(error as Error).name}`));
const stream = await gateway.chat.completions.create({ model: 'openai/gpt-4.1-mini', messages: [{ role: 'user', content: 'Stream a short note.' }], stream: true }, { principal: ana });
for await (const chunk of stream) void chunk;
await gateway.close();
await server.close();

const text = await readFile(path, 'utf8');
for (const line of text.trim().split('\n')) {
  const record = JSON.parse(line) as { seq: number; principal: { id: string } | null; outcome: string; decisions: Array<{ kind: string }>; content: unknown };
  console.log(`line ${record.seq}: ${record.principal?.id ?? '-'} ${record.outcome}; decisions: ${record.decisions.map((d) => d.kind).join(', ') || 'none'}; content: ${JSON.stringify(record.content)}`);
}
console.log('verified:', await verifyAuditLog(path, { key }));

// Change one character of the second line: the verification names that line.
const lines = text.split('\n');
lines[1] = (lines[1] as string).replace('"outcome":"error"', '"outcome":"errar"');
await writeFile(path, lines.join('\n'));
const tampered = await verifyAuditLog(path, { key });
console.log(`after tampering: ok=${tampered.ok}, first broken line ${tampered.firstBroken?.line} (${tampered.firstBroken?.reason})`);
await rm(dir, { recursive: true, force: true });
