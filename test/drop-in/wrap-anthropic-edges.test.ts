// gateway.wrap(new Anthropic()) at its edges: failed calls read only through withResponse()/asResponse(), the SDK's output-format helpers, withOptions() copies, and the caller's signal listener.
import { getEventListeners } from 'node:events';
import Anthropic from '@anthropic-ai/sdk';
import { jsonSchemaOutputFormat } from '@anthropic-ai/sdk/helpers/json-schema';
import { zodOutputFormat } from '@anthropic-ai/sdk/helpers/zod';
import { anthropic } from '@switchyard/anthropic';
import { ProviderError, TimeoutError, createGateway, type ChatCompletionChunk } from '@switchyard/core';
import { anthropicWireFormat, chunksOf, completionOf, scriptedAdapter, startMockServer, type MockServer } from '@switchyard/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const apiKey = 'sk-test-0000000000';
const ask = { model: 'm', max_tokens: 64, messages: [{ role: 'user' as const, content: 'Hi' }] };

/** Rejections nobody handled, as Node reports them (it would end the process on the first one). */
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** Node reports an unhandled rejection once the microtasks of the turn that made it have run: a macrotask later, every one made so far has been reported. */
async function unhandledSoFar(): Promise<unknown[]> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return [...unhandled];
}

function failingGateway() {
  const failure = () => new ProviderError('bad request upstream', { provider: 's', model: 'm', status: 400, retryable: false });
  return createGateway({
    providers: {
      s: scriptedAdapter({
        chat: () => {
          throw failure();
        },
        stream: () => {
          throw failure();
        },
      }),
    },
    routing: { retry: { retries: 0 } },
  });
}

describe('a failed call read only through withResponse() or asResponse()', () => {
  it('leaves no unhandled rejection: refused before the gateway, failed by the provider, streaming or not', async () => {
    const wrapped = failingGateway().wrap(new Anthropic({ apiKey }), { provider: 's' });
    // `workspace_id` cannot be translated: refused before any gateway call.
    const refused = { ...ask, workspace_id: 'ws-1' };
    const errors = [
      await wrapped.messages.create(refused).withResponse().catch((e: unknown) => e),
      await wrapped.messages.create(refused).asResponse().catch((e: unknown) => e),
      await wrapped.messages.create(ask).withResponse().catch((e: unknown) => e),
      await wrapped.messages.create(ask).asResponse().catch((e: unknown) => e),
      await wrapped.messages.create({ ...ask, stream: true }).withResponse().catch((e: unknown) => e),
      await wrapped.messages.create({ ...ask, stream: true }).asResponse().catch((e: unknown) => e),
    ];
    for (const error of errors) expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    expect(await unhandledSoFar()).toEqual([]);
  });

  it('messages.stream() (which reads create(...).withResponse()) rejects finalMessage() and leaves no unhandled rejection', async () => {
    const wrapped = failingGateway().wrap(new Anthropic({ apiKey }), { provider: 's' });
    const refused = await wrapped.messages
      .stream({ ...ask, messages: [{ role: 'user', content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }] }] })
      .finalMessage()
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Anthropic.BadRequestError);
    const failed = await wrapped.messages
      .stream(ask)
      .finalMessage()
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(Anthropic.BadRequestError);
    expect((failed as Error).cause).toBeInstanceOf(ProviderError);
    expect(await unhandledSoFar()).toEqual([]);
  });

  it('a good call still answers through then(), withResponse() and asResponse() of one promise', async () => {
    const gateway = createGateway({ providers: { s: scriptedAdapter({ chat: () => completionOf('hello') }) } });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const promise = wrapped.messages.create(ask);
    const [message, { data, response, request_id }, raw] = await Promise.all([promise, promise.withResponse(), promise.asResponse()]);
    expect(message.content).toEqual([{ type: 'text', text: 'hello', citations: null }]);
    expect(data).toBe(message);
    expect(request_id).toBe(message._request_id);
    expect(response.headers.get('request-id')).toBe(request_id);
    expect(((await raw.json()) as { content: unknown }).content).toEqual(message.content);
  });
});

describe("the SDK's output-format helpers", () => {
  it('messages.parse() with zodOutputFormat() sends the JSON schema and gives parsed_output as the SDK parses it', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('{"answer":4}') });
    const wrapped = createGateway({ providers: { s: adapter } }).wrap(new Anthropic({ apiKey }), { provider: 's' });
    const format = zodOutputFormat(z.object({ answer: z.number() }));
    const message = await wrapped.messages.parse({ ...ask, output_config: { format } });
    expect(message.parsed_output).toEqual({ answer: 4 });
    const [block] = message.content;
    expect(block?.type === 'text' ? block.parsed_output : undefined).toEqual({ answer: 4 });
    expect((adapter.calls[0]?.params as { response_format?: unknown }).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: format.schema, strict: true },
    });
  });

  it("a zod schema the answer does not meet fails parse() with the SDK's AnthropicError", async () => {
    const wrapped = createGateway({ providers: { s: scriptedAdapter({ chat: () => completionOf('{"answer":"four"}') }) } }).wrap(new Anthropic({ apiKey }), { provider: 's' });
    const error = await wrapped.messages.parse({ ...ask, output_config: { format: zodOutputFormat(z.object({ answer: z.number() })) } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AnthropicError);
    expect((error as Error).message).toMatch(/Failed to parse structured output/);
  });

  it('messages.stream() with jsonSchemaOutputFormat() gives parsed_output on finalMessage()', async () => {
    const gateway = createGateway({ providers: { s: scriptedAdapter({ stream: () => streamOf(chunksOf(['{"answer"', ':4}'])) }) } });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const format = jsonSchemaOutputFormat({ type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false } as const);
    const final = await wrapped.messages.stream({ ...ask, output_config: { format } }).finalMessage();
    expect(final.parsed_output).toEqual({ answer: 4 });
  });
});

describe('withOptions() on a wrapped client', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ format: anthropicWireFormat });
  });
  afterAll(async () => {
    await server.close();
  });

  it("sends a model name that is no route to the provider built on the parent client, as the parent does", async () => {
    const claude = new Anthropic({ apiKey, baseURL: server.baseURL, maxRetries: 0 });
    const wrapped = createGateway({ providers: { anthropic: anthropic({ client: claude }) } }).wrap(claude);
    server.enqueue({ content: 'from the copy' });
    const copy = wrapped.withOptions({ timeout: 5_000 });
    const message = await copy.messages.create({ ...ask, model: 'claude-sonnet-5' });
    expect(message.content[0]).toMatchObject({ type: 'text', text: 'from the copy' });
    server.enqueue({ content: 'from the copy of the copy' });
    const deeper = await copy.withOptions({ maxRetries: 0 }).messages.create({ ...ask, model: 'claude-sonnet-5' });
    expect(deeper.content[0]).toMatchObject({ text: 'from the copy of the copy' });
    expect(server.requests.map((request) => (request.body as { model?: unknown }).model)).toEqual(['claude-sonnet-5', 'claude-sonnet-5']);
  });

  it("its timeout is the calls' default timeout; a request's own timeout wins", async () => {
    const gateway = createGateway({
      providers: {
        s: scriptedAdapter({
          // Answers only when the gateway ends the call: the timeout is what ends it.
          chat: (_request, call) => new Promise((_resolve, reject) => call.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true })),
        }),
      },
      routing: { retry: { retries: 0 } },
    });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const timedOut = await wrapped.withOptions({ timeout: 30 }).messages.create(ask).catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
    expect((timedOut as Error).cause).toBeInstanceOf(TimeoutError);
    expect(((timedOut as Error).cause as TimeoutError).timeoutMs).toBe(30);
    const ownTimeout = await wrapped.withOptions({ timeout: 60_000 }).messages.create(ask, { timeout: 20 }).catch((e: unknown) => e);
    expect(((ownTimeout as Error).cause as TimeoutError).timeoutMs).toBe(20);
    // A copy of a copy keeps the first copy's timeout unless it sets its own.
    const inherited = await wrapped.withOptions({ timeout: 25 }).withOptions({ maxRetries: 1 }).messages.create(ask).catch((e: unknown) => e);
    expect(((inherited as Error).cause as TimeoutError).timeoutMs).toBe(25);
  });
});

describe("the caller's signal", () => {
  it('loses the wrapper\'s abort listener when the call ends: a plain call, a stream read to its end, a stream ended by its controller unread', async () => {
    const gateway = createGateway({
      providers: { s: scriptedAdapter({ chat: () => completionOf('ok'), stream: () => streamOf(chunksOf(['a', 'b'])) }) },
    });
    const wrapped = gateway.wrap(new Anthropic({ apiKey }), { provider: 's' });
    const signal = new AbortController().signal;
    await wrapped.messages.create(ask, { signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);

    const read = await wrapped.messages.create({ ...ask, stream: true }, { signal });
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    for await (const event of read) expect(event.type).toEqual(expect.any(String));
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);

    const { data: unread, response } = await wrapped.messages.create({ ...ask, stream: true }, { signal }).withResponse();
    expect(getEventListeners(signal, 'abort')).toHaveLength(1);
    expect(response.headers.get('request-id')).toEqual(expect.any(String));
    // Never iterated: the abort ends the gateway call, and with it goes the listener.
    unread.controller.abort();
    await expect.poll(() => getEventListeners(signal, 'abort')).toHaveLength(0);
  });
});

async function* streamOf(chunks: readonly ChatCompletionChunk[]): AsyncGenerator<ChatCompletionChunk> {
  yield* chunks;
}
