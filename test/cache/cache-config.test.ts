import { InvalidRequestError, createGateway, type ConfigError, type GatewayConfig } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { configError } from '../gateway/helpers.js';
import { messages } from './helpers.js';

const adapter = () => scriptedAdapter({ chat: () => completionOf('ok') });

/** The issues of the ConfigError a gateway with this config throws. */
const configIssues = (config: unknown): ConfigError['issues'] => configError(() => createGateway(config as GatewayConfig)).issues;

describe('cache config', () => {
  it('checks every option of cache.exact, naming its path', () => {
    const issues = configIssues({
      providers: { p: adapter() },
      cache: { exact: { maxEntries: 0, maxBytes: 1.5, ttlMs: -1, namespace: '', store: {}, keyFields: { metadata: 'tenant' }, coalesce: 'yes', now: 5 } },
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual(
      ['cache.exact.coalesce', 'cache.exact.keyFields.metadata', 'cache.exact.maxBytes', 'cache.exact.maxEntries', 'cache.exact.namespace', 'cache.exact.now', 'cache.exact.store', 'cache.exact.ttlMs'].sort(),
    );
    expect(issues.find((issue) => issue.path === 'cache.exact.store')?.message).toMatch(/must be a Store/);
    expect(issues.find((issue) => issue.path === 'cache.exact.maxEntries')?.message).toBe('must be a whole number of entries ≥ 1, got 0');
  });

  it('names an unknown key with the one probably meant', () => {
    expect(configIssues({ providers: { p: adapter() }, cache: { exakt: {} } })).toEqual([
      { path: 'cache', message: "unknown key 'exakt' (did you mean 'exact'?); known keys: 'exact', 'semantic'" },
    ]);
    expect(configIssues({ providers: { p: adapter() }, cache: { exact: { namespaces: 'a' } } })[0]?.message).toMatch(/^unknown key 'namespaces' \(did you mean 'namespace'\?\)/);
  });

  it('checks a call’s cache options like its other options', async () => {
    const gateway = createGateway({ providers: { p: adapter() }, cache: { exact: {} } });
    const bad = { cache: { ttlMs: 0, nocache: true } } as unknown as Parameters<typeof gateway.chat.completions.create>[1];
    const error = (await gateway.chat.completions.create({ model: 'p/m', messages }, bad).catch((e: unknown) => e)) as InvalidRequestError;
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['options.cache', 'options.cache.ttlMs']);
    expect(error.message).toMatch(/did you mean 'noCache'/);
  });

  it('puts a caller’s identity in the key only when keyFields ask for it', async () => {
    const shared = adapter();
    const gateway = createGateway({ providers: { p: shared }, cache: { exact: { keyFields: { user: true, principal: true, metadata: ['tenant'] } } } });
    await gateway.chat.completions.create({ model: 'p/m', messages, user: 'alice' }, { principal: { id: 'p1' }, metadata: { tenant: 'a', trace: '1' } });
    await gateway.chat.completions.create({ model: 'p/m', messages, user: 'alice' }, { principal: { id: 'p1' }, metadata: { tenant: 'a', trace: '2' } });
    expect(shared.calls).toHaveLength(1);
    await gateway.chat.completions.create({ model: 'p/m', messages, user: 'bob' }, { principal: { id: 'p1' }, metadata: { tenant: 'a' } });
    await gateway.chat.completions.create({ model: 'p/m', messages, user: 'alice' }, { principal: { id: 'p2' }, metadata: { tenant: 'a' } });
    await gateway.chat.completions.create({ model: 'p/m', messages, user: 'alice' }, { principal: { id: 'p1' }, metadata: { tenant: 'b' } });
    expect(shared.calls).toHaveLength(4);
    expect(gateway.cache.keyOf({ model: 'p/m', messages, user: 'alice' }, { principal: { id: 'p1' }, metadata: { tenant: 'a' } })).not.toBe(gateway.cache.keyOf({ model: 'p/m', messages, user: 'bob' }));
  });

  it('follows reload: a new config starts a new memory tier, and one without a cache turns it off', async () => {
    const shared = adapter();
    const gateway = createGateway({ providers: { p: shared }, cache: { exact: {} } });
    expect(gateway.cache.enabled).toBe(true);
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(shared.calls).toHaveLength(1);
    gateway.reload({ providers: { p: shared }, cache: { exact: {} } });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(shared.calls).toHaveLength(2);
    gateway.reload({ providers: { p: shared } });
    expect(gateway.cache.enabled).toBe(false);
    await gateway.chat.completions.create({ model: 'p/m', messages });
    await gateway.chat.completions.create({ model: 'p/m', messages });
    expect(shared.calls).toHaveLength(4);
  });

  it('refuses a bad key or namespace to invalidate', async () => {
    const gateway = createGateway({ providers: { p: adapter() }, cache: { exact: {} } });
    await expect(gateway.cache.invalidate('')).rejects.toBeInstanceOf(TypeError);
    await expect(gateway.cache.invalidateNamespace('')).rejects.toBeInstanceOf(TypeError);
  });
});
