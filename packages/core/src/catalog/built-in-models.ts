import type { ModelFacts } from './model-facts.js';

/**
 * A built-in entry: the facts, where they were taken from and when. `family: true` makes the
 * name a family prefix (see `lookup.ts`): it also covers every `<name>-...` not listed itself.
 * Unknown facts are left out, never guessed. Prices are USD per token, written `n / 1_000_000`
 * from the list price per million tokens (standard tier, pay as you go) so that each can be
 * checked against its source; docs/catalog.md lists them per million.
 *
 * How the three providers bill, and so what is set:
 * - OpenAI: cached input has its own price (`cacheRead`); writing the cache costs nothing on top
 *   of input, so `cacheWrite5m` is the input price (a write is priced as plain input).
 *   Reasoning tokens are billed as output (`reasoning` unset).
 * - Anthropic: cache hits (0.1x input), 5-minute writes (1.25x) and 1-hour writes (2x) as the
 *   pricing table lists them; extended thinking is billed as output.
 * - Google: `cacheRead` is the context-caching price (cache storage per hour is not modelled);
 *   thinking tokens are billed as output ("output price, including thinking tokens"). Input is
 *   the text / image / video price (audio input is dearer and not modelled).
 * Since an entry does not inherit from a family it sits under, an entry that only adds prices
 * repeats the facts (max output) its family gave the name before.
 */
export interface BuiltInModel {
  readonly name: string;
  readonly facts: ModelFacts;
  readonly family?: boolean;
  /** Public source of the facts (and the page or section they are on). */
  readonly source: string;
  /** When the source was read (YYYY-MM-DD). */
  readonly retrieved: string;
}

const ANTHROPIC_OVERVIEW =
  'https://docs.anthropic.com/en/docs/about-claude/models/overview (max output, as carried over from packages/anthropic/src/model-catalog.ts)';
const CARRIED = '2026-12-02';
/** When the price sources below were read. */
const READ = '2026-12-02';

const ANTHROPIC_PRICING =
  'prices: https://platform.claude.com/docs/en/about-claude/pricing ("Model pricing" table: base input, 5m cache writes, 1h cache writes, cache hits & refreshes, output tokens, per MTok)';
const ANTHROPIC_PRICING_LEGACY =
  'prices: https://docs.anthropic.com/en/docs/about-claude/pricing ("Model pricing" table, which still lists the Claude 3 models)';
const ANTHROPIC_LONG_CONTEXT =
  'long context: https://docs.anthropic.com/en/docs/about-claude/pricing ("Long context pricing": <= 200K input tokens $3 / $15, > 200K input tokens $6 / $22.50 per MTok), with the prompt-caching multipliers on top (https://eonsr.com/en/claude-sonnet-4-1m-context-pricing-switch, "caching multipliers stack with long-context pricing")';

const GENAI_PRICES_OPENAI =
  'https://github.com/pydantic/genai-prices/blob/01d6df8c6f465a479f1bb6ef1d17758e0bf1b7f7/prices/providers/openai.yml (a curated table of https://platform.openai.com/docs/pricing';

const GEMINI_PRICING =
  'prices: https://ai.google.dev/gemini-api/docs/pricing (Standard, paid tier, per 1M tokens; the input prices transcribed verbatim on 2026-10-07 in https://github.com/api-evangelist/deepmind/blob/main/plans/deepmind-plans-pricing.yml)';
const MODELS_DEV_GOOGLE = 'https://github.com/anomalyco/models.dev/blob/0760ceffd3e02115e6480d9a0be7992c330c2f35/providers/google/models';

export const BUILT_IN_MODELS: readonly BuiltInModel[] = [
  // Anthropic: the max-output table the adapter used for its `max_tokens` default, with prices.
  {
    name: 'claude-opus-4-1',
    family: true,
    facts: {
      maxOutputTokens: 32_000,
      // Claude Opus 4.1 (retired on the Claude API except on Bedrock and Google Cloud).
      prices: { input: 15 / 1_000_000, cacheWrite5m: 18.75 / 1_000_000, cacheWrite1h: 30 / 1_000_000, cacheRead: 1.5 / 1_000_000, output: 75 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING} (Claude Opus 4.1)`,
    retrieved: CARRIED,
  },
  {
    name: 'claude-opus-4-0',
    family: true,
    facts: {
      maxOutputTokens: 32_000,
      prices: { input: 15 / 1_000_000, cacheWrite5m: 18.75 / 1_000_000, cacheWrite1h: 30 / 1_000_000, cacheRead: 1.5 / 1_000_000, output: 75 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING} (Claude Opus 4)`,
    retrieved: CARRIED,
  },
  {
    name: 'claude-opus-4-20250514',
    facts: {
      maxOutputTokens: 32_000,
      prices: { input: 15 / 1_000_000, cacheWrite5m: 18.75 / 1_000_000, cacheWrite1h: 30 / 1_000_000, cacheRead: 1.5 / 1_000_000, output: 75 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING} (Claude Opus 4)`,
    retrieved: CARRIED,
  },
  // The Opus 4 family: its later versions share the max output but not the price, so it has no
  // prices itself (a version not listed below has none rather than Opus 4's).
  { name: 'claude-opus-4', family: true, facts: { maxOutputTokens: 64_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  ...(['4-5', '4-6', '4-7', '4-8'] as const).map(
    (version): BuiltInModel => ({
      name: `claude-opus-${version}`,
      family: true,
      facts: {
        // The max output the claude-opus-4 family gave these names, kept as it was.
        maxOutputTokens: 64_000,
        prices: { input: 5 / 1_000_000, cacheWrite5m: 6.25 / 1_000_000, cacheWrite1h: 10 / 1_000_000, cacheRead: 0.5 / 1_000_000, output: 25 / 1_000_000 },
      },
      source: `${ANTHROPIC_OVERVIEW} (claude-opus-4 family); ${ANTHROPIC_PRICING} (Claude Opus ${version.replace('-', '.')})`,
      retrieved: READ,
    }),
  ),
  {
    name: 'claude-sonnet-4-5',
    family: true,
    facts: {
      contextWindow: 200_000,
      maxOutputTokens: 64_000,
      prices: {
        input: 3 / 1_000_000,
        cacheWrite5m: 3.75 / 1_000_000,
        cacheWrite1h: 6 / 1_000_000,
        cacheRead: 0.3 / 1_000_000,
        output: 15 / 1_000_000,
        // With the 1M-token context window (beta), above 200K input tokens: $6 / $22.50, and the
        // cache prices at their multipliers of $6 (1.25x, 2x, 0.1x).
        tiers: [
          {
            aboveInputTokens: 200_000,
            prices: { input: 6 / 1_000_000, cacheWrite5m: 7.5 / 1_000_000, cacheWrite1h: 12 / 1_000_000, cacheRead: 0.6 / 1_000_000, output: 22.5 / 1_000_000 },
          },
        ],
      },
    },
    source: `https://platform.claude.com/docs/en/models/sonnet-4-5/overview ("Context window: 200K tokens · Max output: 64K tokens"; deprecated, retiring 2026-11-30); ${ANTHROPIC_PRICING} (Claude Sonnet 4.5); ${ANTHROPIC_LONG_CONTEXT}`,
    retrieved: '2026-12-02',
  },
  {
    name: 'claude-sonnet-4-6',
    family: true,
    facts: {
      // The max output the claude-sonnet-4 family gave this name, kept as it was.
      maxOutputTokens: 64_000,
      prices: { input: 3 / 1_000_000, cacheWrite5m: 3.75 / 1_000_000, cacheWrite1h: 6 / 1_000_000, cacheRead: 0.3 / 1_000_000, output: 15 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW} (claude-sonnet-4 family); ${ANTHROPIC_PRICING} (Claude Sonnet 4.6); no long-context tier: https://deploybase.ai/articles/claude-api-pricing ("Opus 4.6 and Sonnet 4.6 eliminated long-context surcharges")`,
    retrieved: READ,
  },
  {
    name: 'claude-sonnet-4',
    family: true,
    facts: {
      maxOutputTokens: 64_000,
      prices: {
        input: 3 / 1_000_000,
        cacheWrite5m: 3.75 / 1_000_000,
        cacheWrite1h: 6 / 1_000_000,
        cacheRead: 0.3 / 1_000_000,
        output: 15 / 1_000_000,
        tiers: [
          {
            aboveInputTokens: 200_000,
            prices: { input: 6 / 1_000_000, cacheWrite5m: 7.5 / 1_000_000, cacheWrite1h: 12 / 1_000_000, cacheRead: 0.6 / 1_000_000, output: 22.5 / 1_000_000 },
          },
        ],
      },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING} (Claude Sonnet 4); ${ANTHROPIC_LONG_CONTEXT}`,
    retrieved: CARRIED,
  },
  { name: 'claude-haiku-4', family: true, facts: { maxOutputTokens: 64_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  {
    name: 'claude-haiku-4-5',
    family: true,
    facts: {
      maxOutputTokens: 64_000,
      prices: { input: 1 / 1_000_000, cacheWrite5m: 1.25 / 1_000_000, cacheWrite1h: 2 / 1_000_000, cacheRead: 0.1 / 1_000_000, output: 5 / 1_000_000 },
    },
    source: `https://platform.claude.com/docs/en/models/haiku-4-5/overview ("Context window: 200K tokens · Max output: 64K tokens"); ${ANTHROPIC_PRICING} (Claude Haiku 4.5)`,
    retrieved: READ,
  },
  {
    name: 'claude-3-7-sonnet',
    family: true,
    facts: {
      maxOutputTokens: 64_000,
      prices: { input: 3 / 1_000_000, cacheWrite5m: 3.75 / 1_000_000, cacheWrite1h: 6 / 1_000_000, cacheRead: 0.3 / 1_000_000, output: 15 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING} (Claude Sonnet 3.7, deprecated)`,
    retrieved: CARRIED,
  },
  {
    name: 'claude-3-5-sonnet',
    family: true,
    facts: {
      maxOutputTokens: 8_192,
      prices: { input: 3 / 1_000_000, cacheWrite5m: 3.75 / 1_000_000, cacheWrite1h: 6 / 1_000_000, cacheRead: 0.3 / 1_000_000, output: 15 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING_LEGACY} (Claude Sonnet 3.5, deprecated)`,
    retrieved: CARRIED,
  },
  {
    name: 'claude-3-5-haiku',
    family: true,
    facts: {
      maxOutputTokens: 8_192,
      prices: { input: 0.8 / 1_000_000, cacheWrite5m: 1 / 1_000_000, cacheWrite1h: 1.6 / 1_000_000, cacheRead: 0.08 / 1_000_000, output: 4 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING} (Claude Haiku 3.5)`,
    retrieved: CARRIED,
  },
  {
    name: 'claude-3-opus',
    family: true,
    facts: {
      maxOutputTokens: 4_096,
      prices: { input: 15 / 1_000_000, cacheWrite5m: 18.75 / 1_000_000, cacheWrite1h: 30 / 1_000_000, cacheRead: 1.5 / 1_000_000, output: 75 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING} (Claude Opus 3, deprecated)`,
    retrieved: CARRIED,
  },
  {
    name: 'claude-3-haiku',
    family: true,
    facts: {
      maxOutputTokens: 4_096,
      prices: { input: 0.25 / 1_000_000, cacheWrite5m: 0.3 / 1_000_000, cacheWrite1h: 0.5 / 1_000_000, cacheRead: 0.03 / 1_000_000, output: 1.25 / 1_000_000 },
    },
    source: `${ANTHROPIC_OVERVIEW}; ${ANTHROPIC_PRICING} (Claude Haiku 3)`,
    retrieved: CARRIED,
  },

  // OpenAI: only what a source confirmed; the rest of the model card is unknown here. No entry is
  // a family: `gpt-4o` does not cover `gpt-4o-mini`, nor `gpt-4.1` `gpt-4.1-mini`.
  // `cacheWrite5m` is the input price: OpenAI charges nothing extra to write its prompt cache.
  {
    name: 'gpt-4o',
    facts: {
      contextWindow: 128_000,
      prices: { input: 2.5 / 1_000_000, cacheRead: 1.25 / 1_000_000, cacheWrite5m: 2.5 / 1_000_000, output: 10 / 1_000_000 },
    },
    source: `https://platform.openai.com/docs/models/gpt-4o (context window 128,000 tokens, as quoted in gitlab.com/gitlab-org/modelops/ai-model-validation-and-research/ai-evaluation/prompt-library/-/issues/297); prices: ${GENAI_PRICES_OPENAI}; entry gpt-4o, also matching gpt-4o-2024-08-06 and -11-20: input $2.50, cached input $1.25, output $10 per 1M, prices_checked 2025-07-04)`,
    retrieved: '2026-12-02',
  },
  {
    // The first snapshot kept its launch price, above the one `gpt-4o` now points to.
    name: 'gpt-4o-2024-05-13',
    facts: { contextWindow: 128_000, prices: { input: 5 / 1_000_000, cacheWrite5m: 5 / 1_000_000, output: 15 / 1_000_000 } },
    source:
      'https://openrouter.ai/openai/gpt-4o-2024-05-13 ("128,000 context · $5/M input tokens · $15/M output tokens"); the same $5 / $15 in https://github.com/outl1ne/openai-pricing/blob/main/pricing.json ("gpt-4o-2024-05-13", no cached-input price)',
    retrieved: READ,
  },
  {
    name: 'gpt-4o-mini',
    facts: { prices: { input: 0.15 / 1_000_000, cacheRead: 0.075 / 1_000_000, cacheWrite5m: 0.15 / 1_000_000, output: 0.6 / 1_000_000 } },
    source: `${GENAI_PRICES_OPENAI}; entry gpt-4o-mini, also matching gpt-4o-mini-2024-07-18: input $0.15, cached input $0.075, output $0.60 per 1M, prices_checked 2025-07-04)`,
    retrieved: READ,
  },
  {
    name: 'gpt-4.1',
    facts: { prices: { input: 2 / 1_000_000, cacheRead: 0.5 / 1_000_000, cacheWrite5m: 2 / 1_000_000, output: 8 / 1_000_000 } },
    source: `${GENAI_PRICES_OPENAI}; entry gpt-4.1: input $2, cached input $0.50, output $8 per 1M, prices_checked 2025-07-04); the same in https://github.com/github/docs/blob/main/data/tables/copilot/models-and-pricing.yml (GPT-4.1)`,
    retrieved: READ,
  },
  {
    name: 'gpt-4.1-mini',
    facts: { prices: { input: 0.4 / 1_000_000, cacheRead: 0.1 / 1_000_000, cacheWrite5m: 0.4 / 1_000_000, output: 1.6 / 1_000_000 } },
    source: `${GENAI_PRICES_OPENAI}; entry gpt-4.1-mini: input $0.40, cached input $0.10, output $1.60 per 1M, prices_checked 2025-07-04)`,
    retrieved: READ,
  },
  {
    name: 'gpt-4.1-nano',
    facts: { prices: { input: 0.1 / 1_000_000, cacheRead: 0.025 / 1_000_000, cacheWrite5m: 0.1 / 1_000_000, output: 0.4 / 1_000_000 } },
    source:
      'https://developers.openai.com/ko-KR/api/docs/models/gpt-4.1-nano (Pricing, Text tokens per 1M: input $0.10, cached input $0.025, output $0.40; the page marks the model shut down)',
    retrieved: READ,
  },
  {
    name: 'o3',
    facts: {
      contextWindow: 200_000,
      maxOutputTokens: 100_000,
      modalities: { input: ['text', 'image'], output: ['text'] },
      // Since 2025-06-10 (o3 launched at $10 / $40).
      prices: { input: 2 / 1_000_000, cacheRead: 0.5 / 1_000_000, cacheWrite5m: 2 / 1_000_000, output: 8 / 1_000_000 },
    },
    source: `https://github.com/RooCodeInc/Roo-Code/pull/2691 (context 200,000, max output 100,000, images in; citing https://platform.openai.com/docs/models/o3); modalities: https://pub.dev/documentation/agentic/latest/chat_connector_model/ChatModel/openaiO3-constant.html; prices: ${GENAI_PRICES_OPENAI}; entry o3, also matching o3-2025-04-16: input $2, cached input $0.50, output $8 per 1M from 2025-06-10, prices_checked 2025-07-12)`,
    retrieved: '2026-12-02',
  },
  {
    name: 'o3-mini',
    facts: { prices: { input: 1.1 / 1_000_000, cacheRead: 0.55 / 1_000_000, cacheWrite5m: 1.1 / 1_000_000, output: 4.4 / 1_000_000 } },
    source: `${GENAI_PRICES_OPENAI}; entry o3-mini, also matching o3-mini-2025-01-31: input $1.10, cached input $0.55, output $4.40 per 1M, prices_checked 2025-07-04)`,
    retrieved: READ,
  },
  {
    name: 'o4-mini',
    facts: {
      contextWindow: 200_000,
      maxOutputTokens: 100_000,
      prices: { input: 1.1 / 1_000_000, cacheRead: 0.275 / 1_000_000, cacheWrite5m: 1.1 / 1_000_000, output: 4.4 / 1_000_000 },
    },
    source: `https://github.com/RooCodeInc/Roo-Code/pull/2691 (context 200,000, max output 100,000; citing https://platform.openai.com/docs/models/o4-mini); prices: ${GENAI_PRICES_OPENAI}; entry o4-mini, also matching o4-mini-2025-04-16: input $1.10, cached input $0.275, output $4.40 per 1M, prices_checked 2025-07-04)`,
    retrieved: '2026-12-02',
  },
  {
    name: 'gpt-5',
    facts: { prices: { input: 1.25 / 1_000_000, cacheRead: 0.125 / 1_000_000, cacheWrite5m: 1.25 / 1_000_000, output: 10 / 1_000_000 } },
    source: `${GENAI_PRICES_OPENAI}; entry gpt-5, also matching gpt-5-2025-08-07: input $1.25, cached input $0.125, output $10 per 1M, prices_checked 2025-11-13); input $1.25 also in the "Quick comparison" of https://developers.openai.com/api/docs/models/gpt-5-codex`,
    retrieved: READ,
  },
  {
    name: 'gpt-5-mini',
    facts: { prices: { input: 0.25 / 1_000_000, cacheRead: 0.025 / 1_000_000, cacheWrite5m: 0.25 / 1_000_000, output: 2 / 1_000_000 } },
    source:
      'https://developers.openai.com/ko-KR/api/docs/models/gpt-5-mini (Pricing, Text tokens per 1M: input $0.25, cached input $0.025, output $2.00; the page marks the model for deprecation)',
    retrieved: READ,
  },
  {
    name: 'gpt-5-nano',
    facts: { prices: { input: 0.05 / 1_000_000, cacheRead: 0.005 / 1_000_000, cacheWrite5m: 0.05 / 1_000_000, output: 0.4 / 1_000_000 } },
    source: 'https://developers.openai.com/api/docs/models/gpt-5-nano.md (Pricing, Text tokens: input $0.05, cached input $0.005, output $0.4 per 1M tokens; marked deprecated)',
    retrieved: READ,
  },
  // Embeddings: input only (an embeddings call has no output tokens).
  {
    name: 'text-embedding-3-small',
    facts: { prices: { input: 0.02 / 1_000_000 } },
    source: `${GENAI_PRICES_OPENAI}; entry text-embedding-3-small: input $0.02 per 1M, prices_checked 2025-07-04); the same in https://tokenmath.io/openai-api-pricing-explained ("text-embedding-3-small $0.02 per 1M tokens", checked 2026-06-21)`,
    retrieved: READ,
  },
  {
    name: 'text-embedding-3-large',
    facts: { prices: { input: 0.13 / 1_000_000 } },
    source: `${GENAI_PRICES_OPENAI}; entry text-embedding-3-large: input $0.13 per 1M, prices_checked 2025-07-04)`,
    retrieved: READ,
  },

  // Google.
  {
    name: 'gemini-2.5-pro',
    facts: {
      contextWindow: 1_048_576,
      maxOutputTokens: 65_535,
      modalities: { input: ['text', 'image', 'audio', 'video'], output: ['text'] },
      prices: {
        input: 1.25 / 1_000_000,
        output: 10 / 1_000_000,
        cacheRead: 0.125 / 1_000_000,
        // Prompts longer than 200k tokens: the whole request at these prices.
        tiers: [{ aboveInputTokens: 200_000, prices: { input: 2.5 / 1_000_000, output: 15 / 1_000_000, cacheRead: 0.25 / 1_000_000 } }],
      },
    },
    source: `https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/gemini/2-5-pro (max input 1,048,576, max output 65,535; text, code, images, audio, video in, text out); ${GEMINI_PRICING}: input "$1.25, prompts <= 200k tokens", "$2.50, prompts > 200k tokens"; output $10 / $15 and context caching $0.125 / $0.25 per 1M as in ${MODELS_DEV_GOOGLE}/gemini-2.5-pro.toml`,
    retrieved: '2026-12-02',
  },
  {
    name: 'gemini-2.5-flash-lite',
    facts: {
      contextWindow: 1_048_576,
      maxOutputTokens: 65_536,
      modalities: { input: ['text', 'image', 'audio', 'video', 'pdf'], output: ['text'] },
      prices: { input: 0.1 / 1_000_000, output: 0.4 / 1_000_000, cacheRead: 0.01 / 1_000_000 },
    },
    source: `https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini/2-5-flash-lite (max input 1,048,576, max output 65,536; text, images, audio, video and application/pdf documents in, text out); ${GEMINI_PRICING}: output "$0.40"; input $0.10 (text / image / video) and context caching $0.01 per 1M as in https://github.com/anomalyco/models.dev/blob/19565ce21d886b2ec61c7d0b984ce87ad1b140fb/providers/google/models/gemini-2.5-flash-lite.toml`,
    retrieved: '2026-12-02',
  },
  {
    name: 'gemini-2.5-flash',
    facts: {
      contextWindow: 1_048_576,
      maxOutputTokens: 65_536,
      modalities: { input: ['text', 'image', 'audio', 'video', 'pdf'], output: ['text'] },
      prices: { input: 0.3 / 1_000_000, output: 2.5 / 1_000_000, cacheRead: 0.03 / 1_000_000 },
    },
    source: `https://docs.oracle.com/en-us/iaas/Content/generative-ai/google-gemini-2-5-flash.htm (max input 1,048,576, max output 65,536; text, image, document, audio and video in, text out); ${GEMINI_PRICING}: input "$0.30 (text / image / video)" ($1.00 audio); output $2.50 and context caching $0.03 per 1M as in ${MODELS_DEV_GOOGLE}/gemini-2.5-flash.toml`,
    retrieved: '2026-12-02',
  },
  {
    name: 'gemini-embedding-001',
    facts: { prices: { input: 0.15 / 1_000_000 } },
    source:
      'https://developers.googleblog.com/en/gemini-embedding-available-gemini-api/ ("The Gemini Embedding model is priced at $0.15 per 1M input tokens", as quoted in https://github.com/simonw/llm-gemini/issues/102); the same in https://opencode.ai/data/google/gemini-embedding-001',
    retrieved: READ,
  },
];
