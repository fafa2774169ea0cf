#!/usr/bin/env node
// The `switchyard` command's entry: runs the command line and exits with its code; a closed stdout (`| head`) ends it quietly.
import { readFileSync } from 'node:fs';
import { EXIT, runCli } from './cli.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };

// `switchyard report … | head`: the reader left, nobody wants the rest. Exit 0 at once, as common CLIs do, instead of an unhandled 'error' event.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(EXIT.ok);
  process.stderr.write(`switchyard: could not write to stdout: ${error.code ?? error.message}\n`);
  process.exit(EXIT.inputError);
});

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, version: typeof manifest.version === 'string' ? manifest.version : 'unknown' }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`switchyard: unexpected failure (a bug: please report it): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = EXIT.internalError;
  },
);
