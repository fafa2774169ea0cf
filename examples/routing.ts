/**
 * `pnpm example:routing`: fallback, retries and a circuit breaker, offline. A
 * flaky primary (a mock OpenAI server scripted to fail) and a healthy secondary (a mock
 * Anthropic server) behind one route; the events show what the gateway did.
 */
import Anthropic from '@anthropic-ai/sdk';
import { anthropic } from '@switchyard/anthropic';
import { createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const primary = await startMockServer();
const secondary = await startMockServer({ format: anthropicWireFormat });
primary.setFallback({ kind: 'error', status: 503, message: 'overloaded' });
secondary.setFallback({ content: 'Answered by the secondary.' });

const gateway = createGateway({
  providers: {
    openai: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: primary.baseURL }) }),
    anthropic: anthropic({ client: new Anthropic({ apiKey: 'sk-ant-mock', baseURL: secondary.baseURL }) }),
  },
  models: { smart: { fallback: ['openai/gpt-4.1', 'anthropic/claude-haiku-4-5'] } },
  routing: {
    retry: { retries: 1, minDelayMs: 50 },
    breaker: { minimumRequests: 2, cooldownMs: 60_000 },
  },
});
gateway.on('attempt.retry', (e) => console.log(`  retry    ${e.provider}/${e.model} after ${e.delayMs} ms (${e.error.status})`));
gateway.on('request.fallback', (e) => console.log(`  fallback ${e.from} -> ${e.to}`));
gateway.on('deployment.cooldown', (e) => console.log(`  cooldown ${e.deployment}: ${e.reason}`));

for (let call = 1; call <= 3; call++) {
  console.log(`call ${call}`);
  const { data, meta } = await gateway.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'Hello?' }] }).withMeta();
  console.log(`  -> ${data.choices[0]?.message.content} (${meta.provider}/${meta.model}, ${meta.attempts} attempt(s))`);
}
console.log(`The primary saw ${primary.requests.length} requests: after two failed calls its breaker opened and the third call went straight to the secondary.`);

await new Promise((resolve) => setImmediate(resolve));
await Promise.all([primary.close(), secondary.close()]);
