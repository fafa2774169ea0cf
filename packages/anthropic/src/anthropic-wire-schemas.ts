import { z } from 'zod';

/**
 * What the adapter reads of Anthropic's responses, checked at the boundary. Loose objects:
 * new fields and new block or event types pass (and are ignored) rather than failing.
 */
export const wireUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  /** How the writes split by cache lifetime (priced apart); older responses lack it. */
  cache_creation: z.looseObject({ ephemeral_5m_input_tokens: z.number().nullish(), ephemeral_1h_input_tokens: z.number().nullish() }).nullish(),
  output_tokens_details: z.looseObject({ thinking_tokens: z.number().nullish() }).nullish(),
});

export const wireBlockSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
  data: z.string().optional(),
  id: z.string().optional(),
  name: z.string().optional(),
  input: z.unknown().optional(),
});

export const wireMessageSchema = z.looseObject({
  id: z.string(),
  model: z.string(),
  content: z.array(wireBlockSchema),
  stop_reason: z.string().nullish(),
  stop_details: z.looseObject({ explanation: z.string().nullish() }).nullish(),
  usage: wireUsageSchema,
});

export const wireDeltaSchema = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  thinking: z.string().optional(),
  signature: z.string().optional(),
  partial_json: z.string().optional(),
});

/** One stream event; fields by type, all optional so that unknown types parse too. */
export const wireEventSchema = z.looseObject({
  type: z.string(),
  index: z.number().optional(),
  message: wireMessageSchema.partial({ content: true, usage: true }).optional(),
  content_block: wireBlockSchema.optional(),
  delta: z.looseObject({ stop_reason: z.string().nullish(), type: z.string().optional() }).optional(),
  usage: wireUsageSchema.optional(),
  error: z.looseObject({ type: z.string().optional(), message: z.string().optional() }).optional(),
});

export type WireUsage = z.infer<typeof wireUsageSchema>;
export type WireBlock = z.infer<typeof wireBlockSchema>;
export type WireMessage = z.infer<typeof wireMessageSchema>;
export type WireEvent = z.infer<typeof wireEventSchema>;
