import { LRUCache } from 'lru-cache';
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

/** The most text the remembered counts keep, in characters (about 8 MB of UTF-16): a long history does not pile up. */
const REMEMBERED_CHARACTERS = 4_000_000;

/**
 * Counts of texts seen lately: a conversation re-sends its system prompt and history on every
 * turn, and governance estimates every governed call's prompt. The tokenizer takes about a
 * microsecond even for a short text; a lookup, a fraction of that.
 */
const remembered = new LRUCache<string, number>({ max: 4096, maxSize: REMEMBERED_CHARACTERS, sizeCalculation: (_, text) => Math.max(1, text.length) });

/** One piece's tokens with the tokenizer, remembered. */
function tokensOf(text: string, count: Counter): number {
  let tokens = remembered.get(text);
  if (tokens === undefined) remembered.set(text, (tokens = count(text)));
  return tokens;
}

/** The prompt's tokens: every message's text and tool calls, and the tool definitions, counted piece by piece. */
export function estimatePromptTokens(params: ChatCompletionCreateParams): TokenCount {
  const pieces: string[] = [];
  for (const message of params.messages) {
    const content: unknown = message.content;
    if (typeof content === 'string') pieces.push(content);
    else if (Array.isArray(content)) for (const part of content as Array<{ type?: unknown; text?: unknown }>) if (typeof part.text === 'string') pieces.push(part.text);
    if (message.role === 'assistant' && message.tool_calls) for (const call of message.tool_calls) if (call.type === 'function') pieces.push(call.function.name, call.function.arguments);
  }
  if (params.tools?.length) pieces.push(JSON.stringify(params.tools));
  const overhead = params.messages.length * PER_MESSAGE + REPLY_PRIMING;
  const count = counter;
  if (!count) return { tokens: Math.ceil(pieces.reduce((sum, piece) => sum + piece.length, 0) / 4) + overhead, method: 'characters' };
  let tokens = 0;
  for (const piece of pieces) tokens += piece.length === 0 ? 0 : tokensOf(piece, count);
  return { tokens: tokens + overhead, method: 'o200k_base' };
}
