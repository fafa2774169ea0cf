/**
 * Zero false positives on ordinary text: every built-in detector runs over the corpus
 * (test/guardrails/corpus, see SOURCES.md there: this repository's docs and source comments,
 * generated and hand-written look-alike paragraphs in many
 * languages, and the recorded provider fixtures' assistant texts when present) and must find
 * nothing, and no paragraph may score as a prompt injection. A failure names the paragraph
 * (its source, or its index among the look-alikes) and what was found.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { injectionScore, keywordTopicsDetector, piiDetectors, PROMPT_INJECTION_THRESHOLD, secretsDetector } from '../../packages/core/src/guardrails/detect/index.js';
import { lookAlikeParagraphs } from './corpus/look-alikes.js';

const own = readFileSync(fileURLToPath(new URL('./corpus/own-text.jsonl', import.meta.url)), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line) as { source: string; text: string });
const corpus = [
  ...own.map(({ source, text }) => ({ source, text })),
  ...lookAlikeParagraphs().map((text, index) => ({ source: `look-alike #${index}`, text })),
  ...fixtureTexts(),
];

/**
 * The assistant texts (and reasoning, and the base64 signatures beside them) of the recorded
 * provider responses in ../shared/fixtures/providers, read there (its README asks that they
 * not be copied); none when the folder is absent, as in a clone of this repository alone.
 */
function fixtureTexts(): Array<{ source: string; text: string }> {
  const folder = fileURLToPath(new URL('../../../shared/fixtures/providers/', import.meta.url));
  if (!existsSync(folder)) return [];
  const texts: Array<{ source: string; text: string }> = [];
  for (const provider of readdirSync(folder, { withFileTypes: true }).filter((entry) => entry.isDirectory())) {
    for (const file of readdirSync(join(folder, provider.name))) {
      const raw = readFileSync(join(folder, provider.name, file), 'utf8');
      const bodies = file.endsWith('.chunks.txt') ? raw.split('\n').filter(Boolean) : file.endsWith('.json') ? [raw] : [];
      const pieces = new Map<string, string>();
      const collect = (value: unknown, key: string) => {
        if (typeof value === 'string') {
          if (['text', 'content', 'thinking', 'signature', 'thoughtSignature', 'message'].includes(key)) pieces.set(key, (pieces.get(key) ?? '') + value);
        } else if (Array.isArray(value)) value.forEach((item) => collect(item, key));
        else if (value && typeof value === 'object') for (const [name, inner] of Object.entries(value)) collect(inner, name);
      };
      // A streamed response's deltas add up to the texts (each key's pieces, in order).
      for (const body of bodies) collect(JSON.parse(body) as unknown, '');
      for (const [key, text] of pieces) if (text.trim().length > 0) for (const paragraph of text.split(/\n\s*\n/)) if (paragraph.trim()) texts.push({ source: `fixture ${provider.name}/${file} (${key})`, text: paragraph });
    }
  }
  return texts;
}

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
