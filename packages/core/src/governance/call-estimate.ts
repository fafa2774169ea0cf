// What a call is expected to use before it is sent: the tokens and USD that token limits and budgets reserve.
import type { Usage } from '../adapter/usage.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../contract/embeddings.js';
import type { CostCalculator } from '../cost/cost-calculator.js';
import { countTokens, estimatePromptTokens } from '../cost/token-estimate.js';
import type { Operation } from '../pipeline/middleware.js';
import type { ChargeAmounts } from './charge.js';

/** A target as pricing needs it. */
export interface PricedTarget {
  readonly provider: string;
  readonly model: string;
}

/**
 * The reservation of one call, computed on first use (a call under request limits only never
 * counts tokens): prompt tokens from the tokenizer, completion tokens from `max_completion_tokens`,
 * `max_tokens` or the configured default (times `n`), and their price on the dearest target.
 */
export class CallEstimate {
  readonly #operation: Operation;
  readonly #params: ChatCompletionCreateParams | EmbeddingCreateParams;
  readonly #defaultOutput: number;
  #input: number | undefined;
  #output: number | undefined;

  constructor(operation: Operation, params: ChatCompletionCreateParams | EmbeddingCreateParams, defaultOutputTokens: number) {
    this.#operation = operation;
    this.#params = params;
    this.#defaultOutput = defaultOutputTokens;
  }

  get inputTokens(): number {
    return (this.#input ??= this.#operation === 'chat' ? estimatePromptTokens(this.#params as ChatCompletionCreateParams).tokens : embeddingTokens(this.#params as EmbeddingCreateParams));
  }

  get outputTokens(): number {
    if (this.#output !== undefined) return this.#output;
    if (this.#operation === 'embeddings') return (this.#output = 0);
    const params = this.#params as ChatCompletionCreateParams;
    const most = params.max_completion_tokens ?? params.max_tokens ?? this.#defaultOutput;
    return (this.#output = most * Math.max(1, params.n ?? 1));
  }

  /** What the call would cost on the dearest of `targets` (0 for a model with no price: docs/governance.md). */
  usd(targets: readonly PricedTarget[], costs: CostCalculator): number {
    const usage: Usage = { ...NO_TOKENS, inputTokens: this.inputTokens, outputTokens: this.outputTokens, totalTokens: this.inputTokens + this.outputTokens };
    let most = 0;
    for (const target of targets) most = Math.max(most, costs.price(target.provider, target.model, usage).usd ?? 0);
    return most;
  }
}

/** What a call reserves, as the rules read it: tokens from the estimate, read only by a rule that counts them; USD set once priced. */
export class CallAmounts implements ChargeAmounts {
  usd = 0;
  readonly #estimate: CallEstimate;

  constructor(estimate: CallEstimate) {
    this.#estimate = estimate;
  }

  get inputTokens(): number {
    return this.#estimate.inputTokens;
  }

  get outputTokens(): number {
    return this.#estimate.outputTokens;
  }
}

const NO_TOKENS: Usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 };

function embeddingTokens(params: EmbeddingCreateParams): number {
  const input: unknown = params.input;
  if (typeof input === 'string') return countTokens(input).tokens;
  if (!Array.isArray(input)) return 0;
  // Token-id arrays are counted as given; strings by the tokenizer.
  let tokens = 0;
  for (const item of input as unknown[]) tokens += typeof item === 'string' ? countTokens(item).tokens : typeof item === 'number' ? 1 : Array.isArray(item) ? item.length : 0;
  return tokens;
}
