/**
 * One table of per-model facts: context window, maximum output, modalities and prices.
 * Built-in entries (`built-in-models.ts`) carry where each fact was taken from; the gateway's
 * `catalog` config overrides and extends them (see docs/catalog.md).
 */

/** What a model takes in. */
export type InputModality = 'text' | 'image' | 'audio' | 'video' | 'pdf';
/** What a model gives back. */
export type OutputModality = 'text' | 'image' | 'audio';

export interface ModelModalities {
  input: readonly InputModality[];
  output: readonly OutputModality[];
}

/** Prices in USD per token (not per million) of one tier. */
export interface TokenPrices {
  input?: number | undefined;
  output?: number | undefined;
  /** A prompt-cache hit, per input token read from the cache. */
  cacheRead?: number | undefined;
  /** Writing a prompt-cache entry that lives 5 minutes, per input token. */
  cacheWrite5m?: number | undefined;
  /** Writing a prompt-cache entry that lives 1 hour, per input token. */
  cacheWrite1h?: number | undefined;
  /** Reasoning (thinking) output tokens, when billed apart from output. */
  reasoning?: number | undefined;
}

/** Prices that apply instead when a request's input is longer than `aboveInputTokens` (Gemini Pro above 200k). */
export interface PriceTier {
  readonly aboveInputTokens: number;
  readonly prices: TokenPrices;
}

/**
 * Prices in USD per token (not per million), for chat models and, with `input` only, for
 * embeddings models. The `cost` strategy orders by `input + output`; cost accounting prices
 * every attempt's usage with them (docs/cost.md).
 */
export interface ModelPrices extends TokenPrices {
  /** Dearer tiers for long inputs, in any order; the highest one the input exceeds applies to the whole request. */
  tiers?: readonly PriceTier[] | undefined;
}

/** What is known about one model; an absent field is unknown. */
export interface ModelFacts {
  /** Context window in tokens (prompt and answer together). */
  contextWindow?: number | undefined;
  /** The most output tokens one answer may have. */
  maxOutputTokens?: number | undefined;
  modalities?: ModelModalities | undefined;
  prices?: ModelPrices | undefined;
}

/** Field by field: what `over` says wins; prices merge price by price. */
export function mergeFacts(base: ModelFacts | undefined, over: ModelFacts | undefined): ModelFacts | undefined {
  if (!over) return base;
  if (!base) return over;
  const merged: ModelFacts = { ...base };
  if (over.contextWindow !== undefined) merged.contextWindow = over.contextWindow;
  if (over.maxOutputTokens !== undefined) merged.maxOutputTokens = over.maxOutputTokens;
  if (over.modalities !== undefined) merged.modalities = over.modalities;
  if (over.prices !== undefined) merged.prices = { ...base.prices, ...withoutUndefined(over.prices) };
  return merged;
}

function withoutUndefined(prices: ModelPrices): ModelPrices {
  return Object.fromEntries(Object.entries(prices).filter(([, value]) => value !== undefined)) as ModelPrices;
}
