import { describe, expect, it } from 'vitest';
import type { Usage } from '../adapter/usage.js';
import type { ModelPrices } from '../catalog/model-facts.js';
import { priceUsage, sumCosts } from './price-usage.js';

const perMillion = (usd: number) => usd / 1_000_000;
const usage = (fields: Partial<Usage>): Usage => {
  const inputTokens = fields.inputTokens ?? 0;
  const outputTokens = fields.outputTokens ?? 0;
  return { inputTokens, outputTokens, totalTokens: inputTokens + outputTokens, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0, ...fields };
};
/** Floating-point sums: compare to the cent's ten-thousandth. */
const close = (actual: number | null | undefined, expected: number) => expect(actual).toBeCloseTo(expected, 10);

describe('priceUsage', () => {
  it("prices OpenAI's cached input at the cached price and not again at the input price", () => {
    // gpt-4o list prices: $2.50 input, $1.25 cached input, $10 output per million.
    const prices: ModelPrices = { input: perMillion(2.5), cacheRead: perMillion(1.25), output: perMillion(10) };
    const cost = priceUsage(usage({ inputTokens: 2000, cachedInputTokens: 1500, outputTokens: 300 }), prices, 'gpt-4o');
    // 500 × 2.50 + 1500 × 1.25 + 300 × 10, per million.
    close(cost.breakdown?.input, 0.00125);
    close(cost.breakdown?.cacheRead, 0.001875);
    close(cost.breakdown?.output, 0.003);
    close(cost.usd, 0.006125);
    expect(cost.estimated).toBe(false);
  });

  it("prices Anthropic's 5-minute and 1-hour cache writes apart, and reads at the read price", () => {
    // claude-sonnet-4-5: $3 input, $15 output, $0.30 read, $3.75 5-minute write, $6 1-hour write per million.
    const prices: ModelPrices = { input: perMillion(3), output: perMillion(15), cacheRead: perMillion(0.3), cacheWrite5m: perMillion(3.75), cacheWrite1h: perMillion(6) };
    // Anthropic's wire usage: input_tokens 100, cache_read 2000, cache_creation 1000 (400 for 5 minutes, 600 for an hour), output 500.
    const cost = priceUsage(usage({ inputTokens: 3100, cachedInputTokens: 2000, cacheWriteInputTokens: 1000, cacheWrite1hInputTokens: 600, outputTokens: 500 }), prices, 'claude-sonnet-4-5');
    close(cost.breakdown?.input, 100 * perMillion(3));
    close(cost.breakdown?.cacheRead, 2000 * perMillion(0.3));
    close(cost.breakdown?.cacheWrite, 400 * perMillion(3.75) + 600 * perMillion(6));
    close(cost.breakdown?.output, 500 * perMillion(15));
    close(cost.usd, 0.0003 + 0.0006 + 0.0015 + 0.0036 + 0.0075);
  });

  it("prices Gemini's thought tokens as output and switches the whole request to the tier above 200k input tokens", () => {
    // gemini-2.5-pro: $1.25 / $10 / $0.31 cached up to 200k input tokens; $2.50 / $15 / $0.625 above.
    const prices: ModelPrices = {
      input: perMillion(1.25),
      output: perMillion(10),
      cacheRead: perMillion(0.31),
      tiers: [{ aboveInputTokens: 200_000, prices: { input: perMillion(2.5), output: perMillion(15), cacheRead: perMillion(0.625) } }],
    };
    const long = priceUsage(usage({ inputTokens: 250_000, cachedInputTokens: 50_000, outputTokens: 3000, reasoningTokens: 2000 }), prices, 'gemini-2.5-pro');
    close(long.breakdown?.input, 200_000 * perMillion(2.5));
    close(long.breakdown?.cacheRead, 50_000 * perMillion(0.625));
    close(long.breakdown?.output, 1000 * perMillion(15));
    close(long.breakdown?.reasoning, 2000 * perMillion(15));
    close(long.usd, 0.5 + 0.03125 + 0.015 + 0.03);
    // At exactly 200k the base prices still apply: the tier is for inputs above it.
    const atLimit = priceUsage(usage({ inputTokens: 200_000, outputTokens: 1000, reasoningTokens: 400 }), prices, 'gemini-2.5-pro');
    close(atLimit.usd, 200_000 * perMillion(1.25) + 600 * perMillion(10) + 400 * perMillion(10));
  });

  it('uses a reasoning price where a model bills reasoning apart', () => {
    const cost = priceUsage(usage({ inputTokens: 10, outputTokens: 100, reasoningTokens: 60 }), { input: perMillion(1), output: perMillion(4), reasoning: perMillion(3.5) }, 'm');
    close(cost.breakdown?.output, 40 * perMillion(4));
    close(cost.breakdown?.reasoning, 60 * perMillion(3.5));
  });

  it('prices embeddings by input tokens alone', () => {
    close(priceUsage(usage({ inputTokens: 1000 }), { input: perMillion(0.02) }, 'text-embedding-3-small').usd, 0.00002);
  });

  it('gives no number for a model without a price, and says why', () => {
    expect(priceUsage(usage({ inputTokens: 5, outputTokens: 5 }), undefined, 'my-llama')).toEqual({ usd: null, estimated: false, reason: "no input price for 'my-llama' in the model catalog" });
    expect(priceUsage(usage({ inputTokens: 5, outputTokens: 5 }), { input: perMillion(1) }, 'half-priced').reason).toBe("no output price for 'half-priced' in the model catalog");
  });

  it('prices a self-hosted model configured at zero as free, and no tokens as free', () => {
    expect(priceUsage(usage({ inputTokens: 5, outputTokens: 5 }), { input: 0, output: 0 }, 'my-llama').usd).toBe(0);
    expect(priceUsage(usage({}), undefined, 'anything').usd).toBe(0);
  });
});

describe('sumCosts', () => {
  it('adds attempts part by part, is estimated if any part is, and is null if any part is', () => {
    const a = { usd: 1, breakdown: { input: 0.5, output: 0.5, cacheRead: 0, cacheWrite: 0, reasoning: 0 }, estimated: false };
    const b = { usd: 2, breakdown: { input: 1, output: 0.5, cacheRead: 0.5, cacheWrite: 0, reasoning: 0 }, estimated: true };
    expect(sumCosts([a, undefined, b])).toEqual({ usd: 3, breakdown: { input: 1.5, output: 1, cacheRead: 0.5, cacheWrite: 0, reasoning: 0 }, estimated: true });
    expect(sumCosts([a, { usd: null, estimated: false, reason: 'no price' }])).toEqual({ usd: null, estimated: false, reason: 'no price' });
    expect(sumCosts([undefined])).toBeUndefined();
  });
});
