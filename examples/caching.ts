/**
 * `pnpm example:caching`: the exact response cache, offline. A mock OpenAI server behind
 * the real `openai` SDK; the events and the server's request count show what the cache did:
 * a miss, a hit, a burst of identical calls that made one request, and a stream replayed
 * from the cached completion.
 */
import { createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const server = await startMockServer();
// Slow enough that the burst below is in flight all at once.
server.setFallback({ content: 'Paris is the capital of France.', delayMs: 50, usage: { input: 14, output: 7 } });

const gateway = createGateway({
  providers: { openai: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: server.baseURL }) }) },
  models: { fast: 'openai/gpt-4.1-mini' },
  cache: { exact: { ttlMs: 10 * 60_000 } },
});
gateway.on('cache.miss', (e) => console.log(`  cache.miss  ${e.key.slice(0, 12)}…${e.coalesced ? ' (waited for an identical call in flight)' : ''}`));
gateway.on('cache.store', (e) => console.log(`  cache.store ${e.key.slice(0, 12)}… ${e.bytes} bytes`));
gateway.on('cache.hit', (e) => console.log(`  cache.hit   ${e.key.slice(0, 12)}… ${e.ageMs} ms old, saved $${e.savedUsd?.toFixed(6) ?? '?'}`));
const settle = () => new Promise((resolve) => setImmediate(resolve));

const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }];

console.log('1. A miss: the provider answers, the cache keeps the answer.');
const miss = await gateway.chat.completions.create({ model: 'fast', messages }).withMeta();
await settle();
console.log(`  -> ${miss.data.choices[0]?.message.content} (served by ${miss.meta.served})`);

console.log('2. The same request again, with its default temperature spelt out: a hit.');
const hit = await gateway.chat.completions.create({ model: 'fast', messages, temperature: 1 }).withMeta();
await settle();
console.log(`  -> ${hit.data.choices[0]?.message.content} (served by ${hit.meta.served}, cost $${hit.meta.cost?.usd ?? 0})`);

console.log('3. Five identical calls at once, for a new question: one request between them.');
const burstMessages = [{ role: 'user' as const, content: 'And of Italy?' }];
const before = server.requests.length;
const burst = await Promise.all(Array.from({ length: 5 }, () => gateway.chat.completions.create({ model: 'fast', messages: burstMessages }).withMeta()));
await settle();
console.log(`  -> ${burst.length} answers, ${server.requests.length - before} request(s) to the provider; served by ${burst.map((r) => r.meta.served).join(', ')}`);

console.log('4. The first question as a stream: replayed from the cached completion.');
const stream = await gateway.chat.completions.create({ model: 'fast', messages, stream: true, stream_options: { include_usage: true } });
let text = '';
let chunks = 0;
for await (const chunk of stream) {
  chunks++;
  text += chunk.choices[0]?.delta.content ?? '';
  if (chunk.usage) console.log(`  usage chunk: ${chunk.usage.total_tokens} tokens (reported, not consumed)`);
}
await settle();
console.log(`  -> "${text}" in ${chunks} chunks`);

console.log(`The provider saw ${server.requests.length} requests for ${1 + 1 + 5 + 1} calls.`);
await server.close();
