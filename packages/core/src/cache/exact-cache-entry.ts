import type { Usage } from '../adapter/usage.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { CreateEmbeddingResponse } from '../contract/embeddings.js';
import type { Operation } from '../pipeline/middleware.js';
import type { StoreValue } from '../store/store.js';

/**
 * One cached answer, as both tiers keep it. The answer is JSON text, parsed afresh for every
 * hit: no caller can change what the next one gets, and its size is known without walking it.
 * One form serves both kinds of chat call: the completion (a stream's is assembled from its
 * chunks, and a stream hit replays it as chunks).
 */
export interface ExactCacheEntry extends StoredAnswer {
  readonly operation: Operation;
}

/** What both caches keep of an answer. */
export interface StoredAnswer {
  /** `JSON.stringify` of the completion or the embeddings response. */
  readonly answer: string;
  /** When it was made, epoch ms (the cache's `now`). */
  readonly createdAt: number;
  readonly expiresAt: number;
  /** The provider key and model that served the original call: what a hit saved is priced with them. */
  readonly provider: string | undefined;
  readonly model: string | undefined;
  /** The usage the original call consumed, as the gateway normalised it. */
  readonly usage: Usage | undefined;
}

/** Bumped when the stored form changes; entries of another version read as misses. */
const ENTRY_VERSION = 1;

/** What an entry costs in memory beyond its text (the entry object, the LRU's slots), roughly. */
const ENTRY_OVERHEAD_BYTES = 256;

/** An entry's size for the memory bound: its key and answer text at two bytes a character, and the overhead. */
export function entrySize(slot: string, entry: ExactCacheEntry): number {
  return 2 * (slot.length + entry.answer.length) + ENTRY_OVERHEAD_BYTES;
}

/** Why an answer must not be stored, or `undefined` when it may be. */
export function uncacheableChat(completion: ChatCompletion): string | undefined {
  if (completion.choices.length === 0) return 'no choices';
  for (const choice of completion.choices) {
    // A filtered answer may be filtered differently next time; one with no reason was cut short.
    if (choice.finish_reason === 'content_filter') return 'content_filter';
    if (!choice.finish_reason) return 'no finish reason';
    // A stream cannot carry annotations, and generated audio refers to a file that expires.
    if (choice.message.annotations && choice.message.annotations.length > 0) return 'annotations';
    if (choice.message.audio) return 'audio';
  }
  return undefined;
}

export function uncacheableEmbeddings(response: CreateEmbeddingResponse): string | undefined {
  return response.data.length === 0 ? 'no embeddings' : undefined;
}

/**
 * The completion as it is kept: without `metadata`, which echoes the original caller's
 * request metadata, is not part of the key, and so is not the next caller's to see.
 */
export function storedCompletion(completion: ChatCompletion): string {
  if (completion.metadata === undefined) return JSON.stringify(completion);
  const { metadata: _echoed, ...answer } = completion;
  return JSON.stringify(answer);
}

/** The Store's value for an entry: a JSON envelope around the answer's text (not parsed and written again). */
export function serialiseEntry(entry: ExactCacheEntry): string {
  const head = {
    v: ENTRY_VERSION,
    operation: entry.operation,
    createdAt: entry.createdAt,
    expiresAt: entry.expiresAt,
    provider: entry.provider ?? null,
    model: entry.model ?? null,
    usage: entry.usage ?? null,
  };
  const text = JSON.stringify(head);
  return `${text.slice(0, -1)},"answer":${entry.answer}}`;
}

const decoder = new TextDecoder();

/** An entry read back from the Store; `undefined` for anything else (another version, another operation, a foreign value). */
export function parseEntry(value: StoreValue, operation: Operation): ExactCacheEntry | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : decoder.decode(value));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const envelope = parsed as Record<string, unknown>;
  if (envelope.v !== ENTRY_VERSION || envelope.operation !== operation) return undefined;
  if (typeof envelope.createdAt !== 'number' || typeof envelope.expiresAt !== 'number') return undefined;
  const answer = envelope.answer;
  if (typeof answer !== 'object' || answer === null) return undefined;
  const kind = (answer as { object?: unknown }).object;
  if (kind !== (operation === 'chat' ? 'chat.completion' : 'list')) return undefined;
  return {
    operation,
    answer: JSON.stringify(answer),
    createdAt: envelope.createdAt,
    expiresAt: envelope.expiresAt,
    provider: typeof envelope.provider === 'string' ? envelope.provider : undefined,
    model: typeof envelope.model === 'string' ? envelope.model : undefined,
    usage: isUsage(envelope.usage) ? envelope.usage : undefined,
  };
}

const USAGE_FIELDS = ['inputTokens', 'outputTokens', 'totalTokens', 'cachedInputTokens', 'cacheWriteInputTokens', 'cacheWrite1hInputTokens', 'reasoningTokens'] as const satisfies ReadonlyArray<keyof Usage>;

function isUsage(value: unknown): value is Usage {
  if (typeof value !== 'object' || value === null) return false;
  const usage = value as Record<string, unknown>;
  return USAGE_FIELDS.every((field) => typeof usage[field] === 'number');
}
