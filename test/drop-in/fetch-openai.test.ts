// gateway.fetch under the `openai` SDK: create, stream, tools, embeddings, errors as the SDK's classes, abort.
import OpenAI, { APIError, APIUserAbortError, BadRequestError, InternalServerError, NotFoundError, PermissionDeniedError, RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { BASE_URL, fetchGateways, flushEvents, until } from './fetch-helpers.js';

const messages = [{ role: 'user' as const, content: 'What is the capital of Norway?' }];
const setup = fetchGateways();

function sdk(fetch: typeof globalThis.fetch) {
  return new OpenAI({ baseURL: BASE_URL, apiKey: 'unused', fetch, maxRetries: 0 });
}

describe('gateway.fetch with the openai SDK', () => {
  it('creates a completion through the route, with the gateway request id as the SDK request id', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ content: 'Oslo.', usage: { input: 7, output: 2 } });
    const client = sdk(gateway.fetch);
    const completion = await client.chat.completions.create({ model: 'smart', messages });
    expect(completion.choices[0]?.message.content).toBe('Oslo.');
    expect(completion.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 2, total_tokens: 9 });
    await flushEvents();
    const [end] = ends();
    expect(end).toMatchObject({ route: 'smart', provider: 'up', model: 'gpt-4.1', outcome: 'success' });
    expect(completion._request_id).toBe(end?.requestId);
    // The provider got the prompt, with the gateway's own key (the caller's 'unused' goes nowhere).
    expect(server.requests[0]?.body).toMatchObject({ model: 'gpt-4.1', messages });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sk-upstream-secret');
  });

  it('streams chunks as the SDK reads SSE, ending on [DONE], with usage only when asked for', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ content: 'Oslo is the capital.' }, { content: 'Oslo is the capital.', usage: { input: 5, output: 4 } });
    const client = sdk(gateway.fetch);

    const plain = await client.chat.completions.create({ model: 'smart', messages, stream: true });
    let text = '';
    let usageChunks = 0;
    for await (const chunk of plain) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usageChunks++;
    }
    expect(text).toBe('Oslo is the capital.');
    expect(usageChunks).toBe(0);

    const withUsage = await client.chat.completions.create({ model: 'smart', messages, stream: true, stream_options: { include_usage: true } });
    const chunks = [];
    for await (const chunk of withUsage) chunks.push(chunk);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 } });
    await flushEvents();
    expect(ends().map((end) => [end.stream, end.outcome])).toEqual([
      [true, 'success'],
      [true, 'success'],
    ]);
  });

  it('passes tools and returns tool calls, whole and streamed', async () => {
    const { server, gateway } = await setup();
    const toolCall = { id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}' };
    server.enqueue({ toolCalls: [toolCall] }, { toolCalls: [toolCall] });
    const client = sdk(gateway.fetch);
    const tools = [{ type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

    const completion = await client.chat.completions.create({ model: 'smart', messages, tools });
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([{ id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Oslo"}' } }]);
    expect(server.requests[0]?.body).toMatchObject({ tools });

    const stream = client.chat.completions.stream({ model: 'smart', messages, tools });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]?.message.tool_calls?.[0]).toMatchObject({ id: 'call_1', function: { name: 'weather', arguments: '{"city":"Oslo"}' } });
  });

  it('serves embeddings, base64 as the SDK asks by default and as floats', async () => {
    const { server, gateway, ends } = await setup();
    const vectors = [
      [0.5, -0.25, 1],
      [0.125, 2, -1],
    ];
    server.enqueue({ kind: 'embeddings', vectors, promptTokens: 4 }, { kind: 'embeddings', vectors: [vectors[0] ?? []], promptTokens: 2 });
    const client = sdk(gateway.fetch);
    const response = await client.embeddings.create({ model: 'up/text-embedding-3-small', input: ['a', 'b'] });
    expect(response.data.map((item) => item.embedding)).toEqual(vectors);
    expect(response.usage).toMatchObject({ prompt_tokens: 4 });
    const floats = await client.embeddings.create({ model: 'up/text-embedding-3-small', input: 'a', encoding_format: 'float' });
    expect(floats.data[0]?.embedding).toEqual(vectors[0]);
    await flushEvents();
    expect(ends().map((end) => [end.operation, end.outcome])).toEqual([
      ['embeddings', 'success'],
      ['embeddings', 'success'],
    ]);
  });

  it('answers gateway refusals with the status the SDK turns into its own error classes', async () => {
    const { server, gateway } = await setup({
      models: { smart: 'up/gpt-4.1', secret: 'up/gpt-4.1' },
      governance: {
        access: { rules: [{ name: 'no-secret', when: { routes: 'secret' }, effect: 'deny' }] },
        limits: [{ name: 'tiny', when: { routes: 'smart' }, requests: { perMinute: 1 } }],
      },
    });
    const client = sdk(gateway.fetch);

    const unknown = await client.chat.completions.create({ model: 'nope', messages }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(NotFoundError);
    expect(unknown).toMatchObject({ status: 404, code: 'model_not_found', type: 'invalid_request_error', param: 'model' });

    const invalid = await client.chat.completions.create({ model: 'smart', messages: [] }).catch((error: unknown) => error);
    expect(invalid).toBeInstanceOf(BadRequestError);
    expect(invalid).toMatchObject({ status: 400, type: 'invalid_request_error', param: 'messages' });

    const denied = await client.chat.completions.create({ model: 'secret', messages }).catch((error: unknown) => error);
    expect(denied).toBeInstanceOf(PermissionDeniedError);
    expect(denied).toMatchObject({ status: 403, code: 'access_denied' });

    await client.chat.completions.create({ model: 'smart', messages });
    const limited = await client.chat.completions.create({ model: 'smart', messages }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect(limited).toMatchObject({ status: 429, code: 'rate_limit_exceeded' });
    const retryAfter = Number((limited as RateLimitError).headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Nothing but the one allowed call reached the provider.
    expect(server.requests).toHaveLength(1);
  });

  it('answers a provider failure with the provider status, and never with the upstream key or the prompt', async () => {
    const { server, gateway } = await setup();
    server.enqueue({ kind: 'error', status: 500, message: 'upstream broke' }, { kind: 'error', status: 429, code: 'rate_limit_exceeded', retryAfter: 3 });
    const client = sdk(gateway.fetch);
    const secretPrompt = [{ role: 'user' as const, content: 'my secret is hunter2' }];

    const broken = await client.chat.completions.create({ model: 'smart', messages: secretPrompt }).catch((error: unknown) => error);
    expect(broken).toBeInstanceOf(InternalServerError);
    expect(broken).toMatchObject({ status: 500, type: 'server_error' });
    expect((broken as APIError).requestID).toMatch(/.+/);

    const limited = await client.chat.completions.create({ model: 'smart', messages: secretPrompt }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(RateLimitError);
    expect((limited as RateLimitError).headers.get('retry-after')).toBe('3');
    expect((limited as RateLimitError).headers.get('retry-after-ms')).toBe('3000');

    for (const error of [broken, limited]) {
      const text = JSON.stringify((error as APIError).error) + (error as APIError).message;
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('sk-upstream-secret');
    }
  });

  it('ends a stream cut by the provider with an SSE error event that the SDK throws', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ content: 'one two three four five', cutAfter: 2 });
    const stream = await sdk(gateway.fetch).chat.completions.create({ model: 'smart', messages, stream: true });
    const seen: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((error: unknown) => error);
    expect(seen.length).toBeGreaterThan(0);
    expect(failure).toBeInstanceOf(APIError);
    expect(failure).toMatchObject({ status: undefined, type: 'server_error', code: 'stream_interrupted' });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'error', error: { code: 'stream_interrupted' } });
  });

  it('aborts a call in flight: the SDK throws its abort error and the provider request is dropped', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ hang: 'headers' });
    const controller = new AbortController();
    const pending = sdk(gateway.fetch).chat.completions.create({ model: 'smart', messages }, { signal: controller.signal }).catch((error: unknown) => error);
    await until(() => server.requests.length === 1, 'the provider to receive the request');
    controller.abort();
    expect(await pending).toBeInstanceOf(APIUserAbortError);
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'aborted' });
    await until(() => server.openConnections === 0, 'the provider connection to close');
  });

  it('aborts a stream mid-way: iteration stops and the request ends as aborted', async () => {
    const { server, gateway, ends } = await setup();
    server.enqueue({ content: 'one two three four five', hangAfter: 2 });
    const controller = new AbortController();
    const stream = await sdk(gateway.fetch).chat.completions.create({ model: 'smart', messages, stream: true }, { signal: controller.signal });
    const seen: string[] = [];
    const outcome = await (async () => {
      for await (const chunk of stream) {
        seen.push(chunk.choices[0]?.delta.content ?? '');
        if (seen.length === 1) controller.abort();
      }
      return 'ended';
    })().catch((error: unknown) => error);
    // openai's Stream ends iteration quietly on a transport AbortError (isTransportAbortError in core/streaming.js).
    expect(outcome).toBe('ended');
    expect(seen).toHaveLength(1);
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'aborted' });
    await until(() => server.openConnections === 0, 'the provider connection to close');
  });
});
