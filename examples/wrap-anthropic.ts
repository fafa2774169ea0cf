/**
 * `pnpm example:wrap-anthropic`: Anthropic-style code (`@anthropic-ai/sdk`), one
 * `gateway.wrap()` line, offline. The route's Anthropic target (a mock) is overloaded (529),
 * so the call falls back to an OpenAI model (another mock), and the code still gets an
 * Anthropic `Message`, a stream of Anthropic events, and `messages.stream()`'s helpers.
 */
import Anthropic from '@anthropic-ai/sdk';
import { anthropic } from '@switchyard/anthropic';
import { createGateway } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, startMockServer } from '@switchyard/testing';
import OpenAI from 'openai';

const anthropicMock = await startMockServer({ format: anthropicWireFormat });
const openaiMock = await startMockServer();
anthropicMock.setFallback({ kind: 'error', status: 529, code: 'overloaded_error', message: 'Overloaded' });
openaiMock.setFallback({ content: 'Hello from the OpenAI fallback.' });

const claude = new Anthropic({ apiKey: 'sk-ant-mock', baseURL: anthropicMock.baseURL });
const gateway = createGateway({
  providers: {
    anthropic: anthropic({ client: claude }),
    openai: openai({ client: new OpenAI({ apiKey: 'sk-mock', baseURL: openaiMock.baseURL }) }),
  },
  models: { smart: { fallback: ['anthropic/claude-sonnet-5', 'openai/gpt-4.1'] } },
  routing: { retry: false },
});

// The one line: the same client, typed as it is, its model calls through the gateway.
const client: Anthropic = gateway.wrap(claude);

const message: Anthropic.Message = await client.messages.create({
  model: 'smart',
  max_tokens: 256,
  messages: [{ role: 'user', content: 'Say hello.' }],
});
console.log('create:', message.content[0]?.type === 'text' ? message.content[0].text : '', `(stop_reason ${message.stop_reason})`);

const events: string[] = [];
for await (const event of await client.messages.create({ model: 'smart', max_tokens: 256, stream: true, messages: [{ role: 'user', content: 'Again.' }] })) {
  events.push(event.type);
}
console.log('stream events:', [...new Set(events)].join(', '));

const streamed = client.messages.stream({ model: 'smart', max_tokens: 256, messages: [{ role: 'user', content: 'Once more.' }] });
const final = await streamed.finalMessage();
console.log('messages.stream() final text:', final.content[0]?.type === 'text' ? final.content[0].text : '');
console.log('calls: anthropic mock', anthropicMock.requests.length, '/ openai mock', openaiMock.requests.length);

await anthropicMock.close();
await openaiMock.close();
