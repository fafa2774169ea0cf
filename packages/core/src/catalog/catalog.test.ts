import { describe, expect, it } from 'vitest';
import { BUILT_IN_MODELS } from './built-in-models.js';
import { ModelCatalog, builtInEntry, modelFacts } from './lookup.js';
import { mergeFacts } from './model-facts.js';

describe('built-in catalog matching', () => {
  it('matches a name exactly, and a dated or versioned id by the name without its suffix', () => {
    expect(modelFacts('gpt-4o')?.contextWindow).toBe(128_000);
    expect(modelFacts('gpt-4o-2024-08-06')?.contextWindow).toBe(128_000);
    expect(modelFacts('gpt-4o-latest')?.contextWindow).toBe(128_000);
    expect(modelFacts('gemini-2.5-flash-001')?.maxOutputTokens).toBe(65_536);
    expect(builtInEntry('claude-sonnet-4-5-20250929')?.name).toBe('claude-sonnet-4-5');
    expect(modelFacts('claude-sonnet-4-5-20250929')).toMatchObject({ contextWindow: 200_000, maxOutputTokens: 64_000 });
  });

  it('does not match near-miss names: a longer name is another model unless its entry is a family', () => {
    expect(builtInEntry('gpt-4o-mini')?.name).toBe('gpt-4o-mini'); // its own entry, not gpt-4o's
    expect(builtInEntry('gpt-4o-mini-2024-07-18')?.name).toBe('gpt-4o-mini');
    expect(modelFacts('gpt-4o2')).toBeUndefined();
    expect(modelFacts('gemini-2.5-flash-lite')?.maxOutputTokens).toBe(65_536); // its own entry, not gemini-2.5-flash's
    expect(builtInEntry('gemini-2.5-flash-lite-001')?.name).toBe('gemini-2.5-flash-lite');
    expect(builtInEntry('gpt-4.1-mini')?.name).toBe('gpt-4.1-mini');
    expect(builtInEntry('gpt-4.1-nano-2025-04-14')?.name).toBe('gpt-4.1-nano');
    expect(builtInEntry('o3-mini')?.name).toBe('o3-mini');
    expect(builtInEntry('gpt-5-mini')?.name).toBe('gpt-5-mini');
    expect(modelFacts('gpt-4.1-preview')).toBeUndefined();
    expect(modelFacts('gpt-5.1')).toBeUndefined();
    expect(modelFacts('gpt-5-pro')).toBeUndefined();
    expect(modelFacts('o3-pro')).toBeUndefined();
    expect(builtInEntry('o3-2025-04-16')?.name).toBe('o3');
    expect(builtInEntry('o4-mini-2025-04-16')?.name).toBe('o4-mini');
    expect(modelFacts('o4-mini-high')).toBeUndefined();
    expect(modelFacts('gemini-2.5-pro-preview-05-06')).toBeUndefined();
    expect(modelFacts('gemini-2.5-flash-preview-05-20')).toBeUndefined();
    expect(modelFacts('xgpt-4o')).toBeUndefined();
    expect(modelFacts('GPT-4O')).toBeUndefined();
    expect(modelFacts('claude-sonnet-45')).toBeUndefined();
    expect(modelFacts('')).toBeUndefined();
  });

  it('matches the longest family a name continues at a dash', () => {
    expect(builtInEntry('claude-sonnet-4-0')?.name).toBe('claude-sonnet-4');
    expect(builtInEntry('claude-sonnet-4-7')?.name).toBe('claude-sonnet-4');
    expect(builtInEntry('claude-sonnet-4-20250514')?.name).toBe('claude-sonnet-4');
    expect(builtInEntry('claude-opus-4-1-20250805')?.name).toBe('claude-opus-4-1');
    expect(builtInEntry('claude-opus-4-20250514')?.name).toBe('claude-opus-4-20250514');
    expect(builtInEntry('claude-opus-4-9')?.name).toBe('claude-opus-4');
    expect(builtInEntry('claude-haiku-4-6')?.name).toBe('claude-haiku-4');
    expect(builtInEntry('claude-3-5-sonnet-latest')?.name).toBe('claude-3-5-sonnet');
  });

  it('keeps the max-output table the Anthropic adapter had', () => {
    const cases: Array<[string, number]> = [
      ['claude-opus-4-1-20250805', 32_000],
      ['claude-opus-4-0', 32_000],
      ['claude-opus-4-20250514', 32_000],
      ['claude-opus-4-5', 64_000],
      ['claude-sonnet-4-5', 64_000],
      ['claude-sonnet-4-20250514', 64_000],
      ['claude-haiku-4-5-20251001', 64_000],
      ['claude-3-7-sonnet-20250219', 64_000],
      ['claude-3-5-sonnet-20241022', 8_192],
      ['claude-3-5-haiku-20241022', 8_192],
      ['claude-3-opus-20240229', 4_096],
      ['claude-3-haiku-20240307', 4_096],
    ];
    for (const [model, tokens] of cases) expect([model, modelFacts(model)?.maxOutputTokens]).toEqual([model, tokens]);
  });

  it('every built-in entry has a unique name, names a source and the date it was read', () => {
    const names = new Set<string>();
    for (const entry of BUILT_IN_MODELS) {
      expect(names.has(entry.name), entry.name).toBe(false);
      names.add(entry.name);
      expect(entry.source).toMatch(/^https:\/\//);
      expect(entry.retrieved).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });
});

describe('ModelCatalog', () => {
  it('puts config entries over the built-in facts, field by field: target id over model name', () => {
    const catalog = new ModelCatalog({
      'gpt-4o': { maxOutputTokens: 16_000, prices: { input: 2e-6, output: 8e-6 } },
      'azure/gpt-4o': { contextWindow: 64_000, prices: { output: 9e-6 } },
    });
    // Prices merge price by price: the built-in cached-input and cache-write prices stay.
    const builtIn = { cacheRead: 1.25 / 1_000_000, cacheWrite5m: 2.5 / 1_000_000 };
    expect(catalog.facts('openai/gpt-4o', 'gpt-4o')).toEqual({ contextWindow: 128_000, maxOutputTokens: 16_000, prices: { ...builtIn, input: 2e-6, output: 8e-6 } });
    expect(catalog.facts('azure/gpt-4o', 'gpt-4o')).toEqual({ contextWindow: 64_000, maxOutputTokens: 16_000, prices: { ...builtIn, input: 2e-6, output: 9e-6 } });
    // Config keys match exactly or without a version suffix (not by family: that is for built-in entries).
    expect(catalog.facts('openai/gpt-4o-2024-08-06', 'gpt-4o-2024-08-06')).toEqual(catalog.facts('openai/gpt-4o', 'gpt-4o'));
    expect(catalog.facts('azure/gpt-4o-2024-08-06', 'gpt-4o-2024-08-06')).toEqual(catalog.facts('azure/gpt-4o', 'gpt-4o'));
    expect(new ModelCatalog({ 'claude-sonnet-4': { contextWindow: 1 } }).facts('anthropic/claude-sonnet-4-6', 'claude-sonnet-4-6')?.contextWindow).not.toBe(1);
    expect(catalog.facts('local/m', 'm')).toBeUndefined();
  });

  it('extends the catalog with models it does not know, and answers the same again', () => {
    const catalog = new ModelCatalog({ 'vllm/llama': { contextWindow: 8192 } });
    const facts = catalog.facts('vllm/llama', 'llama');
    expect(facts).toEqual({ contextWindow: 8192 });
    expect(catalog.facts('vllm/llama', 'llama')).toBe(facts);
  });

  it('mergeFacts ignores undefined prices and keeps the base when there is nothing over it', () => {
    const base = { contextWindow: 1, prices: { input: 1, output: 2 } };
    expect(mergeFacts(base, undefined)).toBe(base);
    expect(mergeFacts(undefined, base)).toBe(base);
    expect(mergeFacts(base, { prices: { input: undefined, cacheRead: 0.5 } })).toEqual({ contextWindow: 1, prices: { input: 1, output: 2, cacheRead: 0.5 } });
  });
});
