/**
 * `pnpm demo`: a routed call, a stream, an embeddings call and the usage events, through
 * Switchyard, then the same question to Claude and Gemini in the same OpenAI shape.
 * Offline on mock servers; a provider whose key is set (OPENAI_API_KEY, ANTHROPIC_API_KEY,
 * GEMINI_API_KEY) is called for real, with small, cheap models.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { anthropic } from '@switchyard/anthropic';
import { createGateway, type Middleware } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const live = Boolean(process.env.OPENAI_API_KEY);
const mock = live ? undefined : await startMockServer();
const client = live ? new OpenAI() : new OpenAI({ apiKey: 'sk-mock', baseURL: mock?.baseURL });
const claudeMock = process.env.ANTHROPIC_API_KEY ? undefined : await startMockServer({ format: anthropicWireFormat });
const claude = claudeMock ? new Anthropic({ apiKey: 'sk-ant-mock', baseURL: claudeMock.baseURL }) : new Anthropic();
const geminiMock = process.env.GEMINI_API_KEY ? undefined : await startMockServer({ format: geminiWireFormat });
const gemini = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY ?? 'mock-key', ...(geminiMock ? { httpOptions: { baseUrl: geminiMock.baseURL } } : {}) });
claudeMock?.enqueue({ content: 'Rivers run to the sea.', reasoning: 'Short and true.' });
geminiMock?.enqueue({ content: 'The sea is where rivers go.' });
// Offline, script what the mock answers (any OpenAI-format reply, faults too: see @switchyard/testing).
mock?.enqueue({ content: 'Hello there, nice to meet.' }, { content: 'Rhine\nDanube\nLoire' });
console.log(live ? 'Calling the real OpenAI API (OPENAI_API_KEY is set).' : `Offline: a mock OpenAI server on ${mock?.url}.`);

// A middleware sees every call once (request) and every try (attempt).
const timing: Middleware = {
  name: 'timing',
  async attempt(ctx, next) {
    const started = performance.now();
    const result = await next();
    console.log(`  [timing] attempt ${ctx.attempt} on ${ctx.provider}/${ctx.model}: ${(performance.now() - started).toFixed(1)} ms to first result`);
    return result;
  },
};

const gateway = createGateway({
  providers: { openai: openai({ client }), anthropic: anthropic({ client: claude }), google: google({ client: gemini }) },
  models: { fast: 'openai/gpt-4.1-mini', embed: 'openai/text-embedding-3-small', claude: 'anthropic/claude-haiku-4-5', gemini: 'google/gemini-2.5-flash' },
  middleware: [timing],
  defaults: { timeout: 30_000 },
});

gateway.on('request.end', (event) => {
  const usage = event.usage ? `${event.usage.inputTokens} in / ${event.usage.outputTokens} out tokens` : 'no usage';
  const ttfc = event.timeToFirstChunkMs === undefined ? '' : `, first chunk ${event.timeToFirstChunkMs.toFixed(1)} ms`;
  console.log(`  [event] ${event.operation} '${event.route}' -> ${event.provider}/${event.model}: ${event.outcome}, ${usage}, ${event.latencyMs.toFixed(1)} ms${ttfc}`);
});

console.log('\n1. A routed call: the route "fast" resolves to openai/gpt-4.1-mini');
const { data: completion, meta } = await gateway.chat.completions
  .create({ model: 'fast', messages: [{ role: 'user', content: 'Say hello in five words.' }] }, { tags: ['demo'], principal: { id: 'demo-user' } })
  .withMeta();
console.log(`  ${completion.choices[0]?.message.content}`);
console.log(`  served by ${meta.provider}/${meta.model}, request ${meta.requestId}`);

console.log('\n2. A stream');
const stream = await gateway.chat.completions.create({
  model: 'fast',
  messages: [{ role: 'user', content: 'Name three rivers, one per line.' }],
  stream: true,
});
process.stdout.write('  ');
for await (const chunk of stream) {
  process.stdout.write((chunk.choices[0]?.delta.content ?? '').replaceAll('\n', '\n  '));
  if (chunk.choices[0]?.finish_reason) process.stdout.write('\n');
}

console.log('\n3. Embeddings');
const embeddings = await gateway.embeddings.create({ model: 'embed', input: ['switchyard', 'gateway'], dimensions: 8 });
for (const item of embeddings.data) {
  const vector = item.embedding.slice(0, 4).map((value) => value.toFixed(3));
  console.log(`  #${item.index}: [${vector.join(', ')}, ...] (${item.embedding.length} dimensions)`);
}

console.log('\n4. The same question to Claude and Gemini: one shape back, whatever the provider');
for (const model of ['claude', 'gemini']) {
  const answer = await gateway.chat.completions.create({ model, messages: [{ role: 'user', content: 'Where do rivers go? One line.' }], max_tokens: 200 });
  console.log(`  ${model}: ${answer.choices[0]?.message.content} (finish: ${answer.choices[0]?.finish_reason})`);
}

// Events are delivered off the hot path; let the last ones arrive before exiting.
await new Promise((resolve) => setImmediate(resolve));
await Promise.all([mock?.close(), claudeMock?.close(), geminiMock?.close()]);
