import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../contract/embeddings.js';
import { canonicalRequest, exactCacheKey } from './exact-cache-key.js';

const chat = (params: ChatCompletionCreateParams, extra: Partial<Parameters<typeof exactCacheKey>[0]> = {}) => ({ operation: 'chat' as const, params, ...extra });

/** The same value with every object's keys in another order (a deterministic shuffle from `seed`). */
function reordered(value: unknown, seed: number): unknown {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) >>> 0;
    return state / 2 ** 32;
  };
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node !== 'object' || node === null) return node;
    const entries = Object.entries(node);
    for (let i = entries.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [entries[i], entries[j]] = [entries[j] as [string, unknown], entries[i] as [string, unknown]];
    }
    return Object.fromEntries(entries.map(([key, child]) => [key, walk(child)]));
  };
  return walk(value);
}

/** OpenAI's documented defaults (and the "none" values), each of which may be sent or left out. */
const DEFAULT_FIELDS: Record<string, unknown> = {
  temperature: 1,
  top_p: 1,
  n: 1,
  presence_penalty: 0,
  frequency_penalty: 0,
  logprobs: false,
  response_format: { type: 'text' },
  modalities: ['text'],
  verbosity: 'medium',
  logit_bias: {},
  stop: [],
  seed: null,
  max_tokens: null,
};

/** Fields that never change the answer, with any value. */
const LEFT_OUT_FIELDS: Record<string, unknown> = {
  stream: true,
  stream_options: { include_usage: true },
  user: 'user-42',
  safety_identifier: 'hash-42',
  metadata: { purpose: 'test' },
  store: true,
  service_tier: 'flex',
  prompt_cache_key: 'pk',
  prompt_cache_retention: '24h',
};

const message = fc.oneof(
  fc.record({ role: fc.constant('user' as const), content: fc.string({ maxLength: 20 }) }),
  fc.record({ role: fc.constant('system' as const), content: fc.string({ maxLength: 20 }), name: fc.string({ minLength: 1, maxLength: 5 }) }, { requiredKeys: ['role', 'content'] }),
  fc.record({ role: fc.constant('user' as const), content: fc.array(fc.record({ type: fc.constant('text' as const), text: fc.string({ maxLength: 10 }) }), { minLength: 1, maxLength: 2 }) }),
);
const tool = fc.record({
  type: fc.constant('function' as const),
  function: fc.record({ name: fc.stringMatching(/^[a-z]{1,6}$/), parameters: fc.constant({ type: 'object', properties: { city: { type: 'string' }, units: { enum: ['c', 'f'] } } }) }),
});
const request: fc.Arbitrary<ChatCompletionCreateParams> = fc.record(
  {
    model: fc.constantFrom('fast', 'openai/gpt-4.1', 'smart'),
    messages: fc.array(message, { minLength: 1, maxLength: 3 }),
    temperature: fc.double({ min: 0, max: 0.99, noNaN: true }),
    max_completion_tokens: fc.integer({ min: 1, max: 4000 }),
    tools: fc.array(tool, { minLength: 1, maxLength: 2 }),
    seed: fc.integer(),
  },
  { requiredKeys: ['model', 'messages'] },
);
/** A subset of the default-valued and left-out fields to add, and a seed for the key order. */
const noise = fc.record({
  defaults: fc.subarray(Object.keys(DEFAULT_FIELDS)),
  leftOut: fc.subarray(Object.keys(LEFT_OUT_FIELDS)),
  seed: fc.integer(),
});

describe('exactCacheKey', () => {
  it('is a SHA-256 in hex', () => {
    expect(exactCacheKey(chat({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }), undefined)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('does not change with key order, fields sent at their documented default, or fields that do not change the answer', () => {
    fc.assert(
      fc.property(request, noise, (params, { defaults, leftOut, seed }) => {
        const noisy: Record<string, unknown> = { ...params };
        for (const field of defaults) if (!(field in noisy)) noisy[field] = DEFAULT_FIELDS[field];
        for (const field of leftOut) noisy[field] = LEFT_OUT_FIELDS[field];
        // With tools, tool_choice "auto" is the default; the tools' own order is kept.
        if (params.tools && seed % 2 === 0) noisy.tool_choice = 'auto';
        if (params.tools && seed % 3 === 0) noisy.parallel_tool_calls = true;
        const shuffled = reordered(noisy, seed) as ChatCompletionCreateParams;
        expect(exactCacheKey(chat(shuffled), undefined)).toBe(exactCacheKey(chat(params), undefined));
      }),
    );
  });

  it('changes with anything that changes the answer', () => {
    fc.assert(
      fc.property(request, fc.constantFrom('route', 'message', 'temperature', 'order', 'tool_choice', 'seed'), (params, change) => {
        const changed: ChatCompletionCreateParams = { ...params, messages: [...params.messages] };
        if (change === 'route') changed.model = `${params.model}-2`;
        if (change === 'message') changed.messages.push({ role: 'user', content: 'and one more thing' });
        if (change === 'temperature') changed.temperature = (params.temperature ?? 1) === 0.5 ? 0.25 : 0.5;
        if (change === 'order') changed.messages = [{ role: 'system', content: 'first' }, ...params.messages];
        if (change === 'tool_choice') changed.tool_choice = 'required';
        if (change === 'seed') changed.seed = (params.seed ?? 0) + 1;
        expect(exactCacheKey(chat(changed), undefined)).not.toBe(exactCacheKey(chat(params), undefined));
      }),
    );
  });

  it('tells a stated tool_choice from the default for the tools given', () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    const tools = [{ type: 'function' as const, function: { name: 'f' } }];
    const key = (params: Partial<ChatCompletionCreateParams>) => exactCacheKey(chat({ model: 'm', messages, ...params }), undefined);
    expect(key({ tool_choice: 'none' })).toBe(key({}));
    expect(key({ tools, tool_choice: 'auto' })).toBe(key({ tools }));
    expect(key({ tools, tool_choice: 'none' })).not.toBe(key({ tools }));
    expect(key({ tool_choice: 'auto' })).not.toBe(key({}));
    expect(key({ tools: [] })).toBe(key({}));
  });

  it('keeps fields whose default depends on the model, as sent', () => {
    const base = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    expect(exactCacheKey(chat({ ...base, reasoning_effort: 'medium' }), undefined)).not.toBe(exactCacheKey(chat(base), undefined));
  });

  it('keys chat and embeddings apart, and embeddings by their own defaults', () => {
    const embed = (params: EmbeddingCreateParams) => exactCacheKey({ operation: 'embeddings', params }, undefined);
    expect(embed({ model: 'm', input: 'hi', encoding_format: 'float', user: 'u' })).toBe(embed({ model: 'm', input: 'hi' }));
    expect(embed({ model: 'm', input: 'hi', encoding_format: 'base64' })).not.toBe(embed({ model: 'm', input: 'hi' }));
    expect(embed({ model: 'm', input: ['hi'] })).not.toBe(embed({ model: 'm', input: 'hi' }));
    expect(canonicalRequest({ operation: 'embeddings', params: { model: 'm', input: 'hi' } }, undefined)).not.toBe(
      canonicalRequest({ operation: 'chat', params: { model: 'm', messages: [{ role: 'user', content: 'hi' }] } }, undefined),
    );
  });

  it('makes the caller part of the key only when asked', () => {
    const params = { model: 'm', messages: [{ role: 'user' as const, content: 'hi' }] };
    const alice = chat({ ...params, user: 'alice' }, { principal: { id: 'p1' }, metadata: { tenant: 'a', trace: '1' } });
    const bob = chat({ ...params, user: 'bob' }, { principal: { id: 'p2' }, metadata: { tenant: 'b', trace: '2' } });
    expect(exactCacheKey(alice, undefined)).toBe(exactCacheKey(bob, undefined));
    expect(exactCacheKey(alice, { user: true })).not.toBe(exactCacheKey(bob, { user: true }));
    expect(exactCacheKey(alice, { principal: true })).not.toBe(exactCacheKey(bob, { principal: true }));
    expect(exactCacheKey(alice, { metadata: ['tenant'] })).not.toBe(exactCacheKey(bob, { metadata: ['tenant'] }));
    const aliceAgain = chat({ ...params, user: 'alice' }, { metadata: { tenant: 'a', trace: '3' } });
    expect(exactCacheKey(aliceAgain, { metadata: ['tenant'], user: true })).toBe(exactCacheKey(alice, { metadata: ['tenant'], user: true }));
  });
});
