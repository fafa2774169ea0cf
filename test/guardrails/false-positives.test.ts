/**
 * Zero false positives on ordinary text: every built-in detector runs over the corpus
 * (test/guardrails/corpus: this repository's docs and source comments, and generated and
 * hand-written look-alike paragraphs in many languages) and must find nothing, and no
 * paragraph may score as a prompt injection.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { injectionScore, keywordTopicsDetector, piiDetectors, PROMPT_INJECTION_THRESHOLD, secretsDetector } from '../../packages/core/src/guardrails/detect/index.js';
import { lookAlikeParagraphs } from './corpus/look-alikes.js';

const own = readFileSync(fileURLToPath(new URL('./corpus/own-text.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { source: string; text: string });
const corpus = [...own.map(({ source, text }) => ({ source, text })), ...lookAlikeParagraphs().map((text, index) => ({ source: `look-alike #${index}`, text }))];

describe('the false-positive corpus', () => {
  it('holds at least 1,000 ordinary paragraphs', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(1000);
  });

  it.each([...Object.entries(piiDetectors), ['secrets', secretsDetector] as const])('%s finds nothing in any paragraph', (_name, detector) => {
    const found = corpus.flatMap(({ source, text }) => detector.find(text).map((detection) => `${source}: ${detection.type} ${JSON.stringify(text.slice(detection.start, detection.end))}`));
    expect(found).toEqual([]);
  });

  it('no paragraph scores as a prompt injection', () => {
    const flagged = corpus.filter(({ text }) => injectionScore(text) >= PROMPT_INJECTION_THRESHOLD).map(({ source, text }) => `${source}: ${text.slice(0, 120)}`);
    expect(flagged).toEqual([]);
  });

  it('a topic list matches whole words only', () => {
    const topics = keywordTopicsDetector([{ topic: 'weapons', keywords: ['gun', 'rifle'] }]);
    const found = corpus.flatMap(({ source, text }) => topics.find(text).map((detection) => `${source}: ${text.slice(detection.start - 10, detection.end + 10)}`));
    // "begun", "shotgun" and "Gunnar" are not the word: nothing in the corpus talks about guns.
    expect(found).toEqual([]);
  });
});
