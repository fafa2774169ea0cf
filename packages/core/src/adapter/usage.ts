import type { CompletionUsage } from '../contract/shared-schemas.js';

/**
 * Token usage in one normalised form, whatever the provider. `inputTokens` includes
 * cached and cache-write tokens (OpenAI's convention); the details are subsets of it.
 * `outputTokens` includes `reasoningTokens`.
 */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Input tokens read from the provider's prompt cache. */
  cachedInputTokens: number;
  /** Input tokens written to the provider's prompt cache. */
  cacheWriteInputTokens: number;
  /** Of `cacheWriteInputTokens`, those written to a 1-hour cache (Anthropic); the rest live 5 minutes. */
  cacheWrite1hInputTokens: number;
  /** Output tokens spent on reasoning / thinking. */
  reasoningTokens: number;
}

export function usageFromCompletionUsage(usage: CompletionUsage): Usage {
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: usage.completion_tokens,
    totalTokens: usage.total_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    cacheWriteInputTokens: usage.prompt_tokens_details?.cache_write_tokens ?? 0,
    cacheWrite1hInputTokens: usage.prompt_tokens_details?.cache_write_1h_tokens ?? 0,
    reasoningTokens: usage.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

/** OpenAI's usage object for a normalised usage, as adapters for other providers report it. */
export function completionUsageFromUsage(usage: Usage): CompletionUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.totalTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cachedInputTokens,
      ...(usage.cacheWriteInputTokens > 0 ? { cache_write_tokens: usage.cacheWriteInputTokens } : {}),
      ...(usage.cacheWrite1hInputTokens > 0 ? { cache_write_1h_tokens: usage.cacheWrite1hInputTokens } : {}),
    },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  };
}

/** Embeddings spend input tokens only. */
export function usageFromEmbeddings(usage: { prompt_tokens: number; total_tokens: number }): Usage {
  return {
    inputTokens: usage.prompt_tokens,
    outputTokens: 0,
    totalTokens: usage.total_tokens,
    cachedInputTokens: 0,
    cacheWriteInputTokens: 0,
    cacheWrite1hInputTokens: 0,
    reasoningTokens: 0,
  };
}
