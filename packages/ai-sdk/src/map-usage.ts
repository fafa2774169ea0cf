// The gateway's usage (OpenAI's `usage`, or the meta's normalised `Usage`) as the AI SDK's LanguageModelV4Usage.
import type { LanguageModelV4Usage } from '@ai-sdk/provider';
import type { CompletionUsage, Usage } from '@switchyard/core';

/** No usage reported: every count unknown. */
export const UNKNOWN_USAGE: LanguageModelV4Usage = {
  inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
  outputTokens: { total: undefined, text: undefined, reasoning: undefined },
};

/**
 * From OpenAI's usage, where `prompt_tokens` includes cache reads and writes and
 * `completion_tokens` includes reasoning. The gateway's adapters fill the details in; absent
 * details are zero (the provider reported none).
 */
export function usageFromCompletion(usage: CompletionUsage | null | undefined): LanguageModelV4Usage {
  if (!usage) return UNKNOWN_USAGE;
  const cacheRead = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage.prompt_tokens_details?.cache_write_tokens ?? 0;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    inputTokens: { total: usage.prompt_tokens, noCache: Math.max(0, usage.prompt_tokens - cacheRead - cacheWrite), cacheRead, cacheWrite },
    outputTokens: { total: usage.completion_tokens, text: Math.max(0, usage.completion_tokens - reasoning), reasoning },
    raw: JSON.parse(JSON.stringify(usage)) as NonNullable<LanguageModelV4Usage['raw']>,
  };
}

/** From the meta's normalised usage: a stream whose usage chunk never came, but whose partial usage the gateway recorded. */
export function usageFromMeta(usage: Usage | undefined): LanguageModelV4Usage {
  if (!usage) return UNKNOWN_USAGE;
  const { inputTokens, outputTokens, cachedInputTokens, cacheWriteInputTokens, reasoningTokens } = usage;
  return {
    inputTokens: { total: inputTokens, noCache: Math.max(0, inputTokens - cachedInputTokens - cacheWriteInputTokens), cacheRead: cachedInputTokens, cacheWrite: cacheWriteInputTokens },
    outputTokens: { total: outputTokens, text: Math.max(0, outputTokens - reasoningTokens), reasoning: reasoningTokens },
  };
}
