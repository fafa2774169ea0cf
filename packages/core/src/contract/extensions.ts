import { z } from 'zod';

/**
 * Fields Switchyard adds to OpenAI's shape, for what other providers have and OpenAI's
 * API cannot say. All are optional, so the contract stays assignable to and from the
 * `openai` SDK's types; the OpenAI adapter passes them on untouched.
 */

/**
 * Anthropic prompt caching: mark a content part, a message (its last block) or a tool
 * as a cache breakpoint. Ignored by providers that cache on their own.
 */
export const cacheControlSchema = z.object({
  type: z.literal('ephemeral'),
  ttl: z.enum(['5m', '1h']).optional(),
});

/**
 * Signed reasoning that a provider needs back on the next turn (Anthropic thinking
 * blocks; Gemini thought signatures, tied to a tool call when the provider tied them).
 * In stream deltas each entry is complete; append them.
 */
export const reasoningDetailSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.object({ type: z.literal('signature'), signature: z.string(), tool_call_id: z.string().optional() }),
]);

export type CacheControl = z.infer<typeof cacheControlSchema>;
export type ReasoningDetail = z.infer<typeof reasoningDetailSchema>;
