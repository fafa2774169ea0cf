/**
 * What the built-in detectors cost on ordinary text: µs of `find` per kilobyte over the
 * false-positive corpus (this repository's docs and comments and the look-alike paragraphs),
 * and ns per `pending` on the tail of a growing text (what a streamed chunk pays), for each PII
 * detector alone and for the scans guardrails build. Medians of five timed passes after one to
 * warm up.
 *
 *   npx tsx --tsconfig=bench/tsconfig.json -e "import('./bench/guardrail-detectors.ts').then(m => m.measureGuardrailDetectors()).then(r => console.table(r))"
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DetectionScan } from '../packages/core/src/guardrails/detection-scan.js';
import { piiDetectors, promptInjectionDetector, secretsDetector } from '../packages/core/src/guardrails/detect/index.js';
import { lookAlikeParagraphs } from '../test/guardrails/corpus/look-alikes.js';
import { median } from './stats.js';

export interface DetectorRow {
  name: string;
  usPerKb: number;
  pendingNs: number;
}

const jsonl = (file: string) =>
  readFileSync(fileURLToPath(new URL(`../test/guardrails/corpus/${file}`, import.meta.url)), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => (JSON.parse(line) as { text: string }).text);

function corpus(): string[] {
  return [...jsonl('own-text.jsonl'), ...lookAlikeParagraphs()];
}

function timed(passes: number, run: () => void): number {
  run();
  const samples: number[] = [];
  for (let i = 0; i < passes; i++) {
    const start = performance.now();
    run();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function measureGuardrailDetectors(): Promise<DetectorRow[]> {
  const paragraphs = corpus();
  const kilobytes = paragraphs.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1024;
  // Tails of a growing text: each paragraph cut at a point inside it, as a stream's chunks leave it.
  const tails = paragraphs.map((text, i) => text.slice(0, Math.min(text.length, 20 + ((i * 37) % 80))));
  const scans = [
    ...Object.entries(piiDetectors).map(([kind, detector]) => ({ name: `pii: ${kind}`, scan: new DetectionScan([detector]) })),
    { name: 'PII (all 7 kinds)', scan: new DetectionScan(Object.values(piiDetectors)) },
    { name: 'secrets', scan: new DetectionScan([secretsDetector]) },
    { name: 'prompt injection', scan: new DetectionScan([promptInjectionDetector]) },
    { name: 'PII + secrets + injection', scan: new DetectionScan([...Object.values(piiDetectors), secretsDetector, promptInjectionDetector]) },
  ];
  let sink = 0;
  return scans.map(({ name, scan }) => {
    const findMs = timed(5, () => {
      for (const text of paragraphs) sink += scan.find(text).length;
    });
    const pendingMs = timed(5, () => {
      for (let round = 0; round < 10; round++) for (const tail of tails) sink += scan.pending(tail);
    });
    if (sink < 0) throw new Error('unreachable');
    return { name, usPerKb: (findMs * 1000) / kilobytes, pendingNs: (pendingMs * 1e6) / (tails.length * 10) };
  });
}
