// The `switchyard` command as a child process (tsx on src/bin.ts): help, version, exit codes, stdin, --json's shape, malformed lines on stderr.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageRecords } from './usage-log-generator.js';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const tsx = join(root, 'node_modules/.bin/tsx');
const bin = join(root, 'packages/cli/src/bin.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: readonly string[], stdin?: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = execFile(tsx, [bin, ...args], { cwd: root, timeout: 30_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') return fail(error);
      done({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
    if (stdin !== undefined) child.stdin?.end(stdin);
    else child.stdin?.end();
  });
}

let dir: string;
let log: string;
let lines: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'switchyard-cli-'));
  log = join(dir, 'usage.jsonl');
  lines = [...usageRecords({ requests: 300, days: 3, seed: 9 })].map((record) => JSON.stringify(record));
  // Line 3 cut by a crash, line 6 not a record of either format.
  lines.splice(2, 0, '{"v":1,"type":"request.end","requestId":"cut');
  lines.splice(5, 0, '{"hello":"world"}');
  await writeFile(log, `${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('switchyard (child process)', () => {
  it('prints the usage with --help and the version with --version', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: switchyard <command>');
    const reportHelp = await run(['report', '--help']);
    expect(reportHelp.code).toBe(0);
    for (const flag of ['--from', '--to', '--by', '--top', '--json', '--html', '--no-progress']) expect(reportHelp.stdout).toContain(flag);
    const version = await run(['--version']);
    const manifest = JSON.parse(await readFile(join(root, 'packages/cli/package.json'), 'utf8')) as { version: string };
    expect(version).toEqual({ code: 0, stdout: `${manifest.version}\n`, stderr: '' });
  }, 60_000);

  it('exits 2 with a clear message for an unknown flag, a bad --by, a bad --from and an unknown command', async () => {
    const unknown = await run(['report', '--frm', '2026-01-01', log]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--frm'");
    expect(unknown.stderr).toContain('Usage: switchyard report');
    const by = await run(['report', '--by', 'team,colour', log]);
    expect(by.code).toBe(2);
    expect(by.stderr).toContain("--by takes a comma-separated list of principal, team, tag, model, route, day; got 'team,colour'");
    const from = await run(['report', '--from', 'last tuesday', log]);
    expect(from.code).toBe(2);
    expect(from.stderr).toContain("--from must be an ISO date or date-time");
    const command = await run(['reprot']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'reprot'");
  }, 60_000);

  it('exits 1 when an input cannot be read, naming it', async () => {
    const missing = join(dir, 'nope.jsonl');
    const result = await run(['report', log, missing]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not read ${missing}: ENOENT`);
    expect(result.stdout).toBe('');
  }, 30_000);

  it('prints the text report, and lists malformed lines by file:line on stderr while counting the rest (exit 0)', async () => {
    const result = await run(['report', log, '--by', 'team,day']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Totals\n  requests     300\n');
    expect(result.stdout).toContain('By team (a request with several teams counts in each)');
    expect(result.stdout).toMatch(/By day \(UTC\)\n {2}day +requests +errors +fallbacks +input tok +output tok +cost USD +cache hits +saved USD +p50 +p90 +p99/);
    expect(result.stdout).not.toContain('By model');
    expect(result.stderr).toContain('2 malformed lines (not JSON, or not a known record) skipped:');
    expect(result.stderr).toContain(`${log}:3: not JSON`);
    expect(result.stderr).toContain(`${log}:6: neither a usage event record`);
  }, 30_000);

  it('reads stdin when no file is given, and with -', async () => {
    const input = `${lines.join('\n')}\n`;
    for (const args of [['report', '--json'], ['report', '-', '--json']]) {
      const result = await run(args, input);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { totals: { requests: number }; inputs: Array<{ name: string }>; malformed: { first: Array<{ file: string; line: number }> } };
      expect(report.totals.requests).toBe(300);
      expect(report.inputs.map((input) => input.name)).toEqual(['-']);
      expect(report.malformed.first.map((line) => `${line.file}:${line.line}`)).toEqual(['-:3', '-:6']);
    }
  }, 60_000);

  it('prints the documented JSON shape with --json', async () => {
    const result = await run(['report', log, '--json', '--by', 'model,team', '--from', '2026-01-02']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(['folding', 'generatedAt', 'groupings', 'groups', 'inputs', 'latencyHistogram', 'lines', 'malformed', 'percentiles', 'range', 'totals', 'unattributed', 'version'].sort());
    expect(report.version).toBe(1);
    expect(report.groupings).toEqual(['model', 'team']);
    expect(Object.keys(report.groups as object)).toEqual(['model', 'team']);
    expect(report.range).toEqual({ from: '2026-01-02T00:00:00.000Z', to: null });
    expect(report.percentiles).toEqual({ approximate: true, relativeError: 0.01 });
    const totals = report.totals as Record<string, unknown>;
    expect(Object.keys(totals).sort()).toEqual(['cacheHits', 'cacheSavedUsd', 'costUsd', 'errorRate', 'errors', 'fallbackRate', 'fallbacks', 'inputTokens', 'latencyMs', 'outputTokens', 'requests', 'unpricedRequests'].sort());
    expect(Object.keys(totals.latencyMs as object).sort()).toEqual(['max', 'p50', 'p90', 'p99']);
    const model = (report.groups as { model: Array<Record<string, unknown>> }).model[0];
    expect(typeof model?.key).toBe('string');
    expect(report.malformed).toMatchObject({ count: 2 });
    expect((report.lines as { outOfRange: number }).outOfRange).toBeGreaterThan(0);
  }, 30_000);

  it('writes no progress bar when stderr is not a terminal', async () => {
    const result = await run(['report', log, '--json']);
    expect(result.stderr).not.toContain('reading |');
  }, 30_000);

  it('exits 1 when the --html file cannot be written', async () => {
    const result = await run(['report', log, '--html', join(dir, 'no-such-dir', 'report.html')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('could not write');
  }, 30_000);
});

