import { z } from 'zod';
import { toolCallSchema } from './chat-messages.js';
import { reasoningDetailSchema } from './extensions.js';
import {
  choiceLogprobsSchema,
  completionUsageSchema,
  metadataSchema,
  moderationSchema,
  serviceTierSchema,
} from './shared-schemas.js';

export const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls', 'content_filter', 'function_call']);

export const chatCompletionMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z.string().nullable(),
  refusal: z.string().nullable(),
  annotations: z
    .array(
      z.object({
        type: z.literal('url_citation'),
        url_citation: z.object({
          end_index: z.number(),
          start_index: z.number(),
          title: z.string(),
          url: z.string(),
        }),
      }),
    )
    .optional(),
  audio: z
    .object({ id: z.string(), data: z.string(), expires_at: z.number(), transcript: z.string() })
    .nullish(),
  function_call: z.object({ name: z.string(), arguments: z.string() }).nullish(),
  tool_calls: z.array(toolCallSchema).optional(),
  /**
   * Extension: the model's reasoning text, as OpenAI-compatible servers (vLLM, DeepSeek)
   * and the Anthropic / Gemini adapters report it. Absent from OpenAI's own responses.
   */
  reasoning_content: z.string().nullish(),
  /** Extension: signed reasoning to send back on the next turn (see `ReasoningDetail`). */
  reasoning_details: z.array(reasoningDetailSchema).optional(),
});

export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      message: chatCompletionMessageSchema,
      finish_reason: finishReasonSchema,
      logprobs: choiceLogprobsSchema.nullable(),
    }),
  ),
  metadata: metadataSchema.nullish(),
  moderation: moderationSchema.nullish(),
  service_tier: serviceTierSchema.nullish(),
  system_fingerprint: z.string().optional(),
  usage: completionUsageSchema.optional(),
});

export type FinishReason = z.infer<typeof finishReasonSchema>;
export type ChatCompletionMessage = z.infer<typeof chatCompletionMessageSchema>;
export type ChatCompletion = z.infer<typeof chatCompletionSchema>;
