/**
 * `pnpm example:fetch`: `gateway.fetch`, OpenAI's HTTP API served in-process, offline.
 * The `openai` SDK, the AI SDK and LangChain each get `gateway.fetch` as their fetch and a
 * made-up base URL; their calls go through the gateway's route (here a fallback from a
 * failing mock provider to a working one) with no socket between them and the gateway.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { ChatOpenAI } from '@langchain/openai';
import { createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import { generateText, streamText } from 'ai';
import OpenAI from 'openai';

const failing = await startMockServer({ fallback: { kind: 'error', status: 503, message: 'overloaded' } });
const working = await startMockServer({ fallback: { content: 'Oslo is the capital of Norway.' } });

const gateway = createGateway({
  providers: {
    primary: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: failing.baseURL, maxRetries: 0 }) }),
    secondary: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: working.baseURL, maxRetries: 0 }) }),
  },
  models: { smart: { fallback: ['primary/gpt-4.1', 'secondary/gpt-4.1-mini'] } },
  routing: { retry: false },
});
gateway.on('request.end', (e) => console.log(`  [gateway] ${e.requestId.slice(0, 8)} ${e.stream ? 'stream' : 'call  '} ${e.route} -> ${e.provider === undefined ? '(no target)' : `${e.provider}/${e.model}`} after ${e.attempts} attempt(s): ${e.outcome}`));

const baseURL = 'http://switchyard.local/v1';

try {
  // The openai SDK: `maxRetries: 0`, since the gateway already retries and falls back.
  const client = new OpenAI({ baseURL, apiKey: 'unused', fetch: gateway.fetch, maxRetries: 0 });
  const completion = await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'Capital of Norway?' }] });
  console.log(`openai SDK:   ${completion.choices[0]?.message.content} (request id ${completion._request_id?.slice(0, 8)})`);
  let streamed = '';
  for await (const chunk of await client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'Again?' }], stream: true })) streamed += chunk.choices[0]?.delta.content ?? '';
  console.log(`openai SDK:   streamed "${streamed}"`);
  const missing = await client.chat.completions.create({ model: 'no-such-route', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
  if (missing instanceof OpenAI.NotFoundError) console.log(`openai SDK:   ${missing.status} ${missing.code}`);

  // The AI SDK: the chat-completions model (`.chat(id)`); gateway.fetch does not serve the Responses API.
  const provider = createOpenAI({ baseURL, apiKey: 'unused', fetch: gateway.fetch });
  const { text } = await generateText({ model: provider.chat('smart'), prompt: 'Capital of Norway?', maxRetries: 0 });
  console.log(`AI SDK:       ${text}`);
  const result = streamText({ model: provider.chat('smart'), prompt: 'Again?', maxRetries: 0 });
  let aiStreamed = '';
  for await (const delta of result.textStream) aiStreamed += delta;
  console.log(`AI SDK:       streamed "${aiStreamed}"`);

  // LangChain.
  const model = new ChatOpenAI({ model: 'smart', apiKey: 'unused', maxRetries: 0, configuration: { baseURL, fetch: gateway.fetch } });
  const message = await model.invoke('Capital of Norway?');
  console.log(`LangChain:    ${String(message.content)}`);
} finally {
  await gateway.close();
  await Promise.all([failing.close(), working.close()]);
}
