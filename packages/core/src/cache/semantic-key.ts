import { hash } from 'node:crypto';
import type { ChatCompletionMessageParam } from '../contract/chat-messages.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import { canonicalRequest, type KeyRequest } from './exact-cache-key.js';
import type { ExactCacheKeyFields } from './exact-cache-options.js';

/**
 * Bumped whenever what goes into a scope changes, so that entries made under another
 * definition are never compared with.
 */
const SCOPE_VERSION = 1;

/** What a semantic cache compares: only within one scope, by the embedding of `text`. */
export interface SemanticKey {
  /**
   * SHA-256 (hex) of everything that shapes the answer except the question's wording: the
   * model as named, the system prompt, earlier turns, tools, response format, sampling
   * parameters, the question's images and files, and the key fields asked for. Two requests
   * share a scope only if they would be the same request with another last user text, so a
   * near match can never answer under another prompt, tool set or temperature.
   */
  scope: string;
  /** The text to embed: the last user message's text parts, joined by newlines. */
  text: string;
}

export interface SemanticKeyRequest extends KeyRequest {
  readonly operation: 'chat';
  readonly params: ChatCompletionCreateParams;
}

/**
 * The semantic key of a chat request, or `undefined` when it has none: when the last message
 * is not the user's (a tool result, an assistant prefill: the next answer follows from that,
 * not from a question) or the user's message has no text. The rest of the request goes into
 * the scope through the exact cache's canonical form (exact-cache-key.ts), so that both
 * caches agree on which fields change an answer and which defaults are the same as absent.
 */
export function semanticKey(request: SemanticKeyRequest, keyFields?: ExactCacheKeyFields): SemanticKey | undefined {
  const messages = request.params.messages;
  const last = messages[messages.length - 1];
  if (last?.role !== 'user') return undefined;
  const parts = typeof last.content === 'string' ? [{ type: 'text' as const, text: last.content }] : last.content;
  const texts: string[] = [];
  for (const part of parts) if (part.type === 'text') texts.push(part.text);
  const text = texts.join('\n');
  if (text.trim() === '') return undefined;
  // The question with its wording taken out: a text part becomes a bare placeholder, so that
  // images and files (which do change the answer) stay in the scope, in their places. A
  // string content is the one text part it stands for, so both spellings share a scope.
  const question: ChatCompletionMessageParam = {
    ...last,
    content: parts.map((part) => (part.type === 'text' ? { type: 'text' as const, text: '' } : part)),
  };
  const params: ChatCompletionCreateParams = { ...request.params, messages: [...messages.slice(0, -1), question] };
  // Named fields, not a spread: a request context keeps `operation` and the identity fields in
  // getters on its prototype, which a spread would lose.
  const canonical = canonicalRequest({ operation: 'chat', params, principal: request.principal, metadata: request.metadata }, keyFields);
  return { scope: hash('sha256', `semantic:${SCOPE_VERSION}:${canonical}`, 'hex'), text };
}
