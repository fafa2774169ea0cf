import type { ChatCompletionCreateParams } from '../contract/chat-params.js';

/**
 * Token counts for a stream that ended without the provider's usage (cut, aborted,
 * abandoned). OpenAI's current models use the o200k_base encoding, counted here with
 * gpt-tokenizer; for Anthropic and Gemini, whose tokenizers are not public, the same count is
 * the approximation (docs/cost.md says by how much it tends to differ). The encoding is
 * loaded on first use, in the background: until it is in, the count falls back to one token
 * per four characters, and the estimate says which was used.
 */
type Counter = (text: string) => number;

let counter: Counter | undefined;
let loading: Promise<void> | undefined;

/** Starts loading the tokenizer (once); the first stream calls it, so it is in by the time one ends. */
export function preloadTokenizer(): Promise<void> {
  loading ??= import('gpt-tokenizer/encoding/o200k_base').then(
    (encoding) => {
      counter = (text) => encoding.countTokens(text);
    },
    () => undefined,
  );
  return loading;
}

export type TokenCountMethod = 'o200k_base' | 'characters';

export interface TokenCount {
  readonly tokens: number;
  readonly method: TokenCountMethod;
}

export function countTokens(text: string): TokenCount {
  if (text.length === 0) return { tokens: 0, method: counter ? 'o200k_base' : 'characters' };
  if (counter) return { tokens: counter(text), method: 'o200k_base' };
  return { tokens: Math.ceil(text.length / 4), method: 'characters' };
}

/** OpenAI's chat format adds about 3 tokens per message and 3 to prime the reply. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

/** The prompt's tokens: every message's text and tool calls, and the tool definitions, as one text. */
export function estimatePromptTokens(params: ChatCompletionCreateParams): TokenCount {
  const pieces: string[] = [];
  for (const message of params.messages) {
    const content: unknown = message.content;
    if (typeof content === 'string') pieces.push(content);
    else if (Array.isArray(content)) for (const part of content as Array<{ type?: unknown; text?: unknown }>) if (typeof part.text === 'string') pieces.push(part.text);
    if (message.role === 'assistant' && message.tool_calls) for (const call of message.tool_calls) if (call.type === 'function') pieces.push(call.function.name, call.function.arguments);
  }
  if (params.tools?.length) pieces.push(JSON.stringify(params.tools));
  const count = countTokens(pieces.join('\n'));
  return { tokens: count.tokens + params.messages.length * PER_MESSAGE + REPLY_PRIMING, method: count.method };
}
