/**
 * `tsx bench/report-memory.ts`: the report's memory and throughput on a ~1 GB and a ~100 MB usage
 * log (not part of `pnpm bench` or the tests). Each log is generated in a temp dir, streamed to
 * disk; then the built CLI (`pnpm --filter @switchyard/cli build` first) reads it in a child
 * process, which prints its peak RSS (`process.resourceUsage().maxRSS`) at exit. Memory should not
 * grow with the log's size: state grows with distinct group keys only. The temp files are deleted.
 * `--heap-mb=64` runs the reports with the V8 heap capped at 64 MB.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const bin = join(root, 'packages/cli/dist/bin.js');
if (!existsSync(bin)) throw new Error(`${bin} is missing: run pnpm --filter @switchyard/cli build first`);

const TEAMS = ['support', 'search', 'billing', 'growth', 'ml', 'infra'];
const MODELS = ['openai/gpt-4.1-mini', 'openai/gpt-4.1', 'anthropic/claude-sonnet-4-6', 'gcp.gemini/gemini-2.5-flash'];

/** Writes request.end records (and a fallback or cache hit now and then) until the file reaches `bytes`. */
async function generate(path: string, bytes: number): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  let written = 0;
  let index = 0;
  const start = Date.UTC(2026, 0, 1);
  while (written < bytes) {
    let chunk = '';
    for (let line = 0; line < 2_000; line += 1, index += 1) {
      const requestId = `req-${index.toString(36)}`;
      const timestamp = start + index * 250; // four requests a second: a 1 GB log spans about three weeks
      const [provider, model] = (MODELS[index % MODELS.length] ?? 'openai/gpt-4.1').split('/');
      if (index % 13 === 0) chunk += `${JSON.stringify({ v: 1, type: 'request.fallback', requestId, timestamp, from: 'primary/x', to: `${provider}/${model}`, error: { name: 'ProviderError', code: 'provider_error', message: 'upstream failed', retryable: true } })}\n`;
      if (index % 11 === 0) chunk += `${JSON.stringify({ v: 1, type: 'cache.hit', requestId, timestamp, cache: 'exact', namespace: 'default', key: 'k', savedUsd: 0.0004, provider, model })}\n`;
      const inputTokens = 200 + (index % 3_000);
      const outputTokens = 20 + (index % 400);
      const usage = { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 };
      chunk += `${JSON.stringify({
        v: 1,
        type: 'request.end',
        requestId,
        timestamp,
        operation: 'chat',
        route: index % 2 === 0 ? 'fast' : 'smart',
        stream: false,
        outcome: index % 29 === 0 ? 'error' : 'success',
        provider,
        model,
        attempts: 1,
        served: 'provider',
        usage,
        totalUsage: usage,
        cost: { usd: (inputTokens * 2 + outputTokens * 8) / 1e6, estimated: false },
        providerRequestId: `prov-${index}`,
        latencyMs: 20 + ((index * 7919) % 4_000),
        timeToFirstChunkMs: undefined,
        principal: { id: `user-${index % 500}`, teams: [TEAMS[index % TEAMS.length], TEAMS[(index >> 3) % TEAMS.length]] },
        metadata: { session: `s-${index % 1000}` },
        tags: [`tag-${index % 20}`],
      })}\n`;
    }
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  out.end();
  await new Promise<void>((resolve, reject) => out.once('finish', resolve).once('error', reject));
}

/** `--heap-mb=N` caps the child's V8 heap (`--max-old-space-size`): a run that completes under a small cap shows the state is bounded, whatever RSS the collector lets grow. */
const heapFlag = process.argv.find((arg) => arg.startsWith('--heap-mb='));
const heapCap = heapFlag ? [`--max-old-space-size=${heapFlag.slice('--heap-mb='.length)}`] : [];

/** Runs `switchyard report FILE --json` and returns its peak RSS (from the child itself) and wall time. */
function report(path: string): Promise<{ maxRssMb: number; seconds: number; requests: number }> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const preload = `data:text/javascript,process.on('exit',()=>process.stderr.write('MAXRSS_KB '+process.resourceUsage().maxRSS+'\\n'))`;
    const child = spawn(process.execPath, [...heapCap, '--import', preload, bin, 'report', path, '--json', '--no-progress'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', fail);
    child.once('close', (code) => {
      const rss = /MAXRSS_KB (\d+)/.exec(stderr);
      if (code !== 0 || !rss) return fail(new Error(`report exited ${code}: ${stderr}`));
      const parsed = JSON.parse(stdout) as { totals: { requests: number } };
      done({ maxRssMb: Number(rss[1]) / 1024, seconds: (performance.now() - started) / 1000, requests: parsed.totals.requests });
    });
  });
}

const dir = await mkdtemp(join(tmpdir(), 'switchyard-report-memory-'));
try {
  for (const target of [100 * 1024 * 1024, 1024 * 1024 * 1024]) {
    const path = join(dir, `usage-${target}.jsonl`);
    await generate(path, target);
    const size = (await stat(path)).size;
    const result = await report(path);
    const mb = size / 1024 / 1024;
    console.log(`${mb.toFixed(0).padStart(5)} MB, ${result.requests.toLocaleString('en-US')} requests: peak RSS ${result.maxRssMb.toFixed(0)} MB, ${result.seconds.toFixed(1)} s, ${(mb / result.seconds).toFixed(1)} MB/s`);
    await rm(path, { force: true });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
