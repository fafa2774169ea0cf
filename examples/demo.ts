/**
 * `pnpm demo`: what the gateway does for a call, in a few seconds. A routed call; a call that
 * falls back from a deployment that is down to another provider; a retry after a 429 that
 * waits as long as the server asked; a stream that arrives chunk by chunk; embeddings; the
 * same question to Claude and Gemini in the same OpenAI shape; and a typo that fails with a
 * hint. After each answer, the events the gateway emitted for it.
 *
 * Offline on mock servers. A provider whose key is set (OPENAI_API_KEY, ANTHROPIC_API_KEY,
 * GEMINI_API_KEY) is called for real, with small, cheap models; the deployment that is down
 * and the one that answers 429 are always mock servers (a real API cannot be told to fail).
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { anthropic } from '@switchyard/anthropic';
import { UnknownModelError, createGateway, type GatewayEvent, type Middleware } from '@switchyard/core';
import { google } from '@switchyard/google';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, geminiWireFormat, startMockServer, type MockServer, type MockServerOptions } from '@switchyard/testing';
import OpenAI from 'openai';

const mocks: MockServer[] = [];
async function mockFor(options?: MockServerOptions): Promise<MockServer> {
  const server = await startMockServer(options);
  mocks.push(server);
  return server;
}

const openaiMock = process.env.OPENAI_API_KEY ? undefined : await mockFor();
const claudeMock = process.env.ANTHROPIC_API_KEY ? undefined : await mockFor({ format: anthropicWireFormat });
const geminiMock = process.env.GEMINI_API_KEY ? undefined : await mockFor({ format: geminiWireFormat });
// Two OpenAI-compatible deployments that misbehave on purpose, mock servers even when keys are set.
const down = await mockFor();
const limited = await mockFor();

const client = openaiMock ? new OpenAI({ apiKey: 'sk-mock', baseURL: openaiMock.baseURL }) : new OpenAI();
const claude = claudeMock ? new Anthropic({ apiKey: 'sk-ant-mock', baseURL: claudeMock.baseURL }) : new Anthropic();
const gemini = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY ?? 'mock-key', ...(geminiMock ? { httpOptions: { baseUrl: geminiMock.baseURL } } : {}) });

// Offline, script what the mocks answer (any reply in their wire format, faults too: see docs/testing.md).
openaiMock?.enqueue(
  { content: 'Hello there, nice to meet you.' }, // 1. the routed call
  { content: 'Rhine, Danube, Loire, Seine, Elbe.', chunkDelayMs: 150 }, // 4. the stream, one word every 150 ms
);
claudeMock?.enqueue({ content: 'Answered by Claude, after the primary failed.' }, { content: 'Rivers run to the sea.', reasoning: 'Short and true.' });
geminiMock?.enqueue({ content: 'The sea is where rivers go.' });
down.setFallback({ kind: 'error', status: 503, message: 'overloaded' });
limited.enqueue({ kind: 'error', status: 429, headers: { 'retry-after-ms': '400' } }, { content: 'Answered on the second try.' });

const where = (mock: MockServer | undefined, real: string) => (mock ? `mock (${mock.url})` : `the real ${real} API`);
console.log(`OpenAI: ${where(openaiMock, 'OpenAI')}; Anthropic: ${where(claudeMock, 'Anthropic')}; Gemini: ${where(geminiMock, 'Gemini')}.`);
console.log(`Plus two mock OpenAI-compatible deployments: one down (503 on every call), one that answers 429 once.`);

// What happened during a call, printed after its answer: the middleware's notes and the events.
let notes: string[] = [];
const note = (line: string) => void notes.push(line);
async function whatHappened(): Promise<void> {
  // Events are delivered in a microtask batch after the call has moved on; let them arrive.
  await new Promise((resolve) => setImmediate(resolve));
  for (const line of notes) console.log(`  ${line}`);
  notes = [];
}

// A middleware sees every call once (request) and every try (attempt).
const timing: Middleware = {
  name: 'timing',
  async attempt(ctx, next) {
    const started = performance.now();
    const took = (what: string) => note(`[middleware] attempt ${ctx.attempt} on ${ctx.provider}/${ctx.model}: ${what} after ${(performance.now() - started).toFixed(0)} ms`);
    try {
      const result = await next();
      took(result.kind === 'stream' ? 'first chunk' : 'answer');
      return result;
    } catch (error) {
      took('failed');
      throw error;
    }
  },
};

const gateway = createGateway({
  providers: {
    openai: openai({ client }),
    anthropic: anthropic({ client: claude }),
    google: google({ client: gemini }),
    primary: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: down.baseURL }) }),
    local: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: limited.baseURL }), provider: 'vllm' }),
  },
  models: {
    fast: 'openai/gpt-4.1-mini',
    smart: { fallback: ['primary/gpt-4.1', 'anthropic/claude-haiku-4-5'] },
    llama: 'local/llama-3.1-8b',
    embed: 'openai/text-embedding-3-small',
    claude: 'anthropic/claude-haiku-4-5',
    gemini: 'google/gemini-2.5-flash',
  },
  middleware: [timing],
  // Short backoff so the demo stays quick (the defaults: 2 retries from 250 ms, see docs/routing.md).
  routing: { retry: { retries: 1, minDelayMs: 100, maxDelayMs: 1_000 } },
  defaults: { timeout: 30_000 },
});

const describe = (event: GatewayEvent): string | undefined => {
  switch (event.type) {
    case 'attempt.retry':
      return `[attempt.retry] ${event.provider}/${event.model} failed (${event.error.status ?? event.error.code}); trying again in ${event.delayMs} ms`;
    case 'request.fallback':
      return `[request.fallback] ${event.from} -> ${event.to} (${event.error.status ?? event.error.code})`;
    case 'request.end': {
      const usage = event.usage ? `${event.usage.inputTokens} in / ${event.usage.outputTokens} out tokens` : 'no usage';
      const ttfc = event.timeToFirstChunkMs === undefined ? '' : `, first chunk after ${event.timeToFirstChunkMs.toFixed(0)} ms`;
      const served = event.provider === undefined ? 'no provider' : `${event.provider}/${event.model}`;
      const outcome = event.error ? `${event.outcome} (${event.error.code})` : event.outcome;
      return `[request.end] ${event.operation} '${event.route}' -> ${served}: ${outcome} after ${event.attempts} attempt(s), ${usage}, ${event.latencyMs.toFixed(0)} ms${ttfc}`;
    }
    default:
      return undefined;
  }
};
gateway.on('*', (event) => {
  const line = describe(event);
  if (line) note(line);
});

const ask = (content: string) => [{ role: 'user' as const, content }];

console.log('\n1. A routed call: the route "fast" is openai/gpt-4.1-mini');
const { data: completion, meta } = await gateway.chat.completions
  .create({ model: 'fast', messages: ask('Say hello in five words.') }, { tags: ['demo'], principal: { id: 'demo-user' } })
  .withMeta();
console.log(`  ${completion.choices[0]?.message.content}`);
console.log(`  served by ${meta.provider}/${meta.model}, request ${meta.requestId}`);
await whatHappened();

console.log('\n2. Fallback across providers: "smart" is primary/gpt-4.1 (down), then anthropic/claude-haiku-4-5');
const fallback = await gateway.chat.completions.create({ model: 'smart', messages: ask('Who answers this?') }).withMeta();
console.log(`  ${fallback.data.choices[0]?.message.content}`);
console.log(`  served by ${fallback.meta.provider}/${fallback.meta.model} after ${fallback.meta.attempts} attempts`);
await whatHappened();

console.log('\n3. A retry after a 429: the server asks for 400 ms (retry-after-ms), the gateway waits that long');
const retried = await gateway.chat.completions.create({ model: 'llama', messages: ask('Are you there?') });
console.log(`  ${retried.choices[0]?.message.content}`);
await whatHappened();

console.log('\n4. A stream, printed as its chunks arrive');
const stream = await gateway.chat.completions.create({ model: 'fast', messages: ask('Name five rivers of Europe.'), stream: true });
process.stdout.write('  ');
for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '');
process.stdout.write('\n');
await whatHappened();

console.log('\n5. Embeddings');
const embeddings = await gateway.embeddings.create({ model: 'embed', input: ['switchyard', 'gateway'], dimensions: 8 });
for (const item of embeddings.data) {
  const vector = item.embedding.slice(0, 4).map((value) => value.toFixed(3));
  console.log(`  #${item.index}: [${vector.join(', ')}, ...] (${item.embedding.length} dimensions)`);
}
await whatHappened();

console.log('\n6. The same question to Claude and Gemini: one shape back, whatever the provider');
for (const model of ['claude', 'gemini']) {
  const answer = await gateway.chat.completions.create({ model, messages: ask('Where do rivers go? One line.'), max_tokens: 200 });
  console.log(`  ${model}: ${answer.choices[0]?.message.content} (finish: ${answer.choices[0]?.finish_reason})`);
  await whatHappened();
}

console.log("\n7. A typo fails at once, with a hint: model 'opnai/gpt-4.1'");
const typo = await gateway.chat.completions.create({ model: 'opnai/gpt-4.1', messages: ask('Hello?') }).then(
  () => undefined,
  (error: unknown) => error,
);
console.log(`  ${typo instanceof UnknownModelError ? `UnknownModelError: ${typo.message}` : String(typo)}`);
await whatHappened();

console.log('\nMore: `pnpm example:routing` (retries, fallback and a circuit breaker opening), docs/routing.md, docs/events.md.');
await Promise.all(mocks.map((server) => server.close()));
