/**
 * `pnpm example:cost`: what calls cost, offline. Mock OpenAI and Anthropic servers answer
 * with the usage a real provider reports (cached input, 5-minute and 1-hour cache writes); the
 * gateway prices each call with its built-in catalog. A stream cut mid-way is priced from a
 * token estimate, and a model the catalog does not know is not priced at all.
 */
import Anthropic from '@anthropic-ai/sdk';
import { anthropic } from '@switchyard/anthropic';
import { createGateway, type CallCost } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const openaiServer = await startMockServer();
const anthropicServer = await startMockServer({ format: anthropicWireFormat });
const gateway = createGateway({
  providers: {
    openai: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: openaiServer.baseURL }) }),
    anthropic: anthropic({ client: new Anthropic({ apiKey: 'sk-ant-mock', baseURL: anthropicServer.baseURL }) }),
    local: openai({ client: new OpenAI({ apiKey: 'none', baseURL: openaiServer.baseURL }), provider: 'vllm' }),
  },
});
const messages = [{ role: 'user' as const, content: 'Summarise our pricing page.' }];
const usd = (cost: CallCost | undefined) =>
  cost?.usd == null ? `no price (${cost?.reason ?? 'not ended'})` : `$${cost.usd.toFixed(6)}${cost.estimated ? ' (estimated)' : ''}`;
const parts = (cost: CallCost | undefined) =>
  cost?.breakdown ? Object.entries(cost.breakdown).filter(([, value]) => value > 0).map(([part, value]) => `${part} $${value.toFixed(6)}`).join(', ') : '';

// 1. OpenAI: 1,500 of the 2,000 input tokens came from OpenAI's prompt cache, at the cached price.
openaiServer.enqueue({ content: 'Here is the summary.', usage: { input: 2000, cached: 1500, output: 300 } });
const first = await gateway.chat.completions.create({ model: 'openai/gpt-4o-2024-08-06', messages }).withMeta();
console.log(`gpt-4o, cached input:        ${usd(first.meta.cost)}  [${parts(first.meta.cost)}]`);

// 2. Anthropic: cache reads, and writes to the 5-minute and the 1-hour cache, each at its own price.
anthropicServer.enqueue({ content: 'Here is the summary.', usage: { input: 3100, cached: 2000, cacheWrite: 1000, cacheWrite1h: 600, output: 500 } });
const second = await gateway.chat.completions.create({ model: 'anthropic/claude-sonnet-4-6', messages, max_tokens: 1024 }).withMeta();
console.log(`claude-sonnet-4-6, caching:  ${usd(second.meta.cost)}  [${parts(second.meta.cost)}]`);

// 3. A stream cut after a few chunks: no usage arrived, so its tokens are counted.
openaiServer.enqueue({ content: 'one two three four five six seven eight', cutAfter: 4 });
const cut = await gateway.chat.completions.create({ model: 'openai/gpt-4o-mini', messages, stream: true }).withMeta();
try {
  for await (const _ of cut.data) {
    // read until it breaks
  }
} catch (error) {
  console.log(`gpt-4o-mini, cut stream:     ${usd(cut.meta.cost)} — ${cut.meta.cost?.reason} (${(error as Error).name})`);
}

// 4. A self-hosted model the catalog does not know: no made-up number.
openaiServer.enqueue({ content: 'ok' });
const local = await gateway.chat.completions.create({ model: 'local/llama-3.3-70b', messages }).withMeta();
console.log(`llama-3.3-70b (unknown):     ${usd(local.meta.cost)}`);
console.log('Give it a price (zero for your own hardware) with `catalog: { "llama-3.3-70b": { prices: { input: 0, output: 0 } } }`.');

await Promise.all([openaiServer.close(), anthropicServer.close()]);
