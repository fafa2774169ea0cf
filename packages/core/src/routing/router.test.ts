import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from '../adapter/adapter.js';
import { UnknownModelError } from '../errors/errors.js';
import { Router } from './router.js';
import { candidates, fixedPickContext } from './candidates.js';

const adapter = (provider: string) => ({ provider }) as unknown as ProviderAdapter;
const only = fixedPickContext;
const ids = (router: Router, model: string, random = () => 0) => [...candidates(router.resolve(model), only(random))].map((t) => t.id);

describe('Router', () => {
  const openai = adapter('openai');
  const vllm = adapter('vllm');
  const router = new Router(
    { openai, vllm },
    {
      fast: 'openai/gpt-4.1-mini',
      quick: 'fast',
      smart: { fallback: ['openai/gpt-4.1', { loadbalance: ['vllm/a', { target: 'vllm/b', weight: 3 }] }, 'quick'] },
      tuned: { target: 'fast', params: { temperature: 0 } },
    },
  );

  it('resolves direct targets on the first slash, and caches them', () => {
    const node = router.resolve('vllm/meta-llama/Llama-3.1-8B');
    expect(node).toEqual({ kind: 'target', weight: 1, target: { id: 'vllm/meta-llama/Llama-3.1-8B', provider: 'vllm', model: 'meta-llama/Llama-3.1-8B', adapter: vllm, params: undefined } });
    expect(router.resolve('vllm/meta-llama/Llama-3.1-8B')).toBe(node);
  });

  it('resolves aliases, also through other aliases', () => {
    expect(ids(router, 'quick')).toEqual(['openai/gpt-4.1-mini']);
  });

  it('compiles nested fallback and load-balanced groups into one candidate order', () => {
    expect(ids(router, 'smart', () => 0)).toEqual(['openai/gpt-4.1', 'vllm/a', 'vllm/b', 'openai/gpt-4.1-mini']);
    expect(ids(router, 'smart', () => 0.99)).toEqual(['openai/gpt-4.1', 'vllm/b', 'vllm/a', 'openai/gpt-4.1-mini']);
  });

  it('carries per-target parameter overrides', () => {
    expect([...candidates(router.resolve('tuned'), only(() => 0))][0]?.params).toEqual({ temperature: 0 });
  });

  it('rejects unknown models with the choices', () => {
    expect(() => router.resolve('gpt-4.1')).toThrow(UnknownModelError);
    expect(() => router.resolve('anthropic/claude')).toThrow(/routes? \(fast, quick, smart, tuned\).*openai, vllm/);
    expect(() => router.resolve('openai/')).toThrow(UnknownModelError);
  });
});
