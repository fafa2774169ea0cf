/**
 * `pnpm example:ai-sdk`: the gateway as a Vercel AI SDK provider, offline. Two mock OpenAI
 * servers sit behind a fallback route whose primary is down; `generateText`, `streamText`, a
 * tool over two steps and `embed` all go through the gateway, and `providerMetadata.switchyard`
 * shows who served each call.
 */
import { switchyard } from '@switchyard/ai-sdk';
import { createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import { embed, generateText, stepCountIs, streamText, tool } from 'ai';
import OpenAI from 'openai';
import { z } from 'zod';

const primary = await startMockServer();
const backup = await startMockServer();
primary.setFallback({ kind: 'error', status: 503, message: 'overloaded' });

const gateway = createGateway({
  providers: {
    primary: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: primary.baseURL }) }),
    backup: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: backup.baseURL }) }),
  },
  models: {
    smart: { fallback: ['primary/gpt-4.1', 'backup/gpt-4.1-mini'] },
    vectors: 'backup/text-embedding-3-small',
  },
  routing: { retry: false },
});
const provider = switchyard(gateway, { tags: ['example'] });

// generateText: the primary answers 503, the gateway falls back, the metadata says so.
backup.enqueue({ content: 'Hello from the backup.' });
const hello = await generateText({ model: provider('smart'), prompt: 'Say hello', maxRetries: 0 });
const meta = hello.providerMetadata?.switchyard;
console.log(`generateText: ${hello.text} (served by ${String(meta?.provider)}/${String(meta?.model)} after ${String(meta?.attempts)} attempts)`);

// streamText: text as it arrives, the finish reason and usage at the end.
backup.enqueue({ content: 'one two three' });
const stream = streamText({ model: provider('smart'), prompt: 'Count to three', maxRetries: 0 });
const pieces: string[] = [];
for await (const piece of stream.textStream) pieces.push(piece);
console.log(`streamText: ${JSON.stringify(pieces)} finish=${await stream.finishReason} outputTokens=${String((await stream.usage).outputTokens)}`);

// A tool: the model calls it, the AI SDK runs it, the model answers with its result.
backup.enqueue({ toolCalls: [{ name: 'weather', arguments: '{"city":"Paris"}' }] }, { content: 'It is 18°C in Paris.' });
const withTool = await generateText({
  model: provider('smart'),
  prompt: 'Weather in Paris?',
  tools: { weather: tool({ inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, celsius: 18 }) }) },
  stopWhen: stepCountIs(2),
  maxRetries: 0,
});
console.log(`tool: ${withTool.steps.length} steps, called ${withTool.steps[0]?.toolCalls.map((call) => call.toolName).join(', ')}; answer: ${withTool.text}`);

// embed: through the gateway's embeddings route.
const vector = await embed({ model: provider.embeddingModel('vectors'), value: 'hello', maxRetries: 0 });
console.log(`embed: ${vector.embedding.length} dimensions, ${vector.usage.tokens} tokens (served by ${String(vector.providerMetadata?.switchyard?.provider)})`);

await Promise.all([primary.close(), backup.close()]);
