import type { Usage } from '../adapter/usage.js';

/** The usage of several attempts together; `undefined` only when none reported any. */
export function sumUsage(usages: Iterable<Usage | undefined>): Usage | undefined {
  let total: Usage | undefined;
  for (const usage of usages) {
    if (!usage) continue;
    if (!total) {
      total = { ...usage };
      continue;
    }
    total.inputTokens += usage.inputTokens;
    total.outputTokens += usage.outputTokens;
    total.totalTokens += usage.totalTokens;
    total.cachedInputTokens += usage.cachedInputTokens;
    total.cacheWriteInputTokens += usage.cacheWriteInputTokens;
    total.cacheWrite1hInputTokens += usage.cacheWrite1hInputTokens;
    total.reasoningTokens += usage.reasoningTokens;
  }
  return total;
}
