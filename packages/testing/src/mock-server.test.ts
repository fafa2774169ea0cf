import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type MockServer } from './mock-server.js';

let server: MockServer;
beforeEach(async () => {
  server = await startMockServer();
});
afterEach(async () => {
  await server.close();
});

const chat = (body: object = {}) =>
  fetch(`${server.baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test' },
    body: JSON.stringify({ model: 'gpt-test', messages: [{ role: 'user', content: 'hi' }], ...body }),
  });

const sseData = (text: string) =>
  text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => block.replace(/^data: /, ''));

describe('mock server', () => {
  it('listens on 127.0.0.1, records requests and answers in the OpenAI format', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const response = await chat();
    const body = (await response.json()) as { object: string; model: string; choices: Array<{ message: { content: string } }> };
    expect(body).toMatchObject({ object: 'chat.completion', model: 'gpt-test' });
    expect(body.choices[0]?.message.content).toContain('mock');
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/chat/completions', body: { model: 'gpt-test' } });
  });

  it('plays queued replies in order, then the fallback, and 404s unknown paths', async () => {
    server.enqueue({ content: 'first' }, () => ({ content: 'second' }));
    server.setFallback({ content: 'fallback' });
    const contents: string[] = [];
    for (let i = 0; i < 3; i++) {
      const body = (await (await chat()).json()) as { choices: Array<{ message: { content: string } }> };
      contents.push(body.choices[0]?.message.content ?? '');
    }
    expect(contents).toEqual(['first', 'second', 'fallback']);
    expect((await fetch(`${server.baseURL}/nope`, { method: 'POST' })).status).toBe(404);
  });

  it('sends status codes with Retry-After in the provider error shape', async () => {
    server.enqueue({ kind: 'error', status: 429, retryAfter: 3, message: 'slow down' });
    const response = await chat();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({
      error: { message: 'slow down', type: 'rate_limit_exceeded', param: null, code: 'rate_limit_exceeded' },
    });
  });

  it('sends the extra headers a reply names, on answers, streams and embeddings', async () => {
    const headers = { 'x-request-id': 'req_1', 'x-ratelimit-remaining-requests': '9' };
    server.enqueue({ content: 'a', headers }, { content: 'a', headers }, { kind: 'embeddings', headers });
    const answer = await chat();
    const stream = await chat({ stream: true });
    const embeddings = await fetch(`${server.baseURL}/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'e', input: 'x' }),
    });
    for (const response of [answer, stream, embeddings]) {
      expect(response.headers.get('x-request-id')).toBe('req_1');
      expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('9');
      await response.text();
    }
    expect(stream.headers.get('content-type')).toBe('text/event-stream');
  });

  it('streams SSE chunks, with usage only when asked, ending in [DONE]', async () => {
    server.enqueue({ content: 'a b', usage: { input: 5, output: 2, cached: 1 } }, { content: 'a b' });
    const withUsage = sseData(await (await chat({ stream: true, stream_options: { include_usage: true } })).text());
    expect(withUsage.at(-1)).toBe('[DONE]');
    const usageChunk = JSON.parse(withUsage.at(-2) ?? '{}') as { choices: unknown[]; usage: { prompt_tokens_details: { cached_tokens: number } } };
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.prompt_tokens_details.cached_tokens).toBe(1);
    const without = sseData(await (await chat({ stream: true })).text());
    expect(without.slice(0, -1).every((data) => !('usage' in (JSON.parse(data) as object)))).toBe(true);
  });

  it('delays the headers and the first chunk', async () => {
    server.enqueue({ delayMs: 30 }, { content: 'a', firstChunkDelayMs: 30 });
    const started = performance.now();
    await (await chat()).json();
    expect(performance.now() - started).toBeGreaterThanOrEqual(29);
    const response = await chat({ stream: true });
    const headersAt = performance.now();
    await response.text();
    expect(performance.now() - headersAt).toBeGreaterThanOrEqual(29);
  });

  it('cuts a stream mid-way and sends a malformed chunk on request', async () => {
    server.enqueue({ content: 'a b c d', cutAfter: 2 }, { content: 'a b', malformedAt: 1 });
    const cut = await chat({ stream: true });
    await expect(cut.text()).rejects.toThrow();
    const malformed = sseData(await (await chat({ stream: true })).text());
    expect(() => JSON.parse(malformed[1] ?? '')).toThrow();
    expect(() => JSON.parse(malformed[0] ?? '')).not.toThrow();
  });

  it('stalls a stream after some events', async () => {
    server.enqueue({ content: 'a b c d', hangAfter: 2 });
    const response = await chat({ stream: true });
    const reader = response.body!.getReader();
    let text = '';
    while (text.split('\n\n').length < 3) text += new TextDecoder().decode((await reader.read()).value);
    expect(sseData(text)).toHaveLength(2);
    const next = reader.read().then(() => 'more data', () => 'closed');
    await server.close();
    expect(await next).toBe('closed');
    server = await startMockServer(); // for afterEach
  });

  it('hangs before the headers or after them, and close() still returns', async () => {
    server.enqueue({ hang: 'headers' }, { content: 'x', hang: 'body' }, { content: 'a longer answer', hang: 'body' });
    const hanging = chat().catch((error: unknown) => error);
    const response = await chat({ stream: true });
    expect(response.status).toBe(200);
    const body = response.text().catch((error: unknown) => error);
    // A JSON answer sends its headers and half its body, then stalls.
    const json = await chat();
    expect(json.status).toBe(200);
    const reader = (json.body as ReadableStream<Uint8Array>).getReader();
    const firstHalf = new TextDecoder().decode((await reader.read()).value);
    expect(firstHalf.length).toBeLessThan(Number(json.headers.get('content-length')));
    expect(firstHalf).toMatch(/^\{"/);
    const rest = reader.read().catch((error: unknown) => error);
    await server.close();
    expect(await hanging).toBeInstanceOf(Error);
    expect(await body).toBeInstanceOf(Error);
    expect(await rest).toBeInstanceOf(Error);
    server = await startMockServer(); // for afterEach
  });

  it('sends raw bodies and raw streams as given', async () => {
    server.enqueue({ kind: 'raw', status: 202, body: '{"custom":true}' }, { kind: 'raw-stream', events: ['{"n":1}', { event: 'ping', data: '{}' }] });
    const raw = await chat();
    expect(raw.status).toBe(202);
    expect(await raw.text()).toBe('{"custom":true}');
    expect(await (await chat({ stream: true })).text()).toBe('data: {"n":1}\n\nevent: ping\ndata: {}\n\ndata: [DONE]\n\n');
  });

  it('answers embeddings with deterministic vectors, as floats or base64', async () => {
    const embed = (body: object) =>
      fetch(`${server.baseURL}/embeddings`, { method: 'POST', body: JSON.stringify({ model: 'e', ...body }) }).then(
        (r) => r.json() as Promise<{ data: Array<{ embedding: number[] | string }>; usage: { prompt_tokens: number } }>,
      );
    const a = await embed({ input: ['same', 'other'], dimensions: 4 });
    const b = await embed({ input: 'same', dimensions: 4 });
    expect(a.data[0]?.embedding).toEqual(b.data[0]?.embedding);
    expect(a.data[0]?.embedding).not.toEqual(a.data[1]?.embedding);
    const encoded = await embed({ input: 'same', dimensions: 4, encoding_format: 'base64' });
    const decoded = Array.from(new Float32Array(Uint8Array.from(Buffer.from(encoded.data[0]?.embedding as string, 'base64')).buffer));
    expect(decoded).toEqual(b.data[0]?.embedding);
  });

  describe('size and end faults', () => {
    const MiB = 1024 * 1024;

    /** Reads the body until `enough` says stop, then cancels it; the text read. */
    async function readUntil(response: Response, enough: (text: string, bytes: number) => boolean): Promise<string> {
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      const decoder = new TextDecoder();
      let text = '';
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        text += decoder.decode(value, { stream: true });
        if (enough(text, bytes)) {
          await reader.cancel();
          break;
        }
      }
      return text;
    }

    it('sends one data line of the given size with no line end, after the given events', async () => {
      server.enqueue({ content: 'a b', hugeEvent: { bytes: 3 * MiB, as: 'line', after: 1 } });
      const text = await (await chat({ stream: true })).text();
      const [first, rest] = [text.slice(0, text.indexOf('\n\n') + 2), text.slice(text.indexOf('\n\n') + 2)];
      expect(JSON.parse(first.replace(/^data: /, ''))).toMatchObject({ object: 'chat.completion.chunk' });
      expect(rest.startsWith('data: aaa')).toBe(true);
      expect(rest).toHaveLength(3 * MiB + 6);
      expect(rest.includes('\n')).toBe(false);
    });

    it('sends data lines of 1 MiB with no blank line between them', async () => {
      server.enqueue({ content: 'a b', hugeEvent: { bytes: 4 * (MiB + 1), as: 'lines' } });
      const text = await (await chat({ stream: true })).text();
      const lines = text.split('\n');
      expect(lines.slice(0, 4).every((line) => line.startsWith('data: aaa') && line.length === MiB)).toBe(true);
      expect(text.includes('\n\n')).toBe(false);
    });

    it('holds the connection open after the end marker', async () => {
      server.enqueue({ content: 'a b', holdOpen: true });
      const response = await chat({ stream: true });
      const reader = (response.body as ReadableStream<Uint8Array>).getReader();
      let text = '';
      while (!text.endsWith('data: [DONE]\n\n')) text += new TextDecoder().decode((await reader.read()).value);
      expect(sseData(text).at(-1)).toBe('[DONE]');
      const rest = reader.read().then(() => 'more', () => 'closed');
      await server.close();
      expect(await rest).toBe('closed');
      server = await startMockServer(); // for afterEach
    });

    it('sends a JSON body that never ends, and stops when the client goes away', async () => {
      server.enqueue({ endlessBody: true });
      const response = await chat();
      expect(response.headers.get('content-length')).toBeNull();
      const text = await readUntil(response, (_read, bytes) => bytes > 8 * MiB);
      expect(text.startsWith('{"filler":"aaa')).toBe(true);
      // The server noticed: the next request is answered as usual.
      expect((await (await chat()).json()) as object).toMatchObject({ object: 'chat.completion' });
    });

    it('sends a small gzip body that inflates to the given size', async () => {
      server.enqueue({ gzipInflatesTo: 20 * MiB });
      const response = await chat();
      expect(response.headers.get('content-encoding')).toBe('gzip');
      expect(Number(response.headers.get('content-length'))).toBeLessThan(64 * 1024);
      const body = (await response.json()) as { filler: string };
      expect(body.filler.length).toBe(20 * MiB - '{"filler":""}'.length);
    });
  });
});
