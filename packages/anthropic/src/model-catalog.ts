import { modelFacts } from '@switchyard/core/adapter';

/** For models the catalog does not know (new or custom), a conservative output size. */
export const FALLBACK_MAX_TOKENS = 4_096;

/**
 * Anthropic requires `max_tokens`; when the caller sets none, the model's maximum output from
 * the built-in model catalog (`modelFacts` of `@switchyard/core/adapter`, see docs/catalog.md) is
 * used, so that an answer is never cut short by a default the caller did not choose.
 */
export function defaultMaxTokens(model: string): number {
  return modelFacts(model)?.maxOutputTokens ?? FALLBACK_MAX_TOKENS;
}

/** Thinking budgets for `reasoning_effort`; `none` turns thinking off. */
export const DEFAULT_THINKING_BUDGETS = {
  minimal: 1_024,
  low: 2_048,
  medium: 8_192,
  high: 16_384,
  xhigh: 32_768,
  max: 63_999,
} as const;

export type ThinkingBudgets = Record<keyof typeof DEFAULT_THINKING_BUDGETS, number>;

/** Anthropic's smallest thinking budget. */
export const MIN_THINKING_BUDGET = 1_024;
