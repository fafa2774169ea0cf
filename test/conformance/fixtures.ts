import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** `../shared/fixtures/providers` beside the checkout, or `SWITCHYARD_FIXTURES`. */
export const fixturesRoot = process.env.SWITCHYARD_FIXTURES ?? resolve(repoRoot, '../shared/fixtures/providers');

export interface Fixture {
  name: string;
  kind: 'json' | 'chunks';
  text: string;
}

/** The recorded responses of one provider, or `undefined` (with the reason printed) when absent. */
export function loadFixtures(provider: string): Fixture[] | undefined {
  const dir = join(fixturesRoot, provider);
  if (!existsSync(dir)) {
    console.warn(`Skipping ${provider} fixture replay: ${dir} is absent (set SWITCHYARD_FIXTURES to its location).`);
    return undefined;
  }
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') || file.endsWith('.chunks.txt'))
    .sort()
    .map((file) => ({
      name: file,
      kind: file.endsWith('.chunks.txt') ? 'chunks' : 'json',
      text: readFileSync(join(dir, file), 'utf8'),
    }));
}

/** One SSE `data:` payload per non-empty line. */
export function chunkLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}
