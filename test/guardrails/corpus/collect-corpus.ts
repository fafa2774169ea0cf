/**
 * Rebuilds own-text.jsonl, the part of the false-positive corpus taken from this repository:
 * paragraphs of README.md and docs/ (prose, tables and code blocks), and the comment blocks of
 * the packages' sources. Run from the repo root: `npx tsx test/guardrails/corpus/collect-corpus.ts`.
 * Left out on purpose: the guardrail and audit docs and the detectors' own sources and tests,
 * which hold examples of what the detectors must find, and paragraphs with a genuine public IP
 * address (`GENUINE`).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = process.cwd();
const EXCLUDED = [/docs\/guardrails\.md$/, /docs\/audit\.md$/, /guardrails\/detect\//, /\.test\.ts$/, /\.test-d\.ts$/, /test-helper/];

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === 'dist' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

/** Genuine findings, not false positives: Google's public DNS address, which the SSRF guard's comments name. */
const GENUINE = /8\.8\.8\.8|808:808/;

const paragraphs: Array<{ source: string; text: string }> = [];
const keep = (source: string, text: string) => {
  const trimmed = text.trim();
  if (GENUINE.test(trimmed)) return;
  // A paragraph: some words, not a lone heading or fence.
  if (trimmed.length < 40 || trimmed.split(/\s+/).length < 6) return;
  paragraphs.push({ source, text: trimmed });
};

const markdown = [join(root, 'README.md'), ...walk(join(root, 'docs')).filter((file) => file.endsWith('.md'))];
for (const file of markdown) {
  const source = relative(root, file);
  if (EXCLUDED.some((pattern) => pattern.test(source))) continue;
  // Blank lines split paragraphs; a fenced block is one paragraph of its own.
  let block: string[] = [];
  let fenced = false;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (/^\s*```/.test(line)) {
      if (fenced) {
        block.push(line);
        keep(source, block.join('\n'));
        block = [];
      } else {
        keep(source, block.join('\n'));
        block = [line];
      }
      fenced = !fenced;
      continue;
    }
    if (!fenced && line.trim() === '') {
      keep(source, block.join('\n'));
      block = [];
    } else block.push(line);
  }
  keep(source, block.join('\n'));
}

const sources = walk(join(root, 'packages')).filter((file) => file.endsWith('.ts') && file.includes('/src/'));
for (const file of sources) {
  const source = relative(root, file);
  if (EXCLUDED.some((pattern) => pattern.test(source))) continue;
  const text = readFileSync(file, 'utf8');
  // JSDoc blocks, without their leading stars.
  for (const match of text.matchAll(/\/\*\*([\s\S]*?)\*\//g)) keep(source, (match[1] ?? '').split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join('\n'));
  // Runs of line comments, joined.
  for (const match of text.matchAll(/(?:^[ \t]*\/\/.*\n){1,}/gm)) keep(source, match[0].split('\n').map((line) => line.replace(/^\s*\/\/ ?/, '')).join('\n'));
}

const seen = new Set<string>();
const unique = paragraphs.filter(({ text }) => !seen.has(text) && seen.add(text));
writeFileSync(join(root, 'test/guardrails/corpus/own-text.jsonl'), unique.map((paragraph) => JSON.stringify(paragraph)).join('\n') + '\n');
console.log(`${unique.length} paragraphs`);
