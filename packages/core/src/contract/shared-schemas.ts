import { z } from 'zod';

/**
 * Longest `model` a request may name. Route names and provider model ids (ARNs and
 * Hugging Face paths included) are far shorter; the bound keeps a caller's mistake from
 * riding whole into every event, error and the router's cache of direct targets.
 */
export const MAX_MODEL_LENGTH = 1024;

/** A request's `model`: a route name or `'<provider>/<model>'`. */
export const modelNameSchema = z
  .string()
  .min(1)
  .max(MAX_MODEL_LENGTH, `Too long: a model name has at most ${MAX_MODEL_LENGTH} characters`);

/** A JSON object whose members the gateway does not interpret (JSON Schema, tool lists). */
export const jsonObjectSchema = z.record(z.string(), z.unknown());

/** OpenAI's metadata: up to 16 string key-value pairs. */
export const metadataSchema = z.record(z.string(), z.string());

export const reasoningEffortSchema = z
  .enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'])
  .nullable();

export const serviceTierSchema = z.enum(['auto', 'default', 'flex', 'scale', 'priority', 'fast']);

export const promptCacheBreakpointSchema = z.object({
  mode: z.literal('explicit'),
  ttl: z.enum(['30m', '12h']).optional(),
});

export const tokenLogprobSchema = z.object({
  token: z.string(),
  bytes: z.array(z.number()).nullable(),
  logprob: z.number(),
  top_logprobs: z.array(
    z.object({ token: z.string(), bytes: z.array(z.number()).nullable(), logprob: z.number() }),
  ),
});

export const choiceLogprobsSchema = z.object({
  content: z.array(tokenLogprobSchema).nullable(),
  refusal: z.array(tokenLogprobSchema).nullable(),
});

const moderationResultsSchema = z.object({
  model: z.string(),
  results: z.array(
    z.object({
      categories: z.record(z.string(), z.boolean()),
      category_applied_input_types: z.record(z.string(), z.array(z.enum(['text', 'image']))),
      category_scores: z.record(z.string(), z.number()),
      flagged: z.boolean(),
      model: z.string(),
      type: z.literal('moderation_result'),
    }),
  ),
  type: z.literal('moderation_results'),
});

const moderationErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  type: z.literal('error'),
});

/** Moderation verdicts some OpenAI models attach to completions and chunks. */
export const moderationSchema = z.object({
  input: z.union([moderationResultsSchema, moderationErrorSchema]),
  output: z.union([moderationResultsSchema, moderationErrorSchema]),
});

export const completionUsageSchema = z.object({
  completion_tokens: z.number(),
  prompt_tokens: z.number(),
  total_tokens: z.number(),
  completion_tokens_details: z
    .object({
      accepted_prediction_tokens: z.number().optional(),
      audio_tokens: z.number().optional(),
      reasoning_tokens: z.number().optional(),
      rejected_prediction_tokens: z.number().optional(),
      text_tokens: z.number().optional(),
    })
    .optional(),
  prompt_tokens_details: z
    .object({
      audio_tokens: z.number().optional(),
      cache_write_tokens: z.number().optional(),
      /** Of `cache_write_tokens`, those written to a 1-hour cache (Anthropic prices them apart). */
      cache_write_1h_tokens: z.number().optional(),
      cached_tokens: z.number().optional(),
      image_tokens: z.number().optional(),
      text_tokens: z.number().optional(),
    })
    .optional(),
});

export type CompletionUsage = z.infer<typeof completionUsageSchema>;
