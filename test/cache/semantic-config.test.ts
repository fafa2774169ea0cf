import { createGateway, type ConfigError, type GatewayConfig } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { configError } from '../gateway/helpers.js';

const adapter = () => scriptedAdapter({ chat: () => completionOf('ok') });

/** The issues of the ConfigError a gateway with this config throws. */
const configIssues = (config: unknown): ConfigError['issues'] => configError(() => createGateway(config as GatewayConfig)).issues;

describe('cache.semantic config', () => {
  it('checks every option, naming its path', () => {
    const issues = configIssues({
      providers: { p: adapter() },
      cache: {
        semantic: {
          embeddings: { model: 'p/embed' },
          threshold: 0,
          when: { routes: 'fast', principals: [''], maxTemperature: 3 },
          maxEntries: 0,
          ttlMs: -1,
          namespace: '',
          dimensions: 1.5,
          keyFields: { principal: 'yes' },
          now: 5,
        },
      },
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      [
        'cache.semantic.dimensions',
        'cache.semantic.keyFields.principal',
        'cache.semantic.maxEntries',
        'cache.semantic.namespace',
        'cache.semantic.now',
        'cache.semantic.threshold',
        'cache.semantic.ttlMs',
        'cache.semantic.when.maxTemperature',
        'cache.semantic.when.principals.0',
        'cache.semantic.when.routes',
      ].sort(),
    );
  });

  it('requires the embeddings model, and one the gateway can call', () => {
    expect(configIssues({ providers: { p: adapter() }, cache: { semantic: {} } }).map((issue) => issue.path)).toEqual(['cache.semantic.embeddings']);
    expect(configIssues({ providers: { p: adapter() }, cache: { semantic: { embeddings: { model: 'embed' } } } })).toEqual([
      { path: 'cache.semantic.embeddings.model', message: "'embed' is neither a route nor '<provider>/<model>'" },
    ]);
    expect(configIssues({ providers: { p: adapter() }, cache: { semantic: { embeddings: { model: 'q/embed' } } } })[0]?.message).toMatch(/^unknown provider 'q'/);
    expect(() => createGateway({ providers: { p: adapter() }, models: { embed: 'p/e' }, cache: { semantic: { embeddings: { model: 'embed' } } } })).not.toThrow();
  });

  it('names an unknown key with the one probably meant', () => {
    expect(configIssues({ providers: { p: adapter() }, cache: { semantic: { embeddings: { model: 'p/e' }, treshold: 0.9 } } })[0]?.message).toMatch(/^unknown key 'treshold' \(did you mean 'threshold'\?\)/);
  });

  it('is off when absent: no embeddings call is made', async () => {
    const chat = scriptedAdapter({ chat: () => completionOf('ok'), embed: () => ({ object: 'list', model: 'e', data: [], usage: { prompt_tokens: 0, total_tokens: 0 } }) });
    const gateway = createGateway({ providers: { p: chat } });
    await gateway.chat.completions.create({ model: 'p/m', temperature: 0, messages: [{ role: 'user', content: 'hi' }] });
    await gateway.chat.completions.create({ model: 'p/m', temperature: 0, messages: [{ role: 'user', content: 'hi' }] });
    expect(chat.calls.map((call) => call.operation)).toEqual(['chat', 'chat']);
  });
});
