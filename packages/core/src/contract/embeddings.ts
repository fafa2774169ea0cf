import { z } from 'zod';
import { modelNameSchema } from './shared-schemas.js';

const tokenArraySchema = z.array(z.number().int().nonnegative());

/** The request fields, one schema each, so that a request can be checked field by field. */
export const embeddingCreateParamsShape = {
  input: z.union([
    z.string(),
    z.array(z.string()).min(1),
    tokenArraySchema.min(1),
    z.array(tokenArraySchema.min(1)).min(1),
  ]),
  model: modelNameSchema,
  dimensions: z.number().int().positive().optional(),
  encoding_format: z.enum(['float', 'base64']).optional(),
  user: z.string().optional(),
};

export const embeddingCreateParamsSchema = z.object(embeddingCreateParamsShape);

export const embeddingSchema = z.object({
  object: z.literal('embedding'),
  index: z.number(),
  /** Floats, or a base64 string of little-endian float32 when `encoding_format: 'base64'` was asked for. */
  embedding: z.array(z.number()),
});

export const createEmbeddingResponseSchema = z.object({
  object: z.literal('list'),
  data: z.array(embeddingSchema),
  model: z.string(),
  usage: z.object({ prompt_tokens: z.number(), total_tokens: z.number() }),
});

export type EmbeddingCreateParams = z.infer<typeof embeddingCreateParamsSchema>;
export type Embedding = z.infer<typeof embeddingSchema>;
export type CreateEmbeddingResponse = z.infer<typeof createEmbeddingResponseSchema>;
