// gateway.fetch under the AI SDK (`ai` with `@ai-sdk/openai`'s chat-completions model): text, streams, tools, structured output, embeddings, errors, abort, fallback.
import OpenAI from 'openai';
import { createOpenAI } from '@ai-sdk/openai';
import { APICallError, embed, embedMany, generateText, Output, stepCountIs, streamText, tool } from 'ai';
import { openai } from '@switchyard/openai';
import { startMockServer } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { BASE_URL, fetchGateways, flushEvents, until } from './fetch-helpers.js';

const setup = fetchGateways();

function provider(fetch: typeof globalThis.fetch) {
  return createOpenAI({ baseURL: BASE_URL, apiKey: 'unused', fetch });
}

describe('gateway.fetch with the AI SDK', () => {
  it('generateText through a route', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ content: 'Oslo.', usage: { input: 6, output: 2 } });
    const result = await generateText({ model: provider(gateway.fetch).chat('smart'), prompt: 'Capital of Norway?' });
    expect(result.text).toBe('Oslo.');
    expect(result.usage).toMatchObject({ inputTokens: 6, outputTokens: 2 });
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'Capital of Norway?' }] });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ route: 'smart', outcome: 'success' });
  });

  it('streamText reads the SSE stream to the end, usage included', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ content: 'Oslo is the capital.', usage: { input: 5, output: 4 } });
    const result = streamText({ model: provider(gateway.fetch).chat('smart'), prompt: 'Capital of Norway?' });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('Oslo is the capital.');
    expect(await result.usage).toMatchObject({ inputTokens: 5, outputTokens: 4 });
    // The AI SDK asks for usage in the stream.
    expect(server.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ stream: true, outcome: 'success', usage: { inputTokens: 5, outputTokens: 4 } });
  });

  it('calls tools and sends their results back', async () => {
    const { server, gateway } = await setup();
    server.enqueue({ toolCalls: [{ id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' }] }, { content: 'It is 3 degrees in Oslo.' });
    const result = await generateText({
      model: provider(gateway.fetch).chat('smart'),
      prompt: 'Weather in Oslo?',
      tools: { weather: tool({ description: 'Weather in a city', inputSchema: z.object({ city: z.string() }), execute: async ({ city }) => ({ city, celsius: 3 }) }) },
      stopWhen: stepCountIs(2),
    });
    expect(result.text).toBe('It is 3 degrees in Oslo.');
    expect(result.steps[0]?.toolCalls).toMatchObject([{ toolName: 'weather', input: { city: 'Oslo' } }]);
    expect(server.requests[1]?.body).toMatchObject({ messages: expect.arrayContaining([{ role: 'tool', tool_call_id: 'call_1', content: JSON.stringify({ city: 'Oslo', celsius: 3 }) }]) as unknown });
  });

  it('structured output (generateText with Output.object) sends a JSON schema and parses the answer', async () => {
    const { server, gateway } = await setup();
    server.enqueue({ content: '{"city":"Oslo","population":709000}' });
    const result = await generateText({
      model: provider(gateway.fetch).chat('smart'),
      prompt: 'Largest city of Norway?',
      output: Output.object({ schema: z.object({ city: z.string(), population: z.number() }) }),
    });
    expect(result.output).toEqual({ city: 'Oslo', population: 709000 });
    expect(server.requests[0]?.body).toMatchObject({ response_format: { type: 'json_schema' } });
  });

  it('embed and embedMany', async () => {
    const { server, gateway } = await setup();
    server.enqueue({ kind: 'embeddings', vectors: [[0.5, 0.25]] }, { kind: 'embeddings', vectors: [[1, 0], [0, 1]] });
    const model = provider(gateway.fetch).embedding('up/text-embedding-3-small');
    expect((await embed({ model, value: 'a' })).embedding).toEqual([0.5, 0.25]);
    expect((await embedMany({ model, values: ['a', 'b'] })).embeddings).toEqual([[1, 0], [0, 1]]);
  });

  it('a gateway refusal is an APICallError with its status, not retried when retrying cannot help', async () => {
    const { gateway, server } = await setup();
    const failure = await generateText({ model: provider(gateway.fetch).chat('no-such-route'), prompt: 'x' }).catch((error: unknown) => error);
    expect(APICallError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ statusCode: 404, isRetryable: false });
    expect(server.requests).toHaveLength(0);
  });

  it('falls back from a failing provider to a working one, invisibly to the AI SDK', async () => {
    const failing = await startMockServer({ fallback: { kind: 'error', status: 503, message: 'overloaded' } });
    try {
      const { server, gateway, ends } = await setup({
        providers: { down: openai({ client: new OpenAI({ apiKey: 'sk-a', baseURL: failing.baseURL, maxRetries: 0 }) }) },
        models: { resilient: { fallback: ['down/gpt-4.1', 'up/gpt-4.1'] } },
      });
      server.enqueue({ content: 'Served by the second.' });
      const result = await generateText({ model: provider(gateway.fetch).chat('resilient'), prompt: 'x', maxRetries: 0 });
      expect(result.text).toBe('Served by the second.');
      expect([failing.requests.length, server.requests.length]).toEqual([1, 1]);
      await flushEvents();
      expect(ends()[0]).toMatchObject({ route: 'resilient', provider: 'up', attempts: 2, outcome: 'success' });
    } finally {
      await failing.close();
    }
  });

  it('aborting generateText and streamText rejects with the abort and ends the request as aborted', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ hang: 'headers' }, { content: 'one two three four', hangAfter: 2 });
    const model = provider(gateway.fetch).chat('smart');

    const controller = new AbortController();
    const pending = generateText({ model, prompt: 'x', abortSignal: controller.signal, maxRetries: 0 }).catch((error: unknown) => error);
    await until(() => server.requests.length === 1, 'the provider to receive the request');
    controller.abort();
    expect(await pending).toMatchObject({ name: 'AbortError' });

    const streamController = new AbortController();
    const result = streamText({ model, prompt: 'x', abortSignal: streamController.signal, maxRetries: 0 });
    let text = '';
    for await (const delta of result.textStream) {
      text += delta;
      streamController.abort();
    }
    expect(text).toBe('one ');
    await flushEvents();
    expect(ends().map((end) => end.outcome)).toEqual(['aborted', 'aborted']);
  });
});
