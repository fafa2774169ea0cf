import type { Attributes } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { genAiProviderName } from './provider-name.js';
import { addRequestAttributes } from './request-attributes.js';

const attributesOf = (operation: 'chat' | 'embeddings', params: unknown) => {
  const into: Attributes = {};
  addRequestAttributes(operation, params, into);
  return into;
};

describe('addRequestAttributes', () => {
  it('takes the convention’s request attributes of a chat call', () => {
    expect(
      attributesOf('chat', { model: 'm', max_completion_tokens: 100, max_tokens: 5, top_p: 0.9, frequency_penalty: 0.1, presence_penalty: 0.2, n: 2, stop: ['a', 'b'], response_format: { type: 'json_schema' }, service_tier: 'flex' }),
    ).toEqual({
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.frequency_penalty': 0.1,
      'gen_ai.request.presence_penalty': 0.2,
      'gen_ai.request.choice.count': 2,
      'gen_ai.request.stop_sequences': ['a', 'b'],
      'gen_ai.output.type': 'json',
      'openai.request.service_tier': 'flex',
    });
  });

  it('leaves out one choice, and values of the wrong type (the span starts before validation)', () => {
    expect(attributesOf('chat', { n: 1, temperature: 'hot', stop: [1], seed: Number.NaN })).toEqual({});
    expect(attributesOf('chat', null)).toEqual({});
  });

  it('survives a getter that throws, keeping what it read before', () => {
    const params = { temperature: 0.3, get top_p(): number { throw new Error('boom'); } };
    expect(attributesOf('chat', params)).toEqual({ 'gen_ai.request.temperature': 0.3 });
  });

  it('takes the encoding format and dimensions of an embeddings call', () => {
    expect(attributesOf('embeddings', { encoding_format: 'base64', dimensions: 256 })).toEqual({ 'gen_ai.request.encoding_formats': ['base64'], 'gen_ai.embeddings.dimension.count': 256 });
  });
});

describe('genAiProviderName', () => {
  it('uses the convention’s names for the families that differ', () => {
    expect(genAiProviderName('google')).toBe('gcp.gemini');
    expect(genAiProviderName('openai')).toBe('openai');
    expect(genAiProviderName('anthropic')).toBe('anthropic');
    expect(genAiProviderName('vllm')).toBe('vllm');
    expect(genAiProviderName('google', 'us-central1-aiplatform.googleapis.com')).toBe('gcp.vertex_ai');
    expect(genAiProviderName('google', 'generativelanguage.googleapis.com')).toBe('gcp.gemini');
  });
});
