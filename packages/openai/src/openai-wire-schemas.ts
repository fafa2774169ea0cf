import { z } from 'zod';

/**
 * What the adapter checks of an OpenAI-compatible response before handing it on. Lenient
 * on purpose: compatible servers (vLLM, Ollama, LM Studio) omit fields OpenAI always
 * sends, and the caller gets the body as the server sent it.
 */
const usageSchema = z
  .object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() })
  .nullish();

export const wireCompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({}) })),
  usage: usageSchema,
});

export const wireChunkSchema = z.object({
  choices: z.array(z.object({ delta: z.object({}).nullish() })),
  usage: usageSchema,
});

export const wireEmbeddingsSchema = z.object({
  data: z.array(z.object({ embedding: z.union([z.array(z.number()), z.string()]), index: z.number() })),
  usage: z.object({ prompt_tokens: z.number(), total_tokens: z.number() }),
});

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}
