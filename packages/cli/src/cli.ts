// The `switchyard` command: argument parsing (node:util parseArgs), help, and `report` wired to text, JSON or HTML output with exit codes.
import { writeFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createReport, toTime } from './create-report.js';
import { InputReadError } from './read-inputs.js';
import { DEFAULT_TOP, GROUPINGS, type Grouping } from './report-model.js';
import { renderHtml } from './render-html.js';
import { describeMalformed, renderText } from './render-text.js';
import { shouldShowProgress, startProgressBar, type ProgressBar } from './progress.js';
import { selectGroupings } from './usage-aggregator.js';

/** Exit codes: 0 done, 1 an input (or the HTML file) could not be read (written), 2 the command line is wrong, 70 an internal error (a bug: bin.ts). */
export const EXIT = { ok: 0, inputError: 1, usageError: 2, internalError: 70 } as const;

export interface CliIo {
  stdin: Readable;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** The package's version, for `--version`. */
  version: string;
}

export const MAIN_HELP = `Usage: switchyard <command> [options]

Commands:
  report [FILE ...]   usage report (cost, tokens, requests, errors, cache, latency)
                      from usage events (JSONL sink) or the audit log

Options:
  -h, --help          show this help (switchyard report --help for the report's)
  -v, --version       print the version
`;

export const REPORT_HELP = `Usage: switchyard report [FILE ...] [options]

Reads usage event records ({"v":1,"type":"request.end",...}, as createJsonlSink writes them)
or audit log lines, from each FILE in order, or from stdin when no FILE is given or FILE is -.

Options:
  --from ISO          count requests at or after this time (2026-01-31 or 2026-01-31T12:00:00Z; UTC
                      unless an offset is given). Default: no lower bound
  --to ISO            count requests before this time (exclusive). Default: no upper bound
  --by LIST           groupings, comma-separated, in order: ${GROUPINGS.join(',')}
                      Default: all of them. A request with several teams or tags counts in each
  --top N             keep the N most requested keys per grouping (principals, tags, ...) and sum
                      the rest into one "(other)" row: memory stays bounded. Default: ${DEFAULT_TOP}
  --json              print the report as JSON (a stable shape with a "version" field) instead of text
  --html FILE         also write a self-contained HTML page (charts and tables) to FILE
  --no-progress       no progress bar (it is shown on stderr only when stderr is a terminal)
  -h, --help          show this help

Latency percentiles are approximate (within 1%). Malformed lines are listed on stderr (file:line,
the first 20) and skipped; the rest is counted. HMACs of audit lines are not checked: use
verifyAuditLog from @switchyard/core for that.

Exit codes: 0 done (also when stdout is closed early, as by | head), 1 an input could not be read
(or FILE of --html not written), 2 bad arguments, 70 internal error (a bug: please report it).
`;

class UsageError extends Error {}

/** Runs the command line `argv` (without node and the script) and resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const fail = (message: string, help: string) => {
    io.stderr.write(`switchyard: ${message}\n\n${help}`);
    return EXIT.usageError;
  };
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    (command === undefined ? io.stderr : io.stdout).write(MAIN_HELP);
    return command === undefined ? EXIT.usageError : EXIT.ok;
  }
  if (command === '-v' || command === '--version') {
    io.stdout.write(`${io.version}\n`);
    return EXIT.ok;
  }
  if (command !== 'report') return fail(command.startsWith('-') ? `unknown option '${command}'` : `unknown command '${command}'`, MAIN_HELP);
  let options: ReportArgs;
  try {
    options = parseReportArgs(rest);
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) return fail(error.message, REPORT_HELP);
    throw error;
  }
  if (options.help) {
    io.stdout.write(REPORT_HELP);
    return EXIT.ok;
  }
  return report(options, io);
}

interface ReportArgs {
  files: string[];
  from: string | undefined;
  to: string | undefined;
  by: Grouping[];
  top: number;
  json: boolean;
  html: string | undefined;
  noProgress: boolean;
  help: boolean;
}

function parseReportArgs(args: readonly string[]): ReportArgs {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      by: { type: 'string' },
      top: { type: 'string' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      'no-progress': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const by = values.by === undefined ? [...GROUPINGS] : parseGroupings(values.by);
  try {
    toTime(values.from, 'from');
    toTime(values.to, 'to');
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.html === '') throw new UsageError('--html needs a file path');
  const top = values.top === undefined ? DEFAULT_TOP : /^\d+$/.test(values.top) ? Number(values.top) : Number.NaN;
  if (!Number.isSafeInteger(top) || top < 1) throw new UsageError(`--top takes a positive whole number of keys per grouping; got '${values.top ?? ''}'`);
  return { files: positionals, from: values.from, to: values.to, by, top, json: values.json, html: values.html, noProgress: values['no-progress'], help: values.help };
}

function parseGroupings(text: string): Grouping[] {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(GROUPINGS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new UsageError(`--by takes a comma-separated list of ${GROUPINGS.join(', ')}; got '${text}'`);
  return [...new Set(names as Grouping[])];
}

async function report(options: ReportArgs, io: CliIo): Promise<number> {
  let bar: ProgressBar | undefined;
  let full;
  try {
    full = await createReport({
      inputs: options.files,
      from: options.from,
      to: options.to,
      top: options.top,
      stdin: io.stdin,
      onStart: (totalBytes) => {
        if (totalBytes !== null && shouldShowProgress({ noProgress: options.noProgress, stderrIsTTY: io.stderr.isTTY === true, totalBytes })) bar = startProgressBar(io.stderr, totalBytes);
      },
      onProgress: (bytesRead) => bar?.update(bytesRead),
    });
  } catch (error) {
    bar?.stop();
    if (error instanceof InputReadError) {
      io.stderr.write(`switchyard report: ${error.message}\n`);
      return EXIT.inputError;
    }
    throw error;
  }
  bar?.stop();
  const selected = selectGroupings(full, options.by);
  for (const line of describeMalformed(full)) io.stderr.write(`${line}\n`);
  if (options.html !== undefined) {
    try {
      await writeFile(options.html, renderHtml(full, options.by));
    } catch (error) {
      io.stderr.write(`switchyard report: could not write ${options.html}: ${error instanceof Error ? error.message : String(error)}\n`);
      return EXIT.inputError;
    }
    io.stderr.write(`switchyard report: wrote ${options.html}\n`);
  }
  io.stdout.write(options.json ? `${JSON.stringify(selected, null, 2)}\n` : renderText(selected));
  return EXIT.ok;
}
