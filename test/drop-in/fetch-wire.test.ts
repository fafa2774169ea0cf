// gateway.fetch on the wire, read with plain fetch semantics: paths, methods, bodies, SSE framing, pulling, cancelling, aborting, headers.
import { createGateway, GuardrailBlockedError, type ChatCompletionChunk, type GatewayEvent, type Middleware, type RequestEndEvent } from '@switchyard/core';
import type { CallContext } from '@switchyard/core/adapter';
import { chunksOf, completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { BASE_URL, fetchGateways, flushEvents, until } from './fetch-helpers.js';

const messages = [{ role: 'user' as const, content: 'hi' }];
const chatURL = `${BASE_URL}/chat/completions`;
const post = (body: unknown, init: RequestInit = {}): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...init });

/** Rejects when the call's signal aborts, as an SDK does. */
function untilAborted(call: CallContext): Promise<never> {
  return new Promise((_, reject) => {
    const abort = () => reject(Object.assign(new Error('This operation was aborted'), { name: 'AbortError' }));
    if (call.signal?.aborted) abort();
    call.signal?.addEventListener('abort', abort, { once: true });
  });
}

/**
 * A gateway over a scripted provider `p` whose stream yields `pieces` and counts how many
 * chunks it has produced; `failAfter` cuts it with an error after that many.
 */
function setup(options: { pieces?: string[]; failAfter?: number; chat?: (call: CallContext) => Promise<ReturnType<typeof completionOf>>; middleware?: Middleware[] } = {}) {
  const events: GatewayEvent[] = [];
  const produced = { count: 0, released: false };
  const chunks = chunksOf(options.pieces ?? ['a', 'b', 'c']);
  const adapter = scriptedAdapter({
    chat: (_request, call) => (options.chat ? options.chat(call) : completionOf('Hello.')),
    stream: async function* (): AsyncGenerator<ChatCompletionChunk> {
      try {
        for (const chunk of chunks) {
          if (produced.count === options.failAfter) throw new Error('connection reset');
          produced.count++;
          yield chunk;
        }
      } finally {
        produced.released = true;
      }
    },
    embed: () => ({ object: 'list', data: [{ object: 'embedding', index: 0, embedding: [0.5, 1] }], model: 'e', usage: { prompt_tokens: 1, total_tokens: 1 } }),
  });
  const gateway = createGateway({ providers: { p: adapter }, models: { smart: 'p/m' }, routing: { retry: false }, onEvent: (event) => void events.push(event), middleware: options.middleware ?? [] });
  const ends = () => events.filter((event): event is RequestEndEvent => event.type === 'request.end');
  return { gateway, produced, ends, chunks };
}

const decoder = new TextDecoder();
const mockGateway = fetchGateways();

describe('gateway.fetch on the wire', () => {
  it('answers JSON with content-type and the gateway request id', async () => {
    const { gateway, ends } = setup();
    const response = await gateway.fetch(chatURL, post({ model: 'smart', messages }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(completionOf('Hello.'));
    await flushEvents();
    expect(response.headers.get('x-request-id')).toBe(ends()[0]?.requestId);
  });

  it('serves any path ending in /chat/completions or /embeddings, whatever the host and prefix', async () => {
    const { gateway } = setup();
    for (const url of ['http://switchyard.local/v1/chat/completions', 'https://example.com/openai/deployments/x/chat/completions?api-version=1', 'http://localhost/chat/completions']) {
      expect((await gateway.fetch(url, post({ model: 'smart', messages }))).status).toBe(200);
    }
    const embeddings = await gateway.fetch(new URL('http://switchyard.local/v1/embeddings'), post({ model: 'p/e', input: 'x' }));
    expect(embeddings.status).toBe(200);
    expect(await embeddings.json()).toMatchObject({ data: [{ embedding: [0.5, 1] }] });
  });

  it('answers another path 404 and another method 405 with Allow, as OpenAI error objects', async () => {
    const { gateway, ends } = setup();
    const missing = await gateway.fetch(`${BASE_URL}/responses`, post({ model: 'smart', input: 'hi' }));
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { message: expect.stringContaining('POST /v1/responses') as string, type: 'invalid_request_error', param: null, code: null } });
    const trailing = await gateway.fetch(`${chatURL}/`, post({ model: 'smart', messages }));
    expect(trailing.status).toBe(404);

    const get = await gateway.fetch(chatURL);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } });
    // A lower-case method is normalised, as fetch does.
    expect((await gateway.fetch(chatURL, post({ model: 'smart', messages }, { method: 'post' }))).status).toBe(200);
    await flushEvents();
    expect(ends().length).toBe(1);
  });

  it('answers a body that is not JSON with 400 invalid_request_error, quoting none of it', async () => {
    const { gateway, ends } = setup();
    for (const body of ['{"model": "smart", "messages": [secret', '', undefined]) {
      const response = await gateway.fetch(chatURL, { method: 'POST', body });
      expect(response.status).toBe(400);
      const text = await response.text();
      expect(JSON.parse(text)).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } });
      expect(text).not.toContain('secret');
    }
    // JSON that is not an object is the gateway's to refuse.
    const array = await gateway.fetch(chatURL, { method: 'POST', body: '[1, 2]' });
    expect(array.status).toBe(400);
    await flushEvents();
    expect(ends().map((end) => end.outcome)).toEqual(['error']);
  });

  it('reads a Request (its URL, method, body and signal), and other body types', async () => {
    const { gateway } = setup();
    const request = new Request(chatURL, post({ model: 'smart', messages }));
    expect(await (await gateway.fetch(request)).json()).toMatchObject({ object: 'chat.completion' });
    const bytes = new TextEncoder().encode(JSON.stringify({ model: 'smart', messages }));
    expect((await gateway.fetch(chatURL, { method: 'POST', body: bytes })).status).toBe(200);
    expect((await gateway.fetch(chatURL, { method: 'POST', body: new Blob([bytes]) })).status).toBe(200);
  });

  it('rejects a URL that does not parse with a TypeError, as fetch does', async () => {
    const { gateway } = setup();
    await expect(gateway.fetch('/v1/chat/completions', post({ model: 'smart', messages }))).rejects.toBeInstanceOf(TypeError);
  });

  it('streams SSE: one data event per chunk, then data: [DONE]', async () => {
    const { gateway, chunks, ends } = setup();
    const response = await gateway.fetch(chatURL, post({ model: 'smart', messages, stream: true, stream_options: { include_usage: true } }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const text = await response.text();
    expect(text).toBe(chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n');
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'success', stream: true, requestId: response.headers.get('x-request-id') });
  });

  it('reads the next gateway chunk only when the body is pulled', async () => {
    const { gateway, produced } = setup({ pieces: ['a', 'b', 'c', 'd', 'e'] });
    const response = await gateway.fetch(chatURL, post({ model: 'smart', messages, stream: true }));
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    await flushEvents();
    // The gateway answers once the first chunk is there; nothing more is read ahead.
    expect(produced.count).toBe(1);
    const first = await reader.read();
    expect(decoder.decode(first.value)).toContain('"content":"a"');
    await flushEvents();
    expect(produced.count).toBe(1);
    await reader.read();
    await flushEvents();
    expect(produced.count).toBe(2);
    await reader.cancel();
  });

  it('cancelling the body abandons the gateway stream and releases the provider stream', async () => {
    const { gateway, produced, ends } = setup({ pieces: ['a', 'b', 'c', 'd', 'e'] });
    const response = await gateway.fetch(chatURL, post({ model: 'smart', messages, stream: true }));
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    await reader.read();
    await reader.cancel();
    await until(() => produced.released, 'the provider stream to be released');
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'abandoned', abandoned: 'returned' });
    expect(produced.count).toBeLessThan(5);
  });

  it('ends a stream that fails mid-way with an SSE error event and no [DONE]', async () => {
    const { gateway, chunks, ends } = setup({ failAfter: 2 });
    const response = await gateway.fetch(chatURL, post({ model: 'smart', messages, stream: true }));
    const text = await response.text();
    const events = text.split('\n\n').filter((event) => event !== '');
    expect(events.slice(0, 2)).toEqual(chunks.slice(0, 2).map((chunk) => `data: ${JSON.stringify(chunk)}`));
    expect(events).toHaveLength(3);
    const last = JSON.parse((events[2] ?? '').replace(/^data: /, '')) as unknown;
    expect(last).toEqual({ error: { message: expect.stringContaining('interrupted after 2 chunk(s)') as string, type: 'server_error', param: null, code: 'stream_interrupted' } });
    expect(text).not.toContain('[DONE]');
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'error' });
  });

  it('sends a guardrail that blocks the answer mid-stream as an error event with its code', async () => {
    const blockAfterFirst: Middleware = {
      name: 'block',
      request: async (_ctx, next) => {
        const result = await next();
        if (result.kind !== 'stream') return result;
        const inner = result.stream;
        return {
          ...result,
          stream: (async function* () {
            let seen = 0;
            for await (const chunk of inner) {
              if (seen++ === 1) throw new GuardrailBlockedError('pii', 'output', ['email']);
              yield chunk;
            }
          })(),
        };
      },
    };
    const { gateway } = setup({ middleware: [blockAfterFirst] });
    const text = await (await gateway.fetch(chatURL, post({ model: 'smart', messages, stream: true }))).text();
    expect(text).toMatch(/data: {"error":{"message":"Guardrail 'pii' blocked the answer[^"]*","type":"invalid_request_error","param":null,"code":"content_policy_violation"}}\n\n$/);
  });

  it('rejects with the AbortError DOMException when the signal is aborted before or during the call', async () => {
    let started = 0;
    const { gateway, ends } = setup({
      chat: (call) => {
        started++;
        return untilAborted(call);
      },
    });
    const already = AbortSignal.abort();
    const before = await gateway.fetch(chatURL, post({ model: 'smart', messages }, { signal: already })).catch((error: unknown) => error);
    expect(before).toBeInstanceOf(DOMException);
    expect(before).toMatchObject({ name: 'AbortError' });

    const controller = new AbortController();
    const pending = gateway.fetch(chatURL, post({ model: 'smart', messages }, { signal: controller.signal })).catch((error: unknown) => error);
    await until(() => started === 1, 'the first call to start');
    controller.abort();
    const during = await pending;
    expect(during).toBe(controller.signal.reason);
    expect(during).toMatchObject({ name: 'AbortError' });

    const withReason = new AbortController();
    const custom = new Error('user left');
    const third = gateway.fetch(new Request(chatURL, post({ model: 'smart', messages }, { signal: withReason.signal }))).catch((error: unknown) => error);
    await until(() => started === 2, 'the second call to start');
    withReason.abort(custom);
    expect(await third).toBe(custom);
    await flushEvents();
    // The one that was aborted before it started made no call.
    expect(ends().map((end) => end.outcome)).toEqual(['aborted', 'aborted']);
  });

  it('errors the body with the AbortError when aborted mid-stream while a read waits, and the request ends as aborted', async () => {
    // The openai adapter over a mock server that stalls after two events: the read waits on the provider when the signal fires.
    const { server, gateway, ends } = await mockGateway();
    server.enqueue({ content: 'one two three four', hangAfter: 2 });
    const controller = new AbortController();
    const response = await gateway.fetch(chatURL, post({ model: 'smart', messages, stream: true }, { signal: controller.signal }));
    const reader = response.body?.getReader();
    if (!reader) throw new Error('no body');
    await reader.read();
    await reader.read();
    const waiting = reader.read().catch((error: unknown) => error);
    await flushEvents();
    controller.abort();
    const failure = await waiting;
    expect(failure).toBeInstanceOf(DOMException);
    expect(failure).toMatchObject({ name: 'AbortError' });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'aborted' });
    await until(() => server.openConnections === 0, 'the provider connection to close');
  });

  it('errors an unread body at once when aborted, as a real fetch does', async () => {
    const { gateway, ends } = setup({ pieces: ['a', 'b', 'c'] });
    const controller = new AbortController();
    const response = await gateway.fetch(chatURL, post({ model: 'smart', messages, stream: true }, { signal: controller.signal }));
    controller.abort();
    await expect(response.text()).rejects.toMatchObject({ name: 'AbortError' });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ outcome: 'aborted' });
  });

  it('passes the body user field on to the provider as the gateway does, and reads no request header', async () => {
    const seen: Array<{ principal: unknown; tags: unknown; metadata: unknown }> = [];
    const spy: Middleware = {
      name: 'spy',
      request: (ctx, next) => {
        seen.push({ principal: ctx.principal, tags: ctx.tags, metadata: ctx.metadata });
        return next();
      },
    };
    const spied = createGateway({ providers: { p: scriptedAdapter({ chat: (request) => completionOf(String((request.params as { user?: string }).user)) }) }, middleware: [spy] });
    const response = await spied.fetch(chatURL, post({ model: 'p/m', messages, user: 'end-user-7' }, { headers: { 'x-switchyard-principal': 'admin', 'openai-organization': 'org-x' } }));
    expect(await response.json()).toMatchObject({ choices: [{ message: { content: 'end-user-7' } }] });
    expect(seen).toEqual([{ principal: undefined, tags: [], metadata: {} }]);
  });
});
