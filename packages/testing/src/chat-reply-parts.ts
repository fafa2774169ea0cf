import { roughTokens } from './deterministic-embedding.js';
import type { ChatReply, MockUsage } from './mock-reply.js';

/** What a chat reply says when the script gives no content. */
export const DEFAULT_CONTENT = 'Hello from the Switchyard mock server.';

/** The reply's answer text: the scripted one, or the default unless the reply is tool calls or a refusal. */
export function replyContent(reply: ChatReply): string | null {
  if (reply.content !== undefined) return reply.content;
  return reply.toolCalls?.length || reply.refusal ? null : DEFAULT_CONTENT;
}

/** Splits text into stream pieces: fixed-size, or one word (with its space) per piece. */
export function streamPieces(text: string, size: number | undefined): string[] {
  if (text.length === 0) return [];
  if (size && size > 0) {
    const out: string[] = [];
    for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
    return out;
  }
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

/** The scripted usage, or a rough count of the prompt (any JSON value) and everything the reply says. */
export function estimatedUsage(reply: ChatReply, prompt: unknown): MockUsage {
  if (reply.usage) return reply.usage;
  const output = (replyContent(reply) ?? '') + (reply.reasoning ?? '') + (reply.toolCalls ?? []).map((c) => c.arguments).join('');
  return { input: roughTokens(JSON.stringify(prompt ?? [])), output: roughTokens(output) };
}

/**
 * Tool-call arguments as the object that formats with structured input (Anthropic, Gemini) send.
 * An empty string means no arguments; text that is not JSON is passed through as is, so a test
 * can still script a broken call.
 */
export function parsedArguments(json: string): unknown {
  if (json.trim() === '') return {};
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}
