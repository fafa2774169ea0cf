// gateway.wrap(openaiClient): the real `openai` SDK's calls go through the gateway (routes, fallback, events, governance, scope, reload) and everything else passes through.
import { UnknownModelError, type GatewayConfig } from '@switchyard/core';
import OpenAI from 'openai';
import type { Stream } from 'openai/streaming';
import { describe, expect, it } from 'vitest';
import { flushEvents, messages, wrapSetup } from './wrap-openai-setup.js';

const setup = wrapSetup();

describe('gateway.wrap(openai client): chat through the gateway', () => {
  it('is typed and is an instance of OpenAI; a route falls back from a failing provider to a working one, with the events saying so', async () => {
    const { gateway, client, primary, backup, ends } = await setup();
    primary.enqueue({ kind: 'error', status: 503, message: 'overloaded' });
    backup.enqueue({ content: 'hello from backup' });
    const wrapped: OpenAI = gateway.wrap(client);
    expect(wrapped).toBeInstanceOf(OpenAI);
    const completion: OpenAI.Chat.ChatCompletion = await wrapped.chat.completions.create({ model: 'smart', messages });
    expect(completion.choices[0]?.message.content).toBe('hello from backup');
    expect(primary.requests).toHaveLength(1);
    expect(backup.requests).toHaveLength(1);
    expect(backup.requests[0]?.body).toMatchObject({ model: 'gpt-4o-mini' });
    await flushEvents();
    const [end] = ends();
    expect(end).toMatchObject({ route: 'smart', outcome: 'success', provider: 'backup', model: 'gpt-4o-mini', attempts: 2 });
    // The SDK's `_request_id` is the gateway's request id.
    expect((completion as OpenAI.Chat.ChatCompletion & { _request_id?: string | null })._request_id).toBe(end?.requestId);
  });

  it("sends a model name that is no route to the client's own provider, as '<provider>/<model>'", async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'direct' });
    const completion = await gateway.wrap(client).chat.completions.create({ model: 'gpt-4.1-nano', messages });
    expect(completion.choices[0]?.message.content).toBe('direct');
    expect(primary.requests[0]?.body).toMatchObject({ model: 'gpt-4.1-nano' });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ route: 'primary/gpt-4.1-nano', provider: 'primary' });
  });

  it("takes '<provider>/<model>' of a configured provider as it is, and `{ provider }` overrides the client's own", async () => {
    const { gateway, client, backup } = await setup();
    backup.enqueue({ content: 'one' }, { content: 'two' });
    await gateway.wrap(client).chat.completions.create({ model: 'backup/gpt-x', messages });
    await gateway.wrap(client, { provider: 'backup' }).chat.completions.create({ model: 'gpt-y', messages });
    expect(backup.requests.map((request) => (request.body as { model: string }).model)).toEqual(['gpt-x', 'gpt-y']);
  });

  it('rejects a model that is no route on a client no provider is built on, with a typed error saying how to fix it (as the SDK NotFoundError, 404)', async () => {
    const { gateway, primary } = await setup();
    const stranger = new OpenAI({ baseURL: primary.baseURL, apiKey: 'sk-test-stranger-00', maxRetries: 0 });
    const error: unknown = await gateway
      .wrap(stranger)
      .chat.completions.create({ model: 'gpt-4o', messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found', param: 'model' });
    const cause = (error as Error).cause;
    expect(cause).toBeInstanceOf(UnknownModelError);
    expect((cause as Error).message).toMatch(/openai\(\{ client \}\).*\{ provider: '<provider key>' \}/);
    expect(primary.requests).toHaveLength(0);
    // A route still works on such a client.
    primary.enqueue({ content: 'routed' });
    const routed = await gateway.wrap(stranger).chat.completions.create({ model: 'smart', messages });
    expect(routed.choices[0]?.message.content).toBe('routed');
  });

  it('decides the model at call time: a reload changes where an existing wrapped client goes', async () => {
    const { gateway, client, primary, backup, config } = await setup();
    const wrapped = gateway.wrap(client);
    primary.enqueue({ content: 'before' });
    expect((await wrapped.chat.completions.create({ model: 'smart', messages })).choices[0]?.message.content).toBe('before');
    const reloaded: GatewayConfig = config({ models: { smart: 'backup/gpt-4o-mini' } });
    gateway.reload(reloaded);
    backup.enqueue({ content: 'after' });
    expect((await wrapped.chat.completions.create({ model: 'smart', messages })).choices[0]?.message.content).toBe('after');
    // And a name that was a route is no longer one after a reload that drops it: it goes to the client's provider.
    gateway.reload(config({ models: {} }));
    primary.enqueue({ content: 'own provider' });
    await wrapped.chat.completions.create({ model: 'smart', messages });
    expect(primary.requests.at(-1)?.body).toMatchObject({ model: 'smart' });
  });

  it("binds a scope at wrap time: every call carries its principal and tags", async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'scoped' });
    const wrapped = gateway.wrap(client, { scope: { principal: { id: 'ana' }, tags: ['drop-in', 'team-a'] } });
    await wrapped.chat.completions.create({ model: 'smart', messages });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ principal: { id: 'ana' }, tags: expect.arrayContaining(['drop-in', 'team-a']) });
  });

  it('a governance limit that refuses is the SDK RateLimitError, status 429, with the gateway error as its cause', async () => {
    const { gateway, client, primary, config } = await setup();
    gateway.reload(config({ governance: { limits: [{ name: 'one-per-minute', requests: { perMinute: 1 } }] } }));
    primary.enqueue({ content: 'first' });
    const wrapped = gateway.wrap(client);
    await wrapped.chat.completions.create({ model: 'smart', messages });
    const error: unknown = await wrapped.chat.completions.create({ model: 'smart', messages }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.code).toBe('rate_limit_exceeded'); // OpenAI's code; the gateway's is the cause's
    expect(rateLimit.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(rateLimit.cause).toMatchObject({ name: 'RateLimitedError', rule: 'one-per-minute', code: 'rate_limited' });
    expect(rateLimit.requestID).toBe((rateLimit.cause as { requestId?: string }).requestId);
    expect(primary.requests).toHaveLength(1);
  });

  it('embeddings go through the gateway', async () => {
    const { gateway, client, backup, ends } = await setup();
    const response: OpenAI.CreateEmbeddingResponse = await gateway.wrap(client).embeddings.create({ model: 'embed', input: ['a', 'b'] });
    expect(response.data).toHaveLength(2);
    expect(response.data[0]?.embedding.length).toBeGreaterThan(0);
    expect(typeof response.data[0]?.embedding[0]).toBe('number');
    expect(backup.requests[0]?.body).toMatchObject({ model: 'text-embedding-3-small' });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ operation: 'embeddings', route: 'embed', provider: 'backup' });
  });
});

describe('streams', () => {
  it('a text stream is a Stream of ChatCompletionChunks, read once, through the gateway', async () => {
    const { gateway, client, primary, backup, ends } = await setup();
    primary.enqueue({ kind: 'error', status: 503 });
    backup.enqueue({ content: 'one two three' });
    const wrapped: OpenAI = gateway.wrap(client);
    const stream: Stream<OpenAI.Chat.ChatCompletionChunk> = await wrapped.chat.completions.create({ model: 'smart', messages, stream: true });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('one two three');
    expect(() => stream[Symbol.asyncIterator]()).toThrow(OpenAI.OpenAIError);
    await flushEvents();
    expect(ends()[0]).toMatchObject({ stream: true, outcome: 'success', provider: 'backup', attempts: 2 });
  });

  it('streams tool calls', async () => {
    const { gateway, client, primary } = await setup();
    primary.enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const stream = await gateway.wrap(client).chat.completions.create({
      model: 'smart',
      messages,
      stream: true,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    let name = '';
    let args = '';
    let finish: string | null | undefined;
    for await (const chunk of stream) {
      const choice = chunk.choices[0];
      for (const call of choice?.delta.tool_calls ?? []) {
        name += call.function?.name ?? '';
        args += call.function?.arguments ?? '';
      }
      finish = choice?.finish_reason ?? finish;
    }
    expect(name).toBe('get_weather');
    expect(JSON.parse(args)).toEqual({ city: 'Paris' });
    expect(finish).toBe('tool_calls');
  });

  it('tee() gives two readers the same chunks; toReadableStream() is what Stream.fromReadableStream reads back', async () => {
    const { gateway, client, primary } = await setup();
    primary.enqueue({ content: 'a b c' }, { content: 'x y' });
    const wrapped = gateway.wrap(client);
    const [left, right] = (await wrapped.chat.completions.create({ model: 'smart', messages, stream: true })).tee();
    const read = async (stream: AsyncIterable<OpenAI.Chat.ChatCompletionChunk>) => {
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    expect(await Promise.all([read(left), read(right)])).toEqual(['a b c', 'a b c']);
    const { Stream: SdkStream } = await import('openai/streaming');
    const readable = (await wrapped.chat.completions.create({ model: 'smart', messages, stream: true })).toReadableStream();
    expect(await read(SdkStream.fromReadableStream<OpenAI.Chat.ChatCompletionChunk>(readable, new AbortController()))).toBe('x y');
  });

  it('stream.controller.abort() ends the gateway call and the iteration, quietly as the SDK does', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'one two three four five', delayMs: 0 });
    const stream = await gateway.wrap(client).chat.completions.create({ model: 'smart', messages, stream: true });
    const seen: string[] = [];
    for await (const chunk of stream) {
      seen.push(chunk.choices[0]?.delta.content ?? '');
      stream.controller.abort();
    }
    expect(seen).toHaveLength(1);
    await flushEvents();
    expect(ends()[0]?.outcome).toBe('aborted');
  });

  it('breaking out of the loop ends the gateway call as the consumer leaving, and aborts the controller as the SDK does', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'one two three four five' });
    const stream = await gateway.wrap(client).chat.completions.create({ model: 'smart', messages, stream: true });
    for await (const chunk of stream) {
      expect(chunk.object).toBe('chat.completion.chunk');
      break;
    }
    expect(stream.controller.signal.aborted).toBe(true);
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'abandoned', abandoned: 'returned' });
  });
});

describe('the request options', () => {
  it('`signal` aborts the call: the SDK APIUserAbortError, the event aborted', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'late', hang: 'headers' });
    const controller = new AbortController();
    const pending = gateway.wrap(client).chat.completions.create({ model: 'smart', messages }, { signal: controller.signal });
    controller.abort();
    const error: unknown = await pending.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    expect((error as Error).cause).toMatchObject({ code: 'aborted' });
    await flushEvents();
    expect(ends()[0]?.outcome).toBe('aborted');
  });

  it('`signal` on a stream aborts it mid-way', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'one two three four five' });
    const controller = new AbortController();
    const stream = await gateway.wrap(client).chat.completions.create({ model: 'smart', messages, stream: true }, { signal: controller.signal });
    let chunks = 0;
    for await (const _chunk of stream) {
      chunks++;
      controller.abort();
    }
    expect(chunks).toBe(1);
    expect(stream.controller.signal.aborted).toBe(true);
    await flushEvents();
    expect(ends()[0]?.outcome).toBe('aborted');
  });

  it('`timeout` bounds the call: the SDK APIConnectionTimeoutError', async () => {
    const { gateway, client, primary } = await setup();
    primary.enqueue({ content: 'never', hang: 'headers' });
    const error: unknown = await gateway
      .wrap(client)
      .chat.completions.create({ model: 'smart', messages }, { timeout: 50 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect((error as Error).cause).toMatchObject({ code: 'timeout', timeoutMs: 50 });
  });
});

describe('withResponse() and asResponse()', () => {
  it('a completion: the data with a Response whose x-request-id is the gateway request id, and a JSON body', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'with response' }, { content: 'as response' });
    const wrapped = gateway.wrap(client);
    const { data, response, request_id } = await wrapped.chat.completions.create({ model: 'smart', messages }).withResponse();
    expect(data.choices[0]?.message.content).toBe('with response');
    expect(response).toBeInstanceOf(Response);
    await flushEvents();
    expect(request_id).toBe(ends()[0]?.requestId);
    expect(response.headers.get('x-request-id')).toBe(request_id);
    expect(await response.json()).toMatchObject({ object: 'chat.completion', choices: [{ message: { content: 'with response' } }] });
    const raw = await wrapped.chat.completions.create({ model: 'smart', messages }).asResponse();
    expect(raw.status).toBe(200);
    expect(raw.headers.get('content-type')).toBe('application/json');
    expect(await raw.json()).toMatchObject({ choices: [{ message: { content: 'as response' } }] });
  });

  it("a stream's asResponse() is OpenAI's SSE wire format ending `data: [DONE]`, which the SDK reads back", async () => {
    const { gateway, client, primary } = await setup();
    primary.enqueue({ content: 'sse body' }, { content: 'again' });
    const wrapped = gateway.wrap(client);
    const response = await wrapped.chat.completions.create({ model: 'smart', messages, stream: true }).asResponse();
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const body = await response.text();
    const events = body.split('\n\n').filter(Boolean);
    expect(events.at(-1)).toBe('data: [DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.replace(/^data: /, '')) as OpenAI.Chat.ChatCompletionChunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('sse body');
    const { Stream: SdkStream } = await import('openai/streaming');
    const again = await wrapped.chat.completions.create({ model: 'smart', messages, stream: true }).asResponse();
    let text = '';
    for await (const chunk of SdkStream.fromSSEResponse<OpenAI.Chat.ChatCompletionChunk>(again, new AbortController())) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('again');
  });

  it("a stream's withResponse(): the stream to read and the response headers", async () => {
    const { gateway, client, primary } = await setup();
    primary.enqueue({ content: 'headers only' });
    const { data, response, request_id } = await gateway.wrap(client).chat.completions.create({ model: 'smart', messages, stream: true }).withResponse();
    expect(request_id).toMatch(/\S/);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    let text = '';
    for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('headers only');
  });

  it("the gateway's meta stays reachable through withMeta()", async () => {
    const { gateway, client, primary } = await setup();
    primary.enqueue({ kind: 'error', status: 503 });
    const promise = gateway.wrap(client).chat.completions.create({ model: 'smart', messages });
    const { data, meta } = await (promise as typeof promise & { withMeta(): Promise<{ data: OpenAI.Chat.ChatCompletion; meta: { route: string; provider?: string; attempts: number } }> }).withMeta();
    expect(data.object).toBe('chat.completion');
    expect(meta).toMatchObject({ route: 'smart', provider: 'backup', attempts: 2 });
  });
});

describe('passthrough', () => {
  it('what is not a model call reaches the real client untouched: models.list(), files, baseURL, methods', async () => {
    const { gateway, client, primary } = await setup();
    const wrapped = gateway.wrap(client);
    expect(wrapped.baseURL).toBe(client.baseURL);
    expect(wrapped.apiKey).toBe(client.apiKey);
    expect(wrapped.files).toBe(client.files);
    expect(wrapped.models).toBe(client.models);
    expect(wrapped.buildURL('/models', null)).toBe(client.buildURL('/models', null));
    expect(wrapped.chat.completions.messages).toBe(client.chat.completions.messages);
    // A method keeps its identity between reads.
    expect(wrapped.buildURL).toBe(wrapped.buildURL);
    primary.enqueue({ kind: 'raw', body: { object: 'list', data: [{ id: 'gpt-4o', object: 'model', created: 0, owned_by: 'openai' }] } });
    const page = await wrapped.models.list();
    expect(page.data.map((model) => model.id)).toEqual(['gpt-4o']);
    expect(primary.requests[0]).toMatchObject({ method: 'GET', path: '/v1/models' });
  });

  it('withOptions() makes a new client, wrapped too: its calls go through the gateway, its timeout applies', async () => {
    const { gateway, client, primary, ends } = await setup();
    const child = gateway.wrap(client).withOptions({ timeout: 40 });
    expect(child).toBeInstanceOf(OpenAI);
    expect(child).not.toBe(client);
    primary.enqueue({ content: 'child' });
    // A name that is no route goes to the provider of the client it was made from.
    expect((await child.chat.completions.create({ model: 'gpt-4o', messages })).choices[0]?.message.content).toBe('child');
    await flushEvents();
    expect(ends()[0]).toMatchObject({ route: 'primary/gpt-4o' });
    primary.enqueue({ content: 'never', hang: 'headers' });
    await expect(child.chat.completions.create({ model: 'smart', messages })).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
  });
});
