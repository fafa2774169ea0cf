import type { Usage } from '../adapter/usage.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import { countTokens, estimatePromptTokens } from './token-estimate.js';

export interface StreamEstimate {
  readonly usage: Usage;
  /** How it was made, for the cost's `reason`. */
  readonly reason: string;
}

/**
 * The usage of a stream that ended without the provider's final count: what the provider had
 * reported (`partial`, e.g. Anthropic's input tokens), its input completed by counting the
 * prompt when it sent none, its output by counting the text the stream delivered.
 */
export function estimateStreamUsage(partial: Usage | undefined, params: ChatCompletionCreateParams, delivered: string): StreamEstimate {
  const prompt = (partial?.inputTokens ?? 0) > 0 ? undefined : estimatePromptTokens(params);
  const output = countTokens(delivered);
  const inputTokens = prompt ? prompt.tokens : (partial?.inputTokens ?? 0);
  const outputTokens = Math.max(partial?.outputTokens ?? 0, output.tokens);
  const usage: Usage = {
    inputTokens,
    outputTokens,
    totalTokens: inputTokens + outputTokens,
    cachedInputTokens: partial?.cachedInputTokens ?? 0,
    cacheWriteInputTokens: partial?.cacheWriteInputTokens ?? 0,
    cacheWrite1hInputTokens: partial?.cacheWrite1hInputTokens ?? 0,
    reasoningTokens: partial?.reasoningTokens ?? 0,
  };
  const method = prompt?.method === 'characters' || output.method === 'characters' ? 'one token per 4 characters (the tokenizer was not loaded yet)' : 'the o200k_base tokenizer';
  const from = partial ? "the provider's partial usage and " : '';
  return { usage, reason: `estimated from ${from}${inputTokens} input and ${outputTokens} output tokens counted with ${method}` };
}
