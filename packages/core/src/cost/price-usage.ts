import type { Usage } from '../adapter/usage.js';
import type { ModelPrices, TokenPrices } from '../catalog/model-facts.js';
import type { CallCost } from './call-cost.js';

/**
 * The prices that apply to a request with this many input tokens: the highest tier the input
 * exceeds (Gemini Pro above 200k), falling back to the base prices for what a tier leaves out.
 */
export function pricesFor(prices: ModelPrices, inputTokens: number): TokenPrices {
  const tiers = prices.tiers;
  if (!tiers || tiers.length === 0) return prices;
  let chosen: TokenPrices | undefined;
  let above = -1;
  for (const tier of tiers) {
    if (inputTokens > tier.aboveInputTokens && tier.aboveInputTokens > above) {
      chosen = tier.prices;
      above = tier.aboveInputTokens;
    }
  }
  return chosen ? { ...prices, ...chosen } : prices;
}

/**
 * What `usage` costs at `prices` (USD per token). `inputTokens` includes cache reads and
 * writes (the normalised convention), so each input token is priced once: reads at
 * `cacheRead`, 1-hour writes at `cacheWrite1h`, other writes at `cacheWrite5m`, the rest at
 * `input`. Reasoning tokens are part of `outputTokens`: at `reasoning` where a model prices
 * them apart, else at `output`. A cache or reasoning price the catalog lacks falls back to the
 * plain input or output price (documented in docs/cost.md); a model without `input` (or, with
 * output tokens, `output`) has no cost: `usd: null` and the reason.
 */
export function priceUsage(usage: Usage, prices: ModelPrices | undefined, model: string, estimated = false): CallCost {
  const spent = usage.inputTokens + usage.outputTokens;
  if (spent === 0) return { usd: 0, breakdown: ZERO, estimated };
  const at = prices ? pricesFor(prices, usage.inputTokens) : undefined;
  const input = at?.input;
  const output = at?.output;
  if (!at || input === undefined || (usage.outputTokens > 0 && output === undefined)) {
    return { usd: null, estimated, reason: `no ${input === undefined ? 'input' : 'output'} price for '${model}' in the model catalog` };
  }
  const cacheRead = Math.min(usage.cachedInputTokens, usage.inputTokens);
  const writes = Math.min(usage.cacheWriteInputTokens, usage.inputTokens - cacheRead);
  const writes1h = Math.min(usage.cacheWrite1hInputTokens, writes);
  const plainInput = usage.inputTokens - cacheRead - writes;
  const reasoning = Math.min(usage.reasoningTokens, usage.outputTokens);
  const outputPrice = output ?? 0;
  const write5m = at.cacheWrite5m ?? input;
  const breakdown = {
    input: plainInput * input,
    output: (usage.outputTokens - reasoning) * outputPrice,
    cacheRead: cacheRead * (at.cacheRead ?? input),
    cacheWrite: (writes - writes1h) * write5m + writes1h * (at.cacheWrite1h ?? write5m),
    reasoning: reasoning * (at.reasoning ?? outputPrice),
  };
  const usd = breakdown.input + breakdown.output + breakdown.cacheRead + breakdown.cacheWrite + breakdown.reasoning;
  return { usd, breakdown, estimated };
}

const ZERO = Object.freeze({ input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 });

/** Several costs together (a call's attempts): `null` as soon as one priced nothing for tokens it consumed. */
export function sumCosts(costs: ReadonlyArray<CallCost | undefined>): CallCost | undefined {
  let usd = 0;
  let estimated = false;
  const total = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0, reasoning: 0 };
  let any = false;
  let reason: string | undefined;
  for (const cost of costs) {
    if (!cost) continue;
    any = true;
    estimated ||= cost.estimated;
    // An estimate says how it was made; the first such note stands for the total.
    if (cost.estimated && cost.reason !== undefined) reason ??= cost.reason;
    if (cost.usd === null) return { usd: null, estimated, reason: cost.reason };
    usd += cost.usd;
    const part = cost.breakdown;
    if (part) {
      total.input += part.input;
      total.output += part.output;
      total.cacheRead += part.cacheRead;
      total.cacheWrite += part.cacheWrite;
      total.reasoning += part.reasoning;
    }
  }
  if (!any) return undefined;
  return reason === undefined ? { usd, breakdown: total, estimated } : { usd, breakdown: total, estimated, reason };
}
