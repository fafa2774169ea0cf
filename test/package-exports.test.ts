import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Core from '@switchyard/core';
import type * as OpenAIAdapter from '@switchyard/openai';
import type * as Testing from '@switchyard/testing';
import type OpenAIClient from 'openai';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const packages = {
  core: ['createGateway', 'Gateway', 'GatewayError', 'ConfigError', 'ProviderError', 'chatCompletionCreateParamsSchema', 'mapChunks'],
  openai: ['openai'],
  testing: ['startMockServer', 'openaiWireFormat', 'scriptedAdapter'],
} as const;

describe('published bundles (pnpm build)', () => {
  for (const [name, exports] of Object.entries(packages)) {
    const dist = resolve(root, 'packages', name, 'dist');
    it(`@switchyard/${name} loads as ESM and as CJS with its types`, async () => {
      expect(existsSync(dist), `${dist} is missing: run \`pnpm build\` first (pnpm test does)`).toBe(true);
      const esm = (await import(pathToFileURL(resolve(dist, 'index.js')).href)) as Record<string, unknown>;
      const cjs = require(resolve(dist, 'index.cjs')) as Record<string, unknown>;
      for (const symbol of exports) {
        expect(esm[symbol], `ESM export ${symbol}`).toBeDefined();
        expect(cjs[symbol], `CJS export ${symbol}`).toBeDefined();
      }
      expect(existsSync(resolve(dist, 'index.d.ts'))).toBe(true);
      expect(existsSync(resolve(dist, 'index.d.cts'))).toBe(true);
    });
  }

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
