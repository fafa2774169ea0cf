import type { CompletionUsage, FinishReason } from '@switchyard/core';
import { usageFromCompletionUsage, type Usage } from '@switchyard/core/adapter';
import type { WireUsage } from './anthropic-wire-schemas.js';

/**
 * Anthropic's `input_tokens` leaves out cache reads and writes; OpenAI's `prompt_tokens`
 * includes them, with reads as `cached_tokens` and writes as `cache_write_tokens`.
 * Thinking is part of `output_tokens`; its share is `reasoning_tokens`.
 */
export function toCompletionUsage(usage: WireUsage): CompletionUsage {
  const cacheRead = usage.cache_read_input_tokens ?? 0;
  const cacheWrite = usage.cache_creation_input_tokens ?? 0;
  // Of the writes, those to the 1-hour cache: Anthropic prices them at 2x input, the 5-minute ones at 1.25x.
  const cacheWrite1h = Math.min(usage.cache_creation?.ephemeral_1h_input_tokens ?? 0, cacheWrite);
  const prompt = (usage.input_tokens ?? 0) + cacheRead + cacheWrite;
  const completion = usage.output_tokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cacheRead, cache_write_tokens: cacheWrite, ...(cacheWrite1h > 0 ? { cache_write_1h_tokens: cacheWrite1h } : {}) },
    completion_tokens_details: { reasoning_tokens: usage.output_tokens_details?.thinking_tokens ?? 0 },
  };
}

/** The same counts in the gateway's normalised form, for partial usage reported mid-stream. */
export function toUsage(usage: WireUsage): Usage {
  return usageFromCompletionUsage(toCompletionUsage(usage));
}

/**
 * Stream usage arrives in parts: `message_start` has the input side, each `message_delta`
 * has cumulative totals. Later values replace earlier ones; nothing is added twice.
 */
export function mergeUsage(previous: WireUsage | undefined, next: WireUsage): WireUsage {
  const merged: WireUsage = { ...previous };
  for (const [key, value] of Object.entries(next)) if (value !== null && value !== undefined) merged[key] = value;
  return merged;
}

export function toFinishReason(stopReason: string | null | undefined, answeredWithTools: boolean): FinishReason {
  switch (stopReason) {
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_use':
      return answeredWithTools ? 'tool_calls' : 'stop';
    case 'refusal':
      return 'content_filter';
    default:
      // end_turn, stop_sequence, pause_turn, and anything new.
      return answeredWithTools ? 'tool_calls' : 'stop';
  }
}
