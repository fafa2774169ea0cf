import { describe, expect, it } from 'vitest';
import { FALLBACK_MAX_TOKENS, defaultMaxTokens } from './model-catalog.js';

/** The adapter's own table before the model catalog moved to core, matched by plain prefix. */
const FORMER_TABLE: ReadonlyArray<readonly [string, number]> = [
  ['claude-opus-4-1', 32_000],
  ['claude-opus-4-0', 32_000],
  ['claude-opus-4-2025', 32_000],
  ['claude-opus-4', 64_000],
  ['claude-sonnet-4', 64_000],
  ['claude-haiku-4', 64_000],
  ['claude-3-7-sonnet', 64_000],
  ['claude-3-5-sonnet', 8_192],
  ['claude-3-5-haiku', 8_192],
  ['claude-3-opus', 4_096],
  ['claude-3-haiku', 4_096],
];

function formerDefault(model: string): number {
  let best: readonly [string, number] | undefined;
  for (const entry of FORMER_TABLE) if (model.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  return best?.[1] ?? FALLBACK_MAX_TOKENS;
}

describe('defaultMaxTokens (from the model catalog of @switchyard/core/adapter)', () => {
  it('gives what the former table gave for Anthropic model ids and aliases', () => {
    const models = [
      'claude-opus-4-1-20250805',
      'claude-opus-4-1',
      'claude-opus-4-0',
      'claude-opus-4-20250514',
      'claude-opus-4-5-20251101',
      'claude-opus-4-5',
      'claude-sonnet-4-5-20250929',
      'claude-sonnet-4-5',
      'claude-sonnet-4-20250514',
      'claude-sonnet-4-0',
      'claude-haiku-4-5-20251001',
      'claude-haiku-4-5',
      'claude-3-7-sonnet-20250219',
      'claude-3-7-sonnet-latest',
      'claude-3-5-sonnet-20241022',
      'claude-3-5-sonnet-latest',
      'claude-3-5-haiku-20241022',
      'claude-3-opus-20240229',
      'claude-3-opus-latest',
      'claude-3-haiku-20240307',
      'some-future-model',
      'claude-x',
    ];
    for (const model of models) expect([model, defaultMaxTokens(model)]).toEqual([model, formerDefault(model)]);
  });

  it('falls back to a conservative size for a model the catalog does not know', () => {
    expect(defaultMaxTokens('claude-2.1')).toBe(FALLBACK_MAX_TOKENS);
    expect(defaultMaxTokens('gpt-4o')).toBe(FALLBACK_MAX_TOKENS); // known, but no max output in the catalog
  });
});
