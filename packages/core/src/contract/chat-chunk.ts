import { z } from 'zod';
import { finishReasonSchema } from './chat-completion.js';
import { reasoningDetailSchema } from './extensions.js';
import { choiceLogprobsSchema, completionUsageSchema, moderationSchema, serviceTierSchema } from './shared-schemas.js';

export const toolCallDeltaSchema = z.object({
  index: z.number(),
  id: z.string().optional(),
  type: z.enum(['function', 'custom']).optional(),
  function: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
  custom: z.object({ name: z.string().optional(), input: z.string().optional() }).optional(),
});

export const chunkDeltaSchema = z.object({
  role: z.enum(['developer', 'system', 'user', 'assistant', 'tool']).optional(),
  content: z.string().nullish(),
  refusal: z.string().nullish(),
  tool_calls: z.array(toolCallDeltaSchema).optional(),
  function_call: z.object({ name: z.string().optional(), arguments: z.string().optional() }).optional(),
  audio: z
    .object({
      id: z.string().optional(),
      data: z.string().optional(),
      expires_at: z.number().optional(),
      transcript: z.string().optional(),
    })
    .optional(),
  /** Extension: streamed reasoning text (see `ChatCompletionMessage.reasoning_content`). */
  reasoning_content: z.string().nullish(),
  /** Extension: complete signed-reasoning entries (see `ReasoningDetail`); append them. */
  reasoning_details: z.array(reasoningDetailSchema).optional(),
});

export const chatCompletionChunkSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion.chunk'),
  created: z.number(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number(),
      delta: chunkDeltaSchema,
      finish_reason: finishReasonSchema.nullable(),
      logprobs: choiceLogprobsSchema.nullish(),
    }),
  ),
  moderation: moderationSchema.nullish(),
  obfuscation: z.string().optional(),
  service_tier: serviceTierSchema.nullish(),
  system_fingerprint: z.string().optional(),
  usage: completionUsageSchema.nullish(),
});

export type ChatCompletionChunk = z.infer<typeof chatCompletionChunkSchema>;
export type ChatCompletionChunkDelta = z.infer<typeof chunkDeltaSchema>;
export type ChatCompletionToolCallDelta = z.infer<typeof toolCallDeltaSchema>;
