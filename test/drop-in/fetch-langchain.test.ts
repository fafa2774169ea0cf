// gateway.fetch under LangChain.js (`@langchain/openai`): invoke, stream, bindTools, withStructuredOutput, OpenAIEmbeddings, errors.
import { ChatOpenAI, OpenAIEmbeddings } from '@langchain/openai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BASE_URL, fetchGateways, flushEvents } from './fetch-helpers.js';

const setup = fetchGateways();

function chat(fetch: typeof globalThis.fetch, model = 'smart') {
  return new ChatOpenAI({ model, apiKey: 'unused', maxRetries: 0, configuration: { baseURL: BASE_URL, fetch } });
}

describe('gateway.fetch with LangChain', () => {
  it('invoke', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ content: 'Oslo.', usage: { input: 6, output: 2 } });
    const message = await chat(gateway.fetch).invoke('Capital of Norway?');
    expect(message.content).toBe('Oslo.');
    expect(message.usage_metadata).toMatchObject({ input_tokens: 6, output_tokens: 2, total_tokens: 8 });
    expect(server.requests[0]?.path).toBe('/v1/chat/completions');
    await flushEvents();
    expect(ends()[0]).toMatchObject({ route: 'smart', outcome: 'success' });
  });

  it('stream', async () => {
    const { server, gateway } = await setup();
    server.enqueue({ content: 'Oslo is the capital.' });
    let text = '';
    for await (const chunk of await chat(gateway.fetch).stream('Capital of Norway?')) text += typeof chunk.content === 'string' ? chunk.content : '';
    expect(text).toBe('Oslo is the capital.');
    expect(server.requests[0]?.body).toMatchObject({ stream: true });
  });

  it('bindTools returns tool calls', async () => {
    const { server, gateway } = await setup();
    server.enqueue({ toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }] });
    const model = chat(gateway.fetch).bindTools([{ type: 'function', function: { name: 'weather', description: 'Weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }]);
    const message = await model.invoke('Weather in Oslo?');
    expect(message.tool_calls).toEqual([{ id: 'call_1', name: 'weather', args: { city: 'Oslo' }, type: 'tool_call' }]);
    expect(server.requests[0]?.body).toMatchObject({ tools: [{ type: 'function', function: { name: 'weather' } }] });
  });

  it('withStructuredOutput parses the JSON-schema answer', async () => {
    const { server, gateway } = await setup();
    server.enqueue({ content: '{"city":"Oslo","population":709000}' });
    const structured = chat(gateway.fetch).withStructuredOutput(z.object({ city: z.string(), population: z.number() }), { name: 'city' });
    expect(await structured.invoke('Largest city of Norway?')).toEqual({ city: 'Oslo', population: 709000 });
    expect(server.requests[0]?.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'city' } } });
  });

  it('OpenAIEmbeddings', async () => {
    const { server, gateway } = await setup();
    server.enqueue({ kind: 'embeddings', vectors: [[0.5, 0.25]] }, { kind: 'embeddings', vectors: [[1, 0], [0, 1]] });
    const embeddings = new OpenAIEmbeddings({ model: 'up/text-embedding-3-small', apiKey: 'unused', maxRetries: 0, configuration: { baseURL: BASE_URL, fetch: gateway.fetch } });
    expect(await embeddings.embedQuery('a')).toEqual([0.5, 0.25]);
    expect(await embeddings.embedDocuments(['a', 'b'])).toEqual([[1, 0], [0, 1]]);
  });

  it('a gateway refusal reaches LangChain as the SDK error with its status', async () => {
    const { gateway } = await setup();
    await expect(chat(gateway.fetch, 'no-such-route').invoke('x')).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
  });
});
