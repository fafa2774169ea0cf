import { describe, expect, it } from 'vitest';
import type { ProviderAdapter } from './adapter.js';
import { UnknownModelError } from './errors.js';
import { Router } from './router.js';

const adapter = (provider: string) => ({ provider }) as unknown as ProviderAdapter;

describe('Router', () => {
  const openai = adapter('openai');
  const vllm = adapter('vllm');
  const router = new Router({ openai, vllm }, { fast: 'openai/gpt-4.1-mini', quick: 'fast' });

  it('resolves direct targets on the first slash', () => {
    const plan = router.resolve('vllm/meta-llama/Llama-3.1-8B');
    expect(plan.route).toBe('vllm/meta-llama/Llama-3.1-8B');
    expect(plan.targets).toEqual([{ id: 'vllm/meta-llama/Llama-3.1-8B', provider: 'vllm', model: 'meta-llama/Llama-3.1-8B', adapter: vllm }]);
    expect(router.resolve('vllm/meta-llama/Llama-3.1-8B')).toBe(plan);
  });

  it('resolves aliases, also through other aliases', () => {
    expect(router.resolve('quick').targets[0]).toMatchObject({ provider: 'openai', model: 'gpt-4.1-mini', adapter: openai });
    expect(router.resolve('quick').route).toBe('quick');
  });

  it('rejects unknown models with the choices', () => {
    expect(() => router.resolve('gpt-4.1')).toThrow(UnknownModelError);
    expect(() => router.resolve('anthropic/claude')).toThrow(/routes? \(fast, quick\).*openai, vllm/);
    expect(() => router.resolve('openai/')).toThrow(UnknownModelError);
  });
});
