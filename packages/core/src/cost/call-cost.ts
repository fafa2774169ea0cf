/** What a call's (or an attempt's) tokens cost, part by part, in USD. */
export interface CostBreakdown {
  /** Input tokens read neither from nor into a prompt cache. */
  readonly input: number;
  /** Output tokens other than reasoning. */
  readonly output: number;
  readonly cacheRead: number;
  /** 5-minute and 1-hour cache writes together. */
  readonly cacheWrite: number;
  /** Reasoning (thinking) tokens, at the reasoning price or, where there is none, the output price. */
  readonly reasoning: number;
}

/**
 * The price of an attempt or a call, from the model catalog's prices and the normalised usage.
 * `usd` is `null`, with `reason`, when a model that consumed tokens has no price in the catalog:
 * never a made-up number.
 */
export interface CallCost {
  readonly usd: number | null;
  /** Set with `usd`; absent when `usd` is `null`. */
  readonly breakdown?: CostBreakdown | undefined;
  /** Counted from a tokenizer's estimate (a stream that ended without the provider's usage). */
  readonly estimated: boolean;
  /** Why `usd` is `null`, or how an estimate was made. */
  readonly reason?: string | undefined;
}
