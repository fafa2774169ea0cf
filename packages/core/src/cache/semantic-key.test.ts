import { describe, expect, it } from 'vitest';
import type { ChatCompletionMessageParam } from '../contract/chat-messages.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import { semanticKey } from './semantic-key.js';

const system: ChatCompletionMessageParam = { role: 'system', content: 'You answer questions about trains.' };
const question: ChatCompletionMessageParam = { role: 'user', content: 'What is a switchyard?' };
const base: ChatCompletionCreateParams = { model: 'fast', messages: [system, question] };

const keyOf = (params: ChatCompletionCreateParams) => semanticKey({ operation: 'chat', params });
const scopeOf = (params: ChatCompletionCreateParams) => keyOf(params)?.scope;
const withQuestion = (params: ChatCompletionCreateParams, content: string) => ({ ...params, messages: [...params.messages.slice(0, -1), { role: 'user' as const, content }] });

describe('semanticKey', () => {
  it('embeds the last user text and keeps one scope for any wording of it', () => {
    const key = keyOf(base);
    expect(key).toEqual({ scope: expect.stringMatching(/^[0-9a-f]{64}$/), text: 'What is a switchyard?' });
    expect(scopeOf(withQuestion(base, 'Explain what a rail switchyard is.'))).toBe(key?.scope);
  });

  it('reads a request whose fields are getters on its prototype, as a request context keeps them', () => {
    class ContextLike {
      get operation(): 'chat' {
        return 'chat';
      }
      get params(): ChatCompletionCreateParams {
        return base;
      }
      get principal() {
        return { id: 'u1' };
      }
    }
    expect(semanticKey(new ContextLike(), { principal: true })).toEqual(semanticKey({ operation: 'chat', params: base, principal: { id: 'u1' } }, { principal: true }));
  });

  it('gives another scope for another system prompt, tool set, response format or temperature', () => {
    const scope = scopeOf(base);
    const variants: ChatCompletionCreateParams[] = [
      { ...base, messages: [{ role: 'system', content: 'You answer in French.' }, question] },
      { ...base, tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }] },
      { ...base, response_format: { type: 'json_object' } },
      { ...base, temperature: 0.2 },
      { ...base, top_p: 0.5 },
      { ...base, seed: 42 },
      { ...base, max_tokens: 10 },
      { ...base, model: 'smart' },
      { ...base, messages: [system, { role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello!' }, question] },
    ];
    const scopes = variants.map(scopeOf);
    for (const other of scopes) expect(other).not.toBe(scope);
    expect(new Set(scopes).size).toBe(variants.length);
  });

  it('treats defaults as absent and ignores fields that do not change the answer, as the exact key does', () => {
    const scope = scopeOf(base);
    expect(scopeOf({ ...base, temperature: 1 })).toBe(scope);
    expect(scopeOf({ ...base, stream: true })).toBe(scope);
    expect(scopeOf({ ...base, user: 'someone' })).toBe(scope);
    expect(semanticKey({ operation: 'chat', params: { ...base, user: 'someone' } }, { user: true })?.scope).not.toBe(scope);
  });

  it('keeps images of the question in the scope and joins its text parts', () => {
    const image = (url: string): ChatCompletionCreateParams => ({
      model: 'fast',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is in' },
            { type: 'image_url', image_url: { url } },
            { type: 'text', text: 'this picture?' },
          ],
        },
      ],
    });
    const a = semanticKey({ operation: 'chat', params: image('https://example.com/a.png') });
    expect(a?.text).toBe('What is in\nthis picture?');
    expect(semanticKey({ operation: 'chat', params: image('https://example.com/b.png') })?.scope).not.toBe(a?.scope);
  });

  it('gives the same scope for string content and the one text part it stands for', () => {
    const parts: ChatCompletionCreateParams = { ...base, messages: [system, { role: 'user', content: [{ type: 'text', text: 'What is a switchyard?' }] }] };
    expect(keyOf(parts)).toEqual(keyOf(base));
  });

  it('has no key when the last message is not a user question, or the question has no text', () => {
    expect(keyOf({ ...base, messages: [...base.messages, { role: 'assistant', content: 'A switchyard is' }] })).toBeUndefined();
    expect(
      keyOf({
        model: 'fast',
        messages: [
          { role: 'user', content: 'Weather?' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'weather', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'Sunny' },
        ],
      }),
    ).toBeUndefined();
    expect(keyOf(withQuestion(base, '  '))).toBeUndefined();
    expect(keyOf({ model: 'fast', messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] })).toBeUndefined();
  });
});
