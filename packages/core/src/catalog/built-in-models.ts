import type { ModelFacts } from './model-facts.js';

/**
 * A built-in entry: the facts, where they were taken from and when. `family: true` makes the
 * name a family prefix (see `lookup.ts`): it also covers every `<name>-...` not listed itself.
 * Unknown facts are left out, never guessed; prices are left to config (and to cost accounting).
 */
export interface BuiltInModel {
  readonly name: string;
  readonly facts: ModelFacts;
  readonly family?: boolean;
  /** Public source of the facts. */
  readonly source: string;
  /** When the source was read (YYYY-MM-DD). */
  readonly retrieved: string;
}

const ANTHROPIC_OVERVIEW =
  'https://docs.anthropic.com/en/docs/about-claude/models/overview (max output, as carried over from packages/anthropic/src/model-catalog.ts)';
const CARRIED = '2026-12-02';

export const BUILT_IN_MODELS: readonly BuiltInModel[] = [
  // Anthropic: the max-output table the adapter used for its `max_tokens` default.
  { name: 'claude-opus-4-1', family: true, facts: { maxOutputTokens: 32_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-opus-4-0', family: true, facts: { maxOutputTokens: 32_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-opus-4-20250514', facts: { maxOutputTokens: 32_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-opus-4', family: true, facts: { maxOutputTokens: 64_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  {
    name: 'claude-sonnet-4-5',
    family: true,
    facts: { contextWindow: 200_000, maxOutputTokens: 64_000 },
    source: 'https://platform.claude.com/docs/en/models/sonnet-4-5/overview ("Context window: 200K tokens · Max output: 64K tokens")',
    retrieved: '2026-12-02',
  },
  { name: 'claude-sonnet-4', family: true, facts: { maxOutputTokens: 64_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-haiku-4', family: true, facts: { maxOutputTokens: 64_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-3-7-sonnet', family: true, facts: { maxOutputTokens: 64_000 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-3-5-sonnet', family: true, facts: { maxOutputTokens: 8_192 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-3-5-haiku', family: true, facts: { maxOutputTokens: 8_192 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-3-opus', family: true, facts: { maxOutputTokens: 4_096 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  { name: 'claude-3-haiku', family: true, facts: { maxOutputTokens: 4_096 }, source: ANTHROPIC_OVERVIEW, retrieved: CARRIED },
  // OpenAI: only what a source confirmed; the rest of the model card is unknown here.
  {
    name: 'gpt-4o',
    facts: { contextWindow: 128_000 },
    source: 'https://platform.openai.com/docs/models/gpt-4o (context window 128,000 tokens, as quoted in gitlab.com/gitlab-org/modelops/ai-model-validation-and-research/ai-evaluation/prompt-library/-/issues/297)',
    retrieved: '2026-12-02',
  },
  {
    name: 'o3',
    facts: { contextWindow: 200_000, maxOutputTokens: 100_000, modalities: { input: ['text', 'image'], output: ['text'] } },
    source:
      'https://github.com/RooCodeInc/Roo-Code/pull/2691 (context 200,000, max output 100,000, images in; citing https://platform.openai.com/docs/models/o3); modalities: https://pub.dev/documentation/agentic/latest/chat_connector_model/ChatModel/openaiO3-constant.html',
    retrieved: '2026-12-02',
  },
  {
    name: 'o4-mini',
    facts: { contextWindow: 200_000, maxOutputTokens: 100_000 },
    source: 'https://github.com/RooCodeInc/Roo-Code/pull/2691 (context 200,000, max output 100,000; citing https://platform.openai.com/docs/models/o4-mini)',
    retrieved: '2026-12-02',
  },
  // Google.
  {
    name: 'gemini-2.5-pro',
    facts: { contextWindow: 1_048_576, maxOutputTokens: 65_535, modalities: { input: ['text', 'image', 'audio', 'video'], output: ['text'] } },
    source: 'https://docs.cloud.google.com/gemini-enterprise-agent-platform/models/gemini/2-5-pro (max input 1,048,576, max output 65,535; text, code, images, audio, video in, text out)',
    retrieved: '2026-12-02',
  },
  {
    name: 'gemini-2.5-flash-lite',
    facts: { contextWindow: 1_048_576, maxOutputTokens: 65_536, modalities: { input: ['text', 'image', 'audio', 'video', 'pdf'], output: ['text'] } },
    source: 'https://cloud.google.com/vertex-ai/generative-ai/docs/models/gemini/2-5-flash-lite (max input 1,048,576, max output 65,536; text, images, audio, video and application/pdf documents in, text out)',
    retrieved: '2026-12-02',
  },
  {
    name: 'gemini-2.5-flash',
    facts: { contextWindow: 1_048_576, maxOutputTokens: 65_536, modalities: { input: ['text', 'image', 'audio', 'video', 'pdf'], output: ['text'] } },
    source: 'https://docs.oracle.com/en-us/iaas/Content/generative-ai/google-gemini-2-5-flash.htm (max input 1,048,576, max output 65,536; text, image, document, audio and video in, text out)',
    retrieved: '2026-12-02',
  },
];
