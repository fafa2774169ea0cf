import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Core from '@switchyard/core';
import type * as CoreAdapter from '@switchyard/core/adapter';
import type * as OpenAIAdapter from '@switchyard/openai';
import type * as Testing from '@switchyard/testing';
import type OpenAIClient from 'openai';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
/** Each entry: its package folder, its bundle's base name under dist/, and names it must export. */
const entries = {
  '@switchyard/core': ['core', 'index', ['createGateway', 'Gateway', 'GatewayError', 'ConfigError', 'ProviderError', 'chatCompletionCreateParamsSchema', 'mapChunks']],
  '@switchyard/core/adapter': ['core', 'adapter', ['sdkErrorToGatewayError', 'readEventStream', 'ServerSentEventDecoder', 'KeyPool', 'ResponseTooLargeError']],
  '@switchyard/openai': ['openai', 'index', ['openai']],
  '@switchyard/testing': ['testing', 'index', ['startMockServer', 'openaiWireFormat', 'scriptedAdapter']],
} as const;

describe('published bundles (pnpm build)', () => {
  for (const [specifier, [name, base, exports]] of Object.entries(entries)) {
    const dist = resolve(root, 'packages', name, 'dist');
    it(`${specifier} loads as ESM and as CJS with its types`, async () => {
      expect(existsSync(dist), `${dist} is missing: run \`pnpm build\` first (pnpm test does)`).toBe(true);
      const esm = (await import(pathToFileURL(resolve(dist, `${base}.js`)).href)) as Record<string, unknown>;
      const cjs = require(resolve(dist, `${base}.cjs`)) as Record<string, unknown>;
      for (const symbol of exports) {
        expect(esm[symbol], `ESM export ${symbol}`).toBeDefined();
        expect(cjs[symbol], `CJS export ${symbol}`).toBeDefined();
      }
      expect(Object.keys(cjs).filter((key) => key !== 'default').sort(), 'CJS exports match ESM').toEqual(Object.keys(esm).sort());
      expect(existsSync(resolve(dist, `${base}.d.ts`))).toBe(true);
      expect(existsSync(resolve(dist, `${base}.d.cts`))).toBe(true);
    });
  }

  it('shares one copy of the code between core and core/adapter, in ESM and in CJS', async () => {
    const dist = resolve(root, 'packages/core/dist');
    const esmMain = (await import(pathToFileURL(resolve(dist, 'index.js')).href)) as typeof Core;
    const esmAdapter = (await import(pathToFileURL(resolve(dist, 'adapter.js')).href)) as typeof CoreAdapter;
    expect(esmAdapter.ResponseTooLargeError).toBe(esmMain.ResponseTooLargeError);
    const cjsMain = require(resolve(dist, 'index.cjs')) as typeof Core;
    const cjsAdapter = require(resolve(dist, 'adapter.cjs')) as typeof CoreAdapter;
    expect(cjsAdapter.ResponseTooLargeError).toBe(cjsMain.ResponseTooLargeError);
    expect(Object.getPrototypeOf(cjsAdapter.ResponseTooLargeError.prototype)).toBe(cjsMain.ProviderError.prototype);
  });

  it('resolves the subpath through the package exports', async () => {
    const resolved = require.resolve('@switchyard/core/adapter', { paths: [resolve(root, 'packages/openai')] });
    expect(resolved).toBe(resolve(root, 'packages/core/dist/adapter.cjs'));
  });

  it('works end to end from the CJS bundles', async () => {
    const { createGateway } = require(resolve(root, 'packages/core/dist/index.cjs')) as typeof Core;
    const { openai } = require(resolve(root, 'packages/openai/dist/index.cjs')) as typeof OpenAIAdapter;
    const { startMockServer } = require(resolve(root, 'packages/testing/dist/index.cjs')) as typeof Testing;
    const OpenAI = require('openai') as typeof OpenAIClient;
    const server = await startMockServer();
    try {
      const gateway = createGateway({ providers: { openai: openai({ client: new OpenAI({ apiKey: 'sk-x', baseURL: server.baseURL }) }) } });
      const completion = await gateway.chat.completions.create({ model: 'openai/gpt-4.1', messages: [{ role: 'user', content: 'hi' }] });
      expect(completion.object).toBe('chat.completion');
    } finally {
      await server.close();
    }
  });
});
