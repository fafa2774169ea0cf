// The Messages API request fields the wrapper translates, as zod schemas: strict, so that a field it cannot carry to the gateway is refused by name.
import { z } from 'zod';

const cacheControlSchema = z.strictObject({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() }).nullish();

export const textBlockSchema = z.strictObject({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControlSchema,
  // Citations on a text block of the history change nothing the gateway can send: only their absence is accepted.
  citations: z.null().optional(),
});

export const imageBlockSchema = z.strictObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string() }),
    z.strictObject({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
  cache_control: cacheControlSchema,
});

export const documentBlockSchema = z.strictObject({
  type: z.literal('document'),
  source: z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('base64'), media_type: z.literal('application/pdf'), data: z.string() }),
    z.strictObject({ type: z.literal('text'), media_type: z.literal('text/plain'), data: z.string() }),
  ]),
  title: z.string().nullish(),
  cache_control: cacheControlSchema,
});

export const thinkingBlockSchema = z.strictObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() });
export const redactedThinkingBlockSchema = z.strictObject({ type: z.literal('redacted_thinking'), data: z.string() });

export const toolUseBlockSchema = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
  cache_control: cacheControlSchema,
  caller: z.strictObject({ type: z.literal('direct') }).optional(),
});

export const toolResultBlockSchema = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textBlockSchema, imageBlockSchema]))]).optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlSchema,
});

/** Every block type Anthropic defines for input; those outside this list are server-tool blocks and the like, refused by name. */
export const TRANSLATED_BLOCK_TYPES = ['text', 'image', 'document', 'thinking', 'redacted_thinking', 'tool_use', 'tool_result'] as const;

export const contentBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  documentBlockSchema,
  thinkingBlockSchema,
  redactedThinkingBlockSchema,
  toolUseBlockSchema,
  toolResultBlockSchema,
]);

export const messageParamSchema = z.strictObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

export const customToolSchema = z.strictObject({
  type: z.union([z.literal('custom'), z.null()]).optional(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControlSchema,
  strict: z.boolean().optional(),
});

export const toolChoiceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('none') }),
]);

export const thinkingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().positive(), display: z.enum(['summarized']).nullish() }),
  z.strictObject({ type: z.literal('disabled') }),
  z.strictObject({ type: z.literal('adaptive'), display: z.enum(['summarized']).nullish() }),
]);

export const outputConfigSchema = z.strictObject({
  effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullish(),
  format: z
    .strictObject({
      type: z.literal('json_schema'),
      schema: z.record(z.string(), z.unknown()),
      // The SDK's `zodOutputFormat()` / `jsonSchemaOutputFormat()` add the parser `messages.parse()` and `stream()` run on the answer: never sent (JSON drops functions), so taken and ignored.
      parse: z.custom<(content: string) => unknown>((value) => typeof value === 'function', { message: 'expected the function the SDK output-format helpers set' }).optional(),
    })
    .nullish(),
});

/** `messages.create` params: what the wrapper sends on, field by field. Request-level SDK fields (`workspace_id`, ...) are refused: they mean something to Anthropic's API only. */
export const messageCreateParamsSchema = z.strictObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(messageParamSchema).min(1),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  metadata: z.strictObject({ user_id: z.string().nullish() }).optional(),
  stop_sequences: z.array(z.string()).optional(),
  stream: z.boolean().optional(),
  // Deprecated by Anthropic for new models, still taken by older ones and by other providers.
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  top_k: z.number().int().positive().optional(),
  thinking: thinkingSchema.optional(),
  output_config: outputConfigSchema.optional(),
  tool_choice: toolChoiceSchema.optional(),
  tools: z.array(z.record(z.string(), z.unknown())).optional(),
  service_tier: z.enum(['auto', 'standard_only']).optional(),
  // Anthropic-only knobs: accepted only when they ask for nothing.
  speed: z.literal('standard').nullish(),
  container: z.null().optional(),
  diagnostics: z.null().optional(),
  inference_geo: z.null().optional(),
  cache_control: z.null().optional(),
});

export type MessageCreateParamsInput = z.infer<typeof messageCreateParamsSchema>;
export type MessageParamInput = z.infer<typeof messageParamSchema>;
export type ContentBlockInput = z.infer<typeof contentBlockSchema>;
export type ToolChoiceInput = z.infer<typeof toolChoiceSchema>;
