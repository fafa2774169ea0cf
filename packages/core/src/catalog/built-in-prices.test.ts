import { describe, expect, it } from 'vitest';
import { BUILT_IN_MODELS, type BuiltInModel } from './built-in-models.js';
import { builtInEntry, modelFacts } from './lookup.js';
import type { ModelPrices, TokenPrices } from './model-facts.js';

const perMillion = (usd: number) => usd / 1_000_000;
const PRICE_KEYS = ['input', 'output', 'cacheRead', 'cacheWrite5m', 'cacheWrite1h', 'reasoning'] as const;

const priced = BUILT_IN_MODELS.filter((entry): entry is BuiltInModel & { facts: { prices: ModelPrices } } => entry.facts.prices !== undefined);
const isEmbeddings = (entry: BuiltInModel) => entry.name.includes('embedding');
const isOpenAi = (entry: BuiltInModel) => /^(gpt-|o\d)/.test(entry.name);
const isAnthropic = (entry: BuiltInModel) => entry.name.startsWith('claude-');
const isGoogle = (entry: BuiltInModel) => entry.name.startsWith('gemini-');

/** The base prices and every tier's prices of an entry, each with a label for messages. */
function priceSets(entry: BuiltInModel & { facts: { prices: ModelPrices } }): Array<[string, TokenPrices]> {
  const { tiers, ...base } = entry.facts.prices;
  return [[entry.name, base], ...(tiers ?? []).map((tier): [string, TokenPrices] => [`${entry.name} above ${tier.aboveInputTokens}`, tier.prices])];
}

describe('built-in prices: dated and versioned ids get the right entry', () => {
  it('OpenAI snapshots: the dated id gets its model, and a mini is never its bigger sibling', () => {
    expect(builtInEntry('gpt-4o-2024-08-06')?.name).toBe('gpt-4o');
    expect(modelFacts('gpt-4o-2024-08-06')?.prices?.input).toBe(perMillion(2.5));
    expect(modelFacts('gpt-4o-2024-11-20')?.prices?.input).toBe(perMillion(2.5));
    // The first gpt-4o snapshot kept its launch price.
    expect(builtInEntry('gpt-4o-2024-05-13')?.name).toBe('gpt-4o-2024-05-13');
    expect(modelFacts('gpt-4o-2024-05-13')?.prices).toMatchObject({ input: perMillion(5), output: perMillion(15) });
    expect(builtInEntry('gpt-4o-mini-2024-07-18')?.name).toBe('gpt-4o-mini');
    expect(modelFacts('gpt-4o-mini-2024-07-18')?.prices?.input).toBe(perMillion(0.15));
    expect(modelFacts('gpt-4.1-2025-04-14')?.prices?.input).toBe(perMillion(2));
    expect(modelFacts('gpt-4.1-mini-2025-04-14')?.prices?.input).toBe(perMillion(0.4));
    expect(modelFacts('gpt-4.1-nano-2025-04-14')?.prices?.input).toBe(perMillion(0.1));
    expect(modelFacts('o3-2025-04-16')?.prices?.input).toBe(perMillion(2)); // the price since 2025-06-10, not the launch $10
    expect(modelFacts('o3-mini-2025-01-31')?.prices?.input).toBe(perMillion(1.1));
    expect(modelFacts('o4-mini-2025-04-16')?.prices?.cacheRead).toBe(perMillion(0.275));
    expect(builtInEntry('gpt-5-2025-08-07')?.name).toBe('gpt-5');
    expect(builtInEntry('gpt-5-mini-2025-08-07')?.name).toBe('gpt-5-mini');
    expect(builtInEntry('gpt-5-nano-2025-08-07')?.name).toBe('gpt-5-nano');
    // Models without a sourced price here have none, never a neighbour's.
    expect(modelFacts('gpt-5.1')).toBeUndefined();
    expect(modelFacts('gpt-4o-mini-realtime-preview')).toBeUndefined();
  });

  it('Claude: dated ids, the versions that cost less than the family they continue, and the long-context tier', () => {
    expect(builtInEntry('claude-sonnet-4-5-20250929')?.name).toBe('claude-sonnet-4-5');
    const sonnet45 = modelFacts('claude-sonnet-4-5-20250929')?.prices;
    expect(sonnet45).toMatchObject({ input: perMillion(3), output: perMillion(15) });
    expect(sonnet45?.tiers).toEqual([expect.objectContaining({ aboveInputTokens: 200_000 })]);
    expect(modelFacts('claude-sonnet-4-20250514')?.prices?.tiers?.[0]?.prices.input).toBe(perMillion(6));
    // Sonnet 4.6 has its own entry: the 1M window without the long-context surcharge of the claude-sonnet-4 family.
    expect(builtInEntry('claude-sonnet-4-6')?.name).toBe('claude-sonnet-4-6');
    expect(modelFacts('claude-sonnet-4-6')?.prices?.tiers).toBeUndefined();
    expect(modelFacts('claude-sonnet-4-6')?.maxOutputTokens).toBe(64_000);
    // Opus 4.5 and later are priced a third of Opus 4 / 4.1.
    expect(builtInEntry('claude-opus-4-5-20251101')?.name).toBe('claude-opus-4-5');
    expect(modelFacts('claude-opus-4-5-20251101')?.prices?.input).toBe(perMillion(5));
    expect(modelFacts('claude-opus-4-8')?.prices?.output).toBe(perMillion(25));
    expect(modelFacts('claude-opus-4-1-20250805')?.prices?.input).toBe(perMillion(15));
    expect(modelFacts('claude-opus-4-0')?.prices?.input).toBe(perMillion(15));
    expect(modelFacts('claude-opus-4-20250514')?.prices?.input).toBe(perMillion(15));
    // A later Opus 4 version nobody has priced here gets the family's max output and no price (not Opus 4's $15).
    expect(modelFacts('claude-opus-4-9')).toEqual({ maxOutputTokens: 64_000 });
    expect(modelFacts('claude-haiku-4-5-20251001')?.prices?.input).toBe(perMillion(1));
    expect(modelFacts('claude-3-5-haiku-20241022')?.prices?.input).toBe(perMillion(0.8));
    expect(modelFacts('claude-3-5-haiku-latest')?.prices?.input).toBe(perMillion(0.8));
    expect(modelFacts('claude-3-haiku-20240307')?.prices?.input).toBe(perMillion(0.25));
  });

  it('Gemini: the Pro tier above 200k input tokens, and Flash-Lite is not Flash', () => {
    const pro = modelFacts('gemini-2.5-pro')?.prices;
    expect(pro?.tiers).toEqual([{ aboveInputTokens: 200_000, prices: { input: perMillion(2.5), output: perMillion(15), cacheRead: perMillion(0.25) } }]);
    expect(modelFacts('gemini-2.5-pro-001')?.prices).toBe(pro);
    expect(modelFacts('gemini-2.5-flash-lite')?.prices?.input).toBe(perMillion(0.1));
    expect(modelFacts('gemini-2.5-flash')?.prices?.input).toBe(perMillion(0.3));
    expect(modelFacts('gemini-2.5-flash')?.prices?.tiers).toBeUndefined();
    expect(modelFacts('gemini-2.0-flash')).toBeUndefined();
  });
});

describe('built-in prices: every price', () => {
  it('is on an entry that names its source and the date it was read', () => {
    expect(priced.length).toBeGreaterThan(30);
    for (const entry of priced) {
      expect(entry.source, entry.name).toMatch(/^https:\/\/\S+/);
      expect(entry.retrieved, entry.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(entry.retrieved)), entry.name).toBe(false);
    }
  });

  it('is a finite, non-negative number of USD per token, below $0.001 (a per-million price slipped in would be far above)', () => {
    for (const entry of priced) {
      for (const [label, prices] of priceSets(entry)) {
        for (const key of PRICE_KEYS) {
          const price = prices[key];
          if (price === undefined) continue;
          expect(Number.isFinite(price), `${label} ${key}`).toBe(true);
          expect(price, `${label} ${key}`).toBeGreaterThanOrEqual(0);
          expect(price, `${label} ${key}`).toBeLessThan(0.001);
        }
      }
    }
  });

  it('has an input price; chat models an output price too; tiers sit above a whole number of input tokens', () => {
    for (const entry of priced) {
      const { prices } = entry.facts;
      expect(prices.input, entry.name).toBeDefined();
      if (isEmbeddings(entry)) expect(Object.keys(prices), entry.name).toEqual(['input']);
      else expect(prices.output, entry.name).toBeDefined();
      for (const tier of prices.tiers ?? []) {
        expect(Number.isInteger(tier.aboveInputTokens) && tier.aboveInputTokens > 0, entry.name).toBe(true);
        // The highest tier the input exceeds replaces the base prices for the whole request, so a
        // tier prices every kind of token its base does (else a base cache price would mix in).
        const { tiers: _tiers, ...base } = prices;
        expect(Object.keys(tier.prices).sort(), entry.name).toEqual(Object.keys(base).sort());
        expect(tier.prices.input ?? 0, entry.name).toBeGreaterThan(prices.input ?? 0);
      }
    }
  });

  it('leaves reasoning to the output price (all three providers bill thinking tokens as output), and a cache read costs less than input', () => {
    for (const entry of priced) {
      for (const [label, prices] of priceSets(entry)) {
        expect(prices.reasoning, label).toBeUndefined();
        if (prices.cacheRead !== undefined) expect(prices.cacheRead, label).toBeLessThan(prices.input ?? 0);
      }
    }
  });

  it('OpenAI: a cache write is priced as plain input (no write charge), and there is no 1-hour write price', () => {
    const openAi = priced.filter((entry) => isOpenAi(entry));
    expect(openAi.map((entry) => entry.name)).toEqual(expect.arrayContaining(['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano', 'o3', 'o3-mini', 'o4-mini', 'gpt-5', 'gpt-5-mini', 'gpt-5-nano']));
    for (const entry of openAi) {
      expect(entry.facts.prices.cacheWrite5m, entry.name).toBe(entry.facts.prices.input);
      expect(entry.facts.prices.cacheWrite1h, entry.name).toBeUndefined();
    }
  });

  it('Anthropic: cache hits at 0.1x input, 5-minute writes at 1.25x, 1-hour writes at 2x, as the pricing table lists them', () => {
    const claude = priced.filter((entry) => isAnthropic(entry));
    expect(claude.length).toBeGreaterThanOrEqual(14);
    // Claude Haiku 3 is the exception: the table lists it rounded ($0.30 write, $0.03 hit on $0.25 input).
    expect(modelFacts('claude-3-haiku')?.prices).toMatchObject({ cacheWrite5m: 0.3 / 1_000_000, cacheWrite1h: 0.5 / 1_000_000, cacheRead: 0.03 / 1_000_000 });
    for (const entry of claude.filter((one) => one.name !== 'claude-3-haiku')) {
      for (const [label, prices] of priceSets(entry)) {
        const input = prices.input ?? Number.NaN;
        expect(prices.cacheRead, label).toBeCloseTo(input * 0.1, 15);
        expect(prices.cacheWrite5m, label).toBeCloseTo(input * 1.25, 15);
        expect(prices.cacheWrite1h, label).toBeCloseTo(input * 2, 15);
      }
    }
  });

  it('Google: a context-cache read price, no cache-write price (a write is priced as input)', () => {
    for (const entry of priced.filter((one) => isGoogle(one) && !isEmbeddings(one))) {
      expect(entry.facts.prices.cacheRead, entry.name).toBeDefined();
      expect(entry.facts.prices.cacheWrite5m, entry.name).toBeUndefined();
    }
  });
});

describe('built-in prices: spot checks against the sources (per million tokens)', () => {
  const prices = (model: string) => modelFacts(model)?.prices;

  it('OpenAI', () => {
    expect(prices('gpt-4.1')).toEqual({ input: 2 / 1_000_000, cacheRead: 0.5 / 1_000_000, cacheWrite5m: 2 / 1_000_000, output: 8 / 1_000_000 });
    expect(prices('gpt-4o')).toMatchObject({ input: 2.5 / 1_000_000, cacheRead: 1.25 / 1_000_000, output: 10 / 1_000_000 });
    expect(prices('gpt-4o-mini')).toMatchObject({ input: 0.15 / 1_000_000, cacheRead: 0.075 / 1_000_000, output: 0.6 / 1_000_000 });
    expect(prices('gpt-4.1-nano')).toMatchObject({ input: 0.1 / 1_000_000, cacheRead: 0.025 / 1_000_000, output: 0.4 / 1_000_000 });
    expect(prices('o3')).toMatchObject({ input: 2 / 1_000_000, cacheRead: 0.5 / 1_000_000, output: 8 / 1_000_000 });
    expect(prices('o4-mini')).toMatchObject({ input: 1.1 / 1_000_000, cacheRead: 0.275 / 1_000_000, output: 4.4 / 1_000_000 });
    expect(prices('gpt-5')).toMatchObject({ input: 1.25 / 1_000_000, cacheRead: 0.125 / 1_000_000, output: 10 / 1_000_000 });
    expect(prices('gpt-5-mini')).toMatchObject({ input: 0.25 / 1_000_000, cacheRead: 0.025 / 1_000_000, output: 2 / 1_000_000 });
    expect(prices('gpt-5-nano')).toMatchObject({ input: 0.05 / 1_000_000, cacheRead: 0.005 / 1_000_000, output: 0.4 / 1_000_000 });
    expect(prices('text-embedding-3-small')).toEqual({ input: 0.02 / 1_000_000 });
    expect(prices('text-embedding-3-large')).toEqual({ input: 0.13 / 1_000_000 });
  });

  it('Anthropic', () => {
    expect(prices('claude-sonnet-4-5')).toEqual({
      input: 3 / 1_000_000,
      cacheWrite5m: 3.75 / 1_000_000,
      cacheWrite1h: 6 / 1_000_000,
      cacheRead: 0.3 / 1_000_000,
      output: 15 / 1_000_000,
      tiers: [{ aboveInputTokens: 200_000, prices: { input: 6 / 1_000_000, cacheWrite5m: 7.5 / 1_000_000, cacheWrite1h: 12 / 1_000_000, cacheRead: 0.6 / 1_000_000, output: 22.5 / 1_000_000 } }],
    });
    expect(prices('claude-opus-4-1')).toEqual({ input: 15 / 1_000_000, cacheWrite5m: 18.75 / 1_000_000, cacheWrite1h: 30 / 1_000_000, cacheRead: 1.5 / 1_000_000, output: 75 / 1_000_000 });
    expect(prices('claude-opus-4-6')).toEqual({ input: 5 / 1_000_000, cacheWrite5m: 6.25 / 1_000_000, cacheWrite1h: 10 / 1_000_000, cacheRead: 0.5 / 1_000_000, output: 25 / 1_000_000 });
    expect(prices('claude-haiku-4-5')).toEqual({ input: 1 / 1_000_000, cacheWrite5m: 1.25 / 1_000_000, cacheWrite1h: 2 / 1_000_000, cacheRead: 0.1 / 1_000_000, output: 5 / 1_000_000 });
    expect(prices('claude-3-5-haiku')).toEqual({ input: 0.8 / 1_000_000, cacheWrite5m: 1 / 1_000_000, cacheWrite1h: 1.6 / 1_000_000, cacheRead: 0.08 / 1_000_000, output: 4 / 1_000_000 });
  });

  it('Google', () => {
    expect(prices('gemini-2.5-pro')).toMatchObject({ input: 1.25 / 1_000_000, output: 10 / 1_000_000, cacheRead: 0.125 / 1_000_000 });
    expect(prices('gemini-2.5-flash')).toEqual({ input: 0.3 / 1_000_000, output: 2.5 / 1_000_000, cacheRead: 0.03 / 1_000_000 });
    expect(prices('gemini-2.5-flash-lite')).toEqual({ input: 0.1 / 1_000_000, output: 0.4 / 1_000_000, cacheRead: 0.01 / 1_000_000 });
    expect(prices('gemini-embedding-001')).toEqual({ input: 0.15 / 1_000_000 });
  });
});
