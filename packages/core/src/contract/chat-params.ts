import { z } from 'zod';
import { chatMessageSchema, textPartSchema } from './chat-messages.js';
import { cacheControlSchema } from './extensions.js';
import { jsonObjectSchema, metadataSchema, modelNameSchema, reasoningEffortSchema, serviceTierSchema } from './shared-schemas.js';

export const functionDefinitionSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: jsonObjectSchema.optional(),
  strict: z.boolean().nullish(),
});

export const functionToolSchema = z.object({
  type: z.literal('function'),
  function: functionDefinitionSchema,
  cache_control: cacheControlSchema.optional(),
});

export const customToolSchema = z.object({
  type: z.literal('custom'),
  custom: z.object({
    name: z.string(),
    description: z.string().optional(),
    format: z
      .discriminatedUnion('type', [
        z.object({ type: z.literal('text') }),
        z.object({
          type: z.literal('grammar'),
          grammar: z.object({ definition: z.string(), syntax: z.enum(['lark', 'regex']) }),
        }),
      ])
      .optional(),
  }),
});

export const toolSchema = z.discriminatedUnion('type', [functionToolSchema, customToolSchema]);

export const toolChoiceSchema = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({
    type: z.literal('allowed_tools'),
    allowed_tools: z.object({ mode: z.enum(['auto', 'required']), tools: z.array(jsonObjectSchema) }),
  }),
  z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
  z.object({ type: z.literal('custom'), custom: z.object({ name: z.string() }) }),
]);

export const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().optional(),
      schema: jsonObjectSchema.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const moderationModeSchema = z.object({ mode: z.enum(['score', 'block']) });

/** Every request field of OpenAI's Chat Completions API, so that SDK code type-checks unchanged. */
const chatCompletionParamsShape = {
  messages: z.array(chatMessageSchema).min(1),
  model: modelNameSchema,
  audio: z
    .object({
      format: z.enum(['wav', 'aac', 'mp3', 'flac', 'opus', 'pcm16']),
      voice: z.union([z.string(), z.object({ id: z.string() })]),
    })
    .nullish(),
  frequency_penalty: z.number().nullish(),
  function_call: z.union([z.enum(['none', 'auto']), z.object({ name: z.string() })]).optional(),
  functions: z
    .array(z.object({ name: z.string(), description: z.string().optional(), parameters: jsonObjectSchema.optional() }))
    .optional(),
  logit_bias: z.record(z.string(), z.number()).nullish(),
  logprobs: z.boolean().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  max_tokens: z.number().int().positive().nullish(),
  metadata: metadataSchema.nullish(),
  modalities: z.array(z.enum(['text', 'audio'])).nullish(),
  moderation: z
    .object({
      model: z.string(),
      policy: z
        .object({ input: moderationModeSchema.nullish(), output: moderationModeSchema.nullish() })
        .nullish(),
    })
    .nullish(),
  n: z.number().int().positive().nullish(),
  parallel_tool_calls: z.boolean().optional(),
  prediction: z
    .object({ type: z.literal('content'), content: z.union([z.string(), z.array(textPartSchema)]) })
    .nullish(),
  presence_penalty: z.number().nullish(),
  prompt_cache_key: z.string().nullish(),
  prompt_cache_options: z
    .object({ mode: z.enum(['implicit', 'explicit']).optional(), ttl: z.literal('30m').optional() })
    .optional(),
  prompt_cache_retention: z.enum(['in_memory', '24h']).nullish(),
  reasoning_effort: reasoningEffortSchema.optional(),
  response_format: responseFormatSchema.optional(),
  safety_identifier: z.string().nullish(),
  seed: z.number().int().nullish(),
  service_tier: serviceTierSchema.nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  store: z.boolean().nullish(),
  stream_options: z
    .object({ include_obfuscation: z.boolean().optional(), include_usage: z.boolean().optional() })
    .nullish(),
  temperature: z.number().nullish(),
  tool_choice: toolChoiceSchema.optional(),
  tools: z.array(toolSchema).optional(),
  top_logprobs: z.number().int().nullish(),
  top_p: z.number().nullish(),
  /** Extension: sample from the k most likely tokens (Anthropic, Gemini, vLLM). */
  top_k: z.number().int().positive().nullish(),
  user: z.string().optional(),
  verbosity: z.enum(['low', 'medium', 'high']).nullish(),
  web_search_options: z
    .object({
      search_context_size: z.enum(['low', 'medium', 'high']).optional(),
      user_location: z
        .object({
          type: z.literal('approximate'),
          approximate: z.object({
            city: z.string().optional(),
            country: z.string().optional(),
            region: z.string().optional(),
            timezone: z.string().optional(),
          }),
        })
        .nullish(),
    })
    .optional(),
};

/** The request fields, one schema each, so that a request can be checked field by field. */
export const chatCompletionCreateParamsShape = {
  ...chatCompletionParamsShape,
  stream: z.boolean().nullish(),
};

export const chatCompletionCreateParamsSchema = z.object(chatCompletionCreateParamsShape);

export const chatCompletionCreateParamsNonStreamingSchema = z.object({
  ...chatCompletionParamsShape,
  stream: z.literal(false).nullish(),
});

export const chatCompletionCreateParamsStreamingSchema = z.object({
  ...chatCompletionParamsShape,
  stream: z.literal(true),
});

export type ChatCompletionTool = z.infer<typeof toolSchema>;
export type ChatCompletionToolChoiceOption = z.infer<typeof toolChoiceSchema>;
export type ResponseFormat = z.infer<typeof responseFormatSchema>;
export type ChatCompletionCreateParams = z.infer<typeof chatCompletionCreateParamsSchema>;
export type ChatCompletionCreateParamsNonStreaming = z.infer<typeof chatCompletionCreateParamsNonStreamingSchema>;
export type ChatCompletionCreateParamsStreaming = z.infer<typeof chatCompletionCreateParamsStreamingSchema>;
