import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from '../contract/chat-completion.js';
import { parseEntry, serialiseEntry, storedCompletion, uncacheableChat, type ExactCacheEntry } from './exact-cache-entry.js';

const completion = (finish: ChatCompletion['choices'][number]['finish_reason'], extra: Partial<ChatCompletion['choices'][number]['message']> = {}): ChatCompletion => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'hi', refusal: null, ...extra }, finish_reason: finish, logprobs: null }],
});

const usage = { inputTokens: 3, outputTokens: 2, totalTokens: 5, cachedInputTokens: 0, cacheWriteInputTokens: 0, cacheWrite1hInputTokens: 0, reasoningTokens: 0 };

describe('exact cache entries', () => {
  it('go through the Store and back unchanged, as text or as bytes', () => {
    const entry: ExactCacheEntry = { operation: 'chat', answer: JSON.stringify(completion('stop')), createdAt: 10, expiresAt: 20, provider: 'p', model: 'm', usage };
    const text = serialiseEntry(entry);
    expect(parseEntry(text, 'chat')).toEqual(entry);
    expect(parseEntry(new TextEncoder().encode(text), 'chat')).toEqual(entry);
  });

  it('read anything else as a miss: another operation, another version, foreign values', () => {
    const entry: ExactCacheEntry = { operation: 'chat', answer: JSON.stringify(completion('stop')), createdAt: 10, expiresAt: 20, provider: undefined, model: undefined, usage: undefined };
    expect(parseEntry(serialiseEntry(entry), 'embeddings')).toBeUndefined();
    expect(parseEntry(serialiseEntry(entry).replace('"v":1', '"v":0'), 'chat')).toBeUndefined();
    expect(parseEntry('not json', 'chat')).toBeUndefined();
    expect(parseEntry('{"v":1,"operation":"chat","createdAt":1,"expiresAt":2,"answer":{"object":"list"}}', 'chat')).toBeUndefined();
  });

  it('never keep a filtered or unfinished answer, nor one a stream cannot replay', () => {
    expect(uncacheableChat(completion('stop'))).toBeUndefined();
    expect(uncacheableChat(completion('length'))).toBeUndefined();
    expect(uncacheableChat(completion('content_filter'))).toBe('content_filter');
    expect(uncacheableChat({ ...completion('stop'), choices: [] })).toBe('no choices');
    const annotation = { type: 'url_citation' as const, url_citation: { start_index: 0, end_index: 1, title: 't', url: 'https://example.com' } };
    expect(uncacheableChat(completion('stop', { annotations: [annotation] }))).toBe('annotations');
    expect(uncacheableChat(completion('stop', { audio: { id: 'a', data: 'AAA', expires_at: 1, transcript: 'hi' } }))).toBe('audio');
  });

  it('keep a completion without the metadata it echoed from its caller', () => {
    expect(JSON.parse(storedCompletion({ ...completion('stop'), metadata: { tenant: 'a' } }))).toEqual(completion('stop'));
  });
});
