#!/usr/bin/env node
// The `switchyard` command's entry: runs the command line and exits with its code.
import { readFileSync } from 'node:fs';
import { runCli } from './cli.js';

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version?: unknown };

runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, version: typeof manifest.version === 'string' ? manifest.version : 'unknown' }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`switchyard: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
