import { describe, expect, it } from 'vitest';
import { completionUsageFromUsage, usageFromCompletionUsage, usageFromEmbeddings } from './usage.js';

describe('usage normalisation', () => {
  it('reads cached, cache-write (1-hour ones apart) and reasoning tokens from OpenAI-shaped usage', () => {
    const usage = usageFromCompletionUsage({
      prompt_tokens: 100,
      completion_tokens: 40,
      total_tokens: 140,
      prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 20, cache_write_1h_tokens: 5 },
      completion_tokens_details: { reasoning_tokens: 25 },
    });
    expect(usage).toEqual({
      inputTokens: 100,
      outputTokens: 40,
      totalTokens: 140,
      cachedInputTokens: 60,
      cacheWriteInputTokens: 20,
      cacheWrite1hInputTokens: 5,
      reasoningTokens: 25,
    });
    expect(usageFromCompletionUsage(completionUsageFromUsage(usage))).toEqual(usage);
  });

  it('defaults missing details to zero and counts embeddings as input only', () => {
    expect(usageFromCompletionUsage({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 })).toMatchObject({
      cachedInputTokens: 0,
      cacheWriteInputTokens: 0,
      reasoningTokens: 0,
    });
    expect(usageFromEmbeddings({ prompt_tokens: 7, total_tokens: 7 })).toMatchObject({ inputTokens: 7, outputTokens: 0, totalTokens: 7 });
  });
});
