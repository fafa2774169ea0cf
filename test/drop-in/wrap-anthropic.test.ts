// gateway.wrap(new Anthropic()): Anthropic-shaped code through the gateway's routes, fallback, governance and errors, on the real @anthropic-ai/sdk client.
import Anthropic from '@anthropic-ai/sdk';
import { anthropic } from '@switchyard/anthropic';
import { ProviderError, RateLimitedError, createGateway, type ChatCompletionChunk, type GatewayEvent } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { anthropicWireFormat, chunksOf, completionOf, scriptedAdapter, startMockServer, type MockServer } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const apiKey = 'sk-test-0000000000';
let openaiServer: MockServer;
let anthropicServer: MockServer;

beforeAll(async () => {
  openaiServer = await startMockServer();
  anthropicServer = await startMockServer({ format: anthropicWireFormat });
});
afterAll(async () => {
  await openaiServer.close();
  await anthropicServer.close();
});
beforeEach(() => {
  openaiServer.requests.length = 0;
  anthropicServer.requests.length = 0;
});

/** An Anthropic provider over a real client to the Anthropic mock, an OpenAI provider to the OpenAI mock, and a route that falls back from the first to the second. */
function fallbackGateway(events: GatewayEvent[] = []) {
  const claude = new Anthropic({ apiKey, baseURL: anthropicServer.baseURL, maxRetries: 0 });
  const gateway = createGateway({
    providers: {
      anthropic: anthropic({ client: claude }),
      openai: openai({ client: new OpenAI({ apiKey, baseURL: openaiServer.baseURL, maxRetries: 0 }) }),
    },
    models: { smart: { fallback: ['anthropic/claude-sonnet-5', 'openai/gpt-4.1'] } },
    // No retry of the failing target: its failure goes straight to the fallback.
    routing: { retry: { retries: 0 } },
    onEvent: (event) => events.push(event),
  });
  return { gateway, claude };
}

const ask = { model: 'smart', max_tokens: 256, messages: [{ role: 'user' as const, content: 'Hi' }] };

describe('gateway.wrap(anthropicClient)', () => {
  it('is the same client by type and instanceof; a 529 from Anthropic falls back to OpenAI and the answer is an Anthropic Message', async () => {
    const events: GatewayEvent[] = [];
    const { gateway, claude } = fallbackGateway(events);
    const wrapped: Anthropic = gateway.wrap(claude);
    expect(wrapped).toBeInstanceOf(Anthropic);
    anthropicServer.enqueue({ kind: 'error', status: 529, code: 'overloaded_error', message: 'Overloaded' });
    openaiServer.enqueue({ content: 'Hello from OpenAI', usage: { input: 10, output: 4, cached: 6 } });
    const message: Anthropic.Message = await wrapped.messages.create(ask);
    expect(message.type).toBe('message');
    expect(message.role).toBe('assistant');
    expect(message.content).toEqual([{ type: 'text', text: 'Hello from OpenAI', citations: null }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.stop_sequence).toBeNull();
    // OpenAI's prompt_tokens 10 include 6 cached: Anthropic counts them apart.
    expect(message.usage).toMatchObject({ input_tokens: 4, cache_read_input_tokens: 6, cache_creation_input_tokens: 0, output_tokens: 4 });
    expect(anthropicServer.requests).toHaveLength(1);
    expect(openaiServer.requests).toHaveLength(1);
    const end = events.find((event) => event.type === 'request.end');
    expect(end).toMatchObject({ outcome: 'success', provider: 'openai', attempts: 2 });
    expect((message as { _request_id?: unknown })._request_id).toEqual(expect.any(String));
  });

  it('translates the request: system, images, tool history, tools, tool choice, sampling, stop sequences, user id', async () => {
    const { gateway, claude } = fallbackGateway();
    const wrapped = gateway.wrap(claude);
    openaiServer.enqueue({ content: 'ok' });
    await wrapped.messages.create({
      model: 'openai/gpt-4.1',
      max_tokens: 100,
      system: [{ type: 'text', text: 'Be brief.' }],
      // Deprecated by Anthropic (gone from the SDK's types), still sent by code for older models.
      ...{ temperature: 0.2, top_p: 0.9 },
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
      tool_choice: { type: 'any', disable_parallel_tool_use: true },
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'Look' }, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } }, { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }, { type: 'text', text: 'And?' }] },
      ],
    });
    const body = openaiServer.requests[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      model: 'gpt-4.1',
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: ['END'],
      user: 'user-7',
      tool_choice: 'required',
      parallel_tool_calls: false,
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
    });
    expect(body.messages).toEqual([
      { role: 'system', content: [{ type: 'text', text: 'Be brief.' }] },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        ],
      },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: 'Sunny' },
      { role: 'user', content: [{ type: 'text', text: 'And?' }] },
    ]);
  });

  it('thinking budget, top_k and signed thinking in the history reach the Anthropic adapter as Anthropic sends them', async () => {
    const claude = new Anthropic({ apiKey, baseURL: anthropicServer.baseURL, maxRetries: 0 });
    const gateway = createGateway({ providers: { anthropic: anthropic({ client: claude }) } });
    const wrapped = gateway.wrap(claude, { provider: 'anthropic' });
    anthropicServer.enqueue({ content: '4', reasoning: 'two and two' });
    const message = await wrapped.messages.create({
      model: 'claude-sonnet-5',
      max_tokens: 20_000,
      ...{ top_k: 5 },
      thinking: { type: 'enabled', budget_tokens: 10_000 },
      messages: [
        { role: 'user', content: 'Earlier?' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig-1' }, { type: 'text', text: 'Yes.' }] },
        { role: 'user', content: '2+2?' },
      ],
    });
    const body = anthropicServer.requests[0]?.body as Record<string, unknown>;
    // 10 000 tokens asked: the largest effort whose budget fits is medium (8 192).
    expect(body).toMatchObject({ model: 'claude-sonnet-5', max_tokens: 20_000, top_k: 5, thinking: { type: 'enabled', budget_tokens: 8_192 } });
    expect((body.messages as unknown[])[1]).toEqual({ role: 'assistant', content: [{ type: 'thinking', thinking: 'hmm', signature: 'sig-1' }, { type: 'text', text: 'Yes.' }] });
    expect(message.content[0]).toMatchObject({ type: 'thinking', thinking: 'two and two' });
    expect(message.content[1]).toEqual({ type: 'text', text: '4', citations: null });
  });

  it('a tool call comes back as a tool_use block with its parsed input and stop_reason tool_use', async () => {
    const { gateway, claude } = fallbackGateway();
    const wrapped = gateway.wrap(claude);
    openaiServer.enqueue({ toolCalls: [{ id: 'call_9', name: 'get_weather', arguments: '{"city":"Oslo"}' }] });
    const message = await wrapped.messages.create({ ...ask, model: 'openai/gpt-4.1', tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] });
    expect(message.content).toEqual([{ type: 'tool_use', id: 'call_9', name: 'get_weather', input: { city: 'Oslo' }, caller: { type: 'direct' } }]);
    expect(message.stop_reason).toBe('tool_use');
  });

  it('a tool call whose arguments are not JSON is an error, not an input made up', async () => {
    const { gateway, claude } = fallbackGateway();
    openaiServer.enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":' }] });
    const error = await gateway.wrap(claude).messages.create({ ...ask, model: 'openai/gpt-4.1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect((error as Error).message).toMatch(/get_weather.*not valid JSON/);
  });

  it('length and content_filter finish reasons are max_tokens and refusal', async () => {
    const { gateway, claude } = fallbackGateway();
    const wrapped = gateway.wrap(claude);
    openaiServer.enqueue({ content: 'cut', finishReason: 'length' }, { refusal: 'I cannot help with that.', content: '' });
    expect((await wrapped.messages.create({ ...ask, model: 'openai/gpt-4.1' })).stop_reason).toBe('max_tokens');
    const refused = await wrapped.messages.create({ ...ask, model: 'openai/gpt-4.1' });
    expect(refused.stop_reason).toBe('refusal');
    expect(refused.stop_details).toEqual({ type: 'refusal', category: null, explanation: 'I cannot help with that.' });
  });

  it('streams through messages.create({ stream: true }) as Anthropic raw events, after a fallback', async () => {
    const { gateway, claude } = fallbackGateway();
    const wrapped = gateway.wrap(claude);
    anthropicServer.enqueue({ kind: 'error', status: 503, message: 'down' });
    openaiServer.enqueue({ content: 'one two three', usage: { input: 7, output: 3 } });
    const stream = await wrapped.messages.create({ ...ask, stream: true });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      ...events.filter((event) => event.type === 'content_block_delta').map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const text = events.map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : '')).join('');
    expect(text).toBe('one two three');
    expect(events.every((event) => !('index' in event) || event.index === 0)).toBe(true);
    const delta = events.find((event) => event.type === 'message_delta');
    expect(delta).toMatchObject({ delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { input_tokens: 7, output_tokens: 3 } });
  });

  it('messages.stream() runs on the wrapped create: text events, tool use, finalMessage()', async () => {
    const { gateway, claude } = fallbackGateway();
    const wrapped = gateway.wrap(claude);
    openaiServer.enqueue({ content: 'Let me check.', toolCalls: [{ id: 'call_a', name: 'get_weather', arguments: '{"city":"Rome"}' }] });
    const stream = wrapped.messages.stream({ ...ask, model: 'openai/gpt-4.1', tools: [{ name: 'get_weather', input_schema: { type: 'object' } }] });
    const texts: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    const final = await stream.finalMessage();
    expect(texts.join('')).toBe('Let me check.');
    expect(final.content).toEqual([
      { type: 'text', text: 'Let me check.', citations: null },
      { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: 'Rome' }, caller: { type: 'direct' } },
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(anthropicServer.requests).toHaveLength(0);
  });

  it('asResponse() of a stream is Anthropic SSE: event: <type> and data: <json>', async () => {
    const gateway = createGateway({ providers: { s: scriptedAdapter({ stream: () => streamOf(chunksOf(['Hi', ' there'])) }) } });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const response = await wrapped.messages.create({ ...ask, model: 'm', stream: true }).asResponse();
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const text = await response.text();
    const frames = text.split('\n\n').filter((frame) => frame !== '');
    for (const frame of frames) {
      const [eventLine, dataLine] = frame.split('\n');
      const data = JSON.parse((dataLine ?? '').replace(/^data: /, '')) as { type: string };
      expect(eventLine).toBe(`event: ${data.type}`);
    }
    expect(frames.at(-1)).toBe('event: message_stop\ndata: {"type":"message_stop"}');
  });

  it('tee() and toReadableStream() work as on the SDK stream', async () => {
    const gateway = createGateway({ providers: { s: scriptedAdapter({ stream: () => streamOf(chunksOf(['a', 'b'])) }) } });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const [left, right] = (await wrapped.messages.create({ ...ask, model: 'm', stream: true })).tee();
    const types = async (stream: AsyncIterable<{ type: string }>) => {
      const seen: string[] = [];
      for await (const event of stream) seen.push(event.type);
      return seen;
    };
    const [a, b] = await Promise.all([types(left), types(right)]);
    expect(a).toEqual(b);
    expect(a[0]).toBe('message_start');
    const readable = (await wrapped.messages.create({ ...ask, model: 'm', stream: true })).toReadableStream();
    const lines = (await new Response(readable).text()).trim().split('\n');
    expect(lines.map((line) => (JSON.parse(line) as { type: string }).type).at(-1)).toBe('message_stop');
  });

  it('a gateway error mid-stream is thrown as the SDK throws an error event: an APIError with the gateway error as cause', async () => {
    const failure = new ProviderError('provider cut the stream', { provider: 's', model: 'm', retryable: false });
    const gateway = createGateway({
      providers: {
        s: scriptedAdapter({
          stream: async function* () {
            yield* chunksOf(['partial']).slice(0, 1);
            throw failure;
          },
        }),
      },
    });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const stream = await wrapped.messages.create({ ...ask, model: 'm', stream: true });
    const seen: string[] = [];
    const error = await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e: unknown) => e);
    expect(seen).toContain('content_block_delta');
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBeUndefined();
    expect((error as Error).cause).toBeInstanceOf(Error);
    const finalError = await wrapped.messages
      .stream({ ...ask, model: 'm' })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(finalError).toBeInstanceOf(Anthropic.APIError);
  });

  it('limits apply, and a refusal is the SDK RateLimitError with the gateway error as cause', async () => {
    const gateway = createGateway({
      providers: { s: scriptedAdapter({ chat: () => completionOf('ok') }) },
      governance: { limits: [{ name: 'one-per-minute', by: 'principal', requests: { perMinute: 1 } }] },
    });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's', scope: { id: 'tenant-a', principal: { id: 'bot' } } });
    await wrapped.messages.create({ ...ask, model: 'm' });
    const error = await wrapped.messages.create({ ...ask, model: 'm' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).status).toBe(429);
    expect((error as Error).cause).toBeInstanceOf(RateLimitedError);
  });

  it('the scope is bound at wrap time: its principal and model list hold on every call', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const events: GatewayEvent[] = [];
    const gateway = createGateway({ providers: { s: adapter }, onEvent: (event) => events.push(event) });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's', scope: { id: 'team-x', principal: { id: 'svc' }, models: ['s/allowed'] } });
    await wrapped.messages.create({ ...ask, model: 'allowed' });
    const denied = await wrapped.messages.create({ ...ask, model: 'other' }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(adapter.calls).toHaveLength(1);
    const start = events.find((event) => event.type === 'request.start') as { principal?: { id: string } } | undefined;
    expect(start?.principal?.id).toBe('svc');
  });

  it('errors are the SDK classes: 400 naming an untranslatable field, 404 for an unknown model, 529 for a provider outage', async () => {
    const gateway = createGateway({
      providers: {
        s: scriptedAdapter({
          chat: () => {
            throw new ProviderError('overloaded', { provider: 's', model: 'm', status: 529, retryable: false });
          },
        }),
      },
    });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const serverTool = await wrapped.messages
      .create({ ...ask, model: 'm', tools: [{ type: 'web_search_20250305', name: 'web_search' }] })
      .catch((e: unknown) => e);
    expect(serverTool).toBeInstanceOf(Anthropic.BadRequestError);
    expect((serverTool as Error).message).toMatch(/tools\.0\.type/);
    const unknownField = await wrapped.messages.create({ ...ask, model: 'm', workspace_id: 'ws-1' }).catch((e: unknown) => e);
    expect(unknownField).toBeInstanceOf(Anthropic.BadRequestError);
    expect((unknownField as Error).message).toMatch(/'workspace_id'/);
    const outage = await wrapped.messages.create({ ...ask, model: 'm' }).catch((e: unknown) => e);
    expect(outage).toBeInstanceOf(Anthropic.OverloadedError);
    expect((outage as Error).cause).toBeInstanceOf(ProviderError);
    const unwrappedProvider = createGateway({ providers: { s: scriptedAdapter({ chat: () => completionOf('ok') }) } }).wrap(new Anthropic({ apiKey }));
    const unknown = await unwrappedProvider.messages.create({ ...ask, model: 'claude-x' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect((unknown as Error).message).toMatch(/provider/);
  });

  it('an abort through the signal is APIUserAbortError; stream.controller.abort() ends the gateway call', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events: GatewayEvent[] = [];
    const gateway = createGateway({
      providers: {
        s: scriptedAdapter({
          chat: (_request, call) =>
            new Promise((_resolve, reject) => call.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
          stream: async function* () {
            yield* chunksOf(['first']).slice(0, 1);
            await gate;
            yield* chunksOf(['never']);
          },
        }),
      },
      onEvent: (event) => events.push(event),
    });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const controller = new AbortController();
    const pending = wrapped.messages.create({ ...ask, model: 'm' }, { signal: controller.signal }).catch((e: unknown) => e);
    controller.abort();
    expect(await pending).toBeInstanceOf(Anthropic.APIUserAbortError);

    const stream = await wrapped.messages.create({ ...ask, model: 'm', stream: true });
    const seen: string[] = [];
    for await (const event of stream) {
      seen.push(event.type);
      if (event.type === 'content_block_delta') stream.controller.abort();
    }
    release();
    expect(seen.at(-1)).toBe('content_block_delta');
    await gateway.close();
    const ends = events.filter((event) => event.type === 'request.end').map((event) => (event as { outcome: string }).outcome);
    expect(ends).toHaveLength(2);
    expect(ends[1]).not.toBe('success');
  });

  it('everything else passes through to the real client untouched', async () => {
    const { gateway, claude } = fallbackGateway();
    const wrapped = gateway.wrap(claude);
    expect(wrapped.baseURL).toBe(claude.baseURL);
    expect(wrapped.messages.batches).toBe(claude.messages.batches);
    expect(wrapped.models).toBe(claude.models);
    anthropicServer.enqueue({ kind: 'raw', body: JSON.stringify({ input_tokens: 12 }) });
    const counted = await wrapped.messages.countTokens({ model: 'claude-sonnet-5', messages: [{ role: 'user', content: 'Hi' }] });
    expect(counted.input_tokens).toBe(12);
    expect(anthropicServer.requests[0]?.path).toBe('/v1/messages/count_tokens');
    const copy: Anthropic = wrapped.withOptions({ timeout: 1_000 });
    openaiServer.enqueue({ content: 'still the gateway' });
    const message = await copy.messages.create({ ...ask, model: 'openai/gpt-4.1' });
    expect(message.content[0]).toMatchObject({ text: 'still the gateway' });
  });
});

async function* streamOf(chunks: readonly ChatCompletionChunk[]): AsyncGenerator<ChatCompletionChunk> {
  yield* chunks;
}
