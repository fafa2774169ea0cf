import { z } from 'zod';
import { cacheControlSchema, reasoningDetailSchema } from './extensions.js';
import { promptCacheBreakpointSchema } from './shared-schemas.js';

export const textPartSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  prompt_cache_breakpoint: promptCacheBreakpointSchema.optional(),
  cache_control: cacheControlSchema.optional(),
});

export const imagePartSchema = z.object({
  type: z.literal('image_url'),
  image_url: z.object({
    url: z.string(),
    detail: z.enum(['auto', 'low', 'high', 'original']).optional(),
  }),
  prompt_cache_breakpoint: promptCacheBreakpointSchema.optional(),
  cache_control: cacheControlSchema.optional(),
});

export const inputAudioPartSchema = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string(), format: z.enum(['wav', 'mp3']) }),
  prompt_cache_breakpoint: promptCacheBreakpointSchema.optional(),
});

export const filePartSchema = z.object({
  type: z.literal('file'),
  file: z.object({
    file_data: z.string().optional(),
    file_id: z.string().optional(),
    filename: z.string().optional(),
  }),
  prompt_cache_breakpoint: promptCacheBreakpointSchema.optional(),
});

export const refusalPartSchema = z.object({ type: z.literal('refusal'), refusal: z.string() });

export const userContentPartSchema = z.discriminatedUnion('type', [
  textPartSchema,
  imagePartSchema,
  inputAudioPartSchema,
  filePartSchema,
]);

export const functionToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('function'),
  function: z.object({ name: z.string(), arguments: z.string() }),
});

export const customToolCallSchema = z.object({
  id: z.string(),
  type: z.literal('custom'),
  custom: z.object({ name: z.string(), input: z.string() }),
});

export const toolCallSchema = z.discriminatedUnion('type', [functionToolCallSchema, customToolCallSchema]);

const textContentSchema = z.union([z.string(), z.array(textPartSchema)]);

export const systemMessageSchema = z.object({
  role: z.literal('system'),
  cache_control: cacheControlSchema.optional(),
  content: textContentSchema,
  name: z.string().optional(),
});

export const developerMessageSchema = z.object({
  role: z.literal('developer'),
  cache_control: cacheControlSchema.optional(),
  content: textContentSchema,
  name: z.string().optional(),
});

export const userMessageSchema = z.object({
  role: z.literal('user'),
  cache_control: cacheControlSchema.optional(),
  content: z.union([z.string(), z.array(userContentPartSchema)]),
  name: z.string().optional(),
});

export const assistantMessageSchema = z.object({
  role: z.literal('assistant'),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [textPartSchema, refusalPartSchema]))])
    .nullish(),
  refusal: z.string().nullish(),
  name: z.string().optional(),
  tool_calls: z.array(toolCallSchema).optional(),
  function_call: z.object({ name: z.string(), arguments: z.string() }).nullish(),
  audio: z.object({ id: z.string() }).nullish(),
  cache_control: cacheControlSchema.optional(),
  /** Extension: the reasoning text of a previous turn, as the gateway returned it. */
  reasoning_content: z.string().nullish(),
  /** Extension: signed reasoning of a previous turn; send it back unchanged for multi-turn tool use with thinking. */
  reasoning_details: z.array(reasoningDetailSchema).optional(),
});

export const toolMessageSchema = z.object({
  role: z.literal('tool'),
  content: textContentSchema,
  tool_call_id: z.string(),
  cache_control: cacheControlSchema.optional(),
});

export const functionMessageSchema = z.object({
  role: z.literal('function'),
  content: z.string().nullable(),
  name: z.string(),
});

export const chatMessageSchema = z.discriminatedUnion('role', [
  developerMessageSchema,
  systemMessageSchema,
  userMessageSchema,
  assistantMessageSchema,
  toolMessageSchema,
  functionMessageSchema,
]);

export type ChatCompletionContentPartText = z.infer<typeof textPartSchema>;
export type ChatCompletionContentPartImage = z.infer<typeof imagePartSchema>;
export type ChatCompletionContentPart = z.infer<typeof userContentPartSchema>;
export type ChatCompletionMessageToolCall = z.infer<typeof toolCallSchema>;
export type ChatCompletionMessageParam = z.infer<typeof chatMessageSchema>;
export type ChatCompletionSystemMessageParam = z.infer<typeof systemMessageSchema>;
export type ChatCompletionDeveloperMessageParam = z.infer<typeof developerMessageSchema>;
export type ChatCompletionUserMessageParam = z.infer<typeof userMessageSchema>;
export type ChatCompletionAssistantMessageParam = z.infer<typeof assistantMessageSchema>;
export type ChatCompletionToolMessageParam = z.infer<typeof toolMessageSchema>;
