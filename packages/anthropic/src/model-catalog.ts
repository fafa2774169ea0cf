/**
 * Anthropic requires `max_tokens`; when the caller sets none, the model's maximum output
 * is used (from Anthropic's model overview), so that an answer is never cut short by a
 * default the caller did not choose. Matched by prefix; the most specific prefix wins.
 */
const MAX_OUTPUT_TOKENS: ReadonlyArray<readonly [prefix: string, tokens: number]> = [
  ['claude-opus-4-1', 32_000],
  ['claude-opus-4-0', 32_000],
  ['claude-opus-4-2025', 32_000],
  ['claude-opus-4', 64_000],
  ['claude-sonnet-4', 64_000],
  ['claude-haiku-4', 64_000],
  ['claude-3-7-sonnet', 64_000],
  ['claude-3-5-sonnet', 8_192],
  ['claude-3-5-haiku', 8_192],
  ['claude-3-opus', 4_096],
  ['claude-3-haiku', 4_096],
];

/** For models the catalog does not know (new or custom), a conservative output size. */
export const FALLBACK_MAX_TOKENS = 4_096;

export function defaultMaxTokens(model: string): number {
  let best: readonly [string, number] | undefined;
  for (const entry of MAX_OUTPUT_TOKENS) {
    if (model.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1] ?? FALLBACK_MAX_TOKENS;
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
