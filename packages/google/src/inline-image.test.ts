import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AbortError, InvalidRequestError, UnsupportedFeatureError } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { addressPolicy } from './address-policy.js';
import { publicImageFetcher } from './fetch-public-image.js';
import { ImageByteBudget } from './image-byte-budget.js';
import { fetcherFromFetch } from './image-fetcher.js';
import { inlineImage } from './inline-image.js';
import { rejection } from './test-rejection.js';

/** A real 1×1 PNG, so the bytes that come back are recognisably an image. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201ff0ba3b8950000000049454e44ae426082',
  'hex',
);
const SECRET = 'sig=very-secret-token';
// These servers listen on 127.0.0.1, which the built-in fetcher refuses unless the app opts in:
// these tests opt in, and fetch-public-image.test.ts covers the refusals.
const fetcher = publicImageFetcher({ allows: addressPolicy(true) });
const options = { maxBytes: 1_024, timeoutMs: 5_000, fetcher };

let servers: Server[] = [];

/** Starts a server on 127.0.0.1 with an OS-chosen port; `afterEach` closes it. */
async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const closing = servers.map(
    (server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Servers that never answer keep their sockets; close() alone would wait for them forever.
        server.closeAllConnections();
      }),
  );
  servers = [];
  await Promise.all(closing);
});

const failure = (promise: Promise<unknown>) => rejection(promise, Error);

/** The error must say where the image came from, and must not leak the signed query string. */
function expectNamesHostOnly(error: Error, base: string): void {
  expect(error.message).toContain(new URL(base).host);
  expect(error.message).not.toContain('very-secret-token');
  expect(error.message).not.toContain('/cat.png');
}

describe('inlineImage: http(s) URLs', () => {
  it('downloads an image and returns it as base64 with its media type', async () => {
    let accept: string | undefined;
    const base = await serve((request, response) => {
      accept = request.headers.accept;
      response.writeHead(200, { 'content-type': 'Image/PNG; charset=binary', 'content-length': PNG.length });
      response.end(PNG);
    });
    const image = await inlineImage(`${base}/cat.png?${SECRET}`, options);
    expect(image).toEqual({ mimeType: 'image/png', data: PNG.toString('base64') });
    expect(accept).toBe('image/*');
  });

  it('accepts an image of exactly maxBytes, streamed without a Content-Length', async () => {
    const body = Buffer.alloc(1_024, 7);
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/webp' });
      response.write(body.subarray(0, 500));
      response.end(body.subarray(500));
    });
    const image = await inlineImage(`${base}/cat.png`, options);
    expect(Buffer.from(image.data, 'base64')).toEqual(body);
  });

  it('refuses up front when Content-Length is over the cap', async () => {
    const base = await serve((_request, response) => {
      // Announces 10 MB, sends a little and never finishes: only the header can end this quickly.
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': 10_000_000 });
      response.write(PNG);
    });
    const error = await failure(inlineImage(`${base}/cat.png?${SECRET}`, options));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/larger than the 1024-byte limit/);
    expectNamesHostOnly(error, base);
  });

  it('stops reading a chunked body as soon as it passes the cap', async () => {
    let sent = 0;
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      // An endless body: the download can only end because the client stopped reading.
      const timer = setInterval(() => {
        response.write(Buffer.alloc(256, 1));
        sent += 256;
      }, 2);
      response.on('close', () => {
        clearInterval(timer);
        closed();
      });
    });
    // A deadline far away, so that only cancelling the body can close the connection.
    const error = await failure(inlineImage(`${base}/cat.png?${SECRET}`, { ...options, timeoutMs: 60_000 }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/larger than the 1024-byte limit/);
    expectNamesHostOnly(error, base);
    const outcome = await Promise.race([
      connectionClosed.then(() => 'closed'),
      new Promise((resolve) => setTimeout(resolve, 2_000, 'still open')),
    ]);
    expect(outcome).toBe('closed');
    expect(sent).toBeLessThan(1_000_000);
  });

  it('refuses a response that is not an image, naming its media type without parameters', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end('<html>login required</html>');
    });
    const error = await failure(inlineImage(`${base}/cat.png?${SECRET}`, options));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/of type "text\/html", not an image/);
    expect(error.message).not.toMatch(/charset|login required/);
    expectNamesHostOnly(error, base);
  });

  it('refuses a response without a Content-Type', async () => {
    const base = await serve((_request, response) => {
      response.removeHeader('content-type');
      response.end(PNG);
    });
    const error = await failure(inlineImage(`${base}/cat.png`, options));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/untyped, not an image/);
  });

  it('refuses an empty image', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end();
    });
    expect((await failure(inlineImage(`${base}/cat.png`, options))).message).toMatch(/is empty/);
  });

  it('reports an HTTP error status without repeating it, or the body', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    });
    const error = await failure(inlineImage(`${base}/cat.png?${SECRET}`, options));
    expect(error).toBeInstanceOf(InvalidRequestError);
    // The status of an internal server is a detail of that network, so it stays out.
    expect(error.message).toMatch(/did not answer with a success status/);
    expect(error.message).not.toMatch(/404|not found/);
    expectNamesHostOnly(error, base);
  });

  it('gives up on a server that never answers once timeoutMs has passed', async () => {
    const base = await serve(() => {
      // Never answers.
    });
    const started = performance.now();
    const error = await failure(inlineImage(`${base}/cat.png?${SECRET}`, { ...options, timeoutMs: 50 }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/took longer than 50 ms/);
    expectNamesHostOnly(error, base);
    expect(performance.now() - started).toBeLessThan(3_000);
  });

  it('gives up on a body that stalls once timeoutMs has passed, closing the connection', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      // Some bytes, then nothing, and never the end.
      response.write(PNG.subarray(0, 10));
      response.on('close', () => closed());
    });
    const error = await failure(inlineImage(`${base}/cat.png?${SECRET}`, { ...options, timeoutMs: 50 }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/took longer than 50 ms/);
    expectNamesHostOnly(error, base);
    await connectionClosed;
  });

  it("stops when the caller's signal aborts, reporting an AbortError", async () => {
    const base = await serve(() => {
      // Never answers.
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await failure(inlineImage(`${base}/cat.png`, { ...options, signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortError);
  });

  it('does not even connect when the signal has already aborted', async () => {
    let requests = 0;
    const base = await serve((_request, response) => {
      requests++;
      response.end();
    });
    const error = await failure(inlineImage(`${base}/cat.png`, { ...options, signal: AbortSignal.abort() }));
    expect(error).toBeInstanceOf(AbortError);
    expect(requests).toBe(0);
  });

  it('reports a host that cannot be reached, with the network error code', async () => {
    const base = await serve(() => undefined);
    const server = servers.pop() as Server;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const error = await failure(inlineImage(`${base}/cat.png?${SECRET}`, options));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/Could not fetch image_url from 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
    expectNamesHostOnly(error, base);
  });

  it("finds the network error code deep in the cause chain of the app's fetch's error, and only a network one", async () => {
    const reset = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' });
    // A wrapping fetch (a proxy agent, a retry library) puts the socket's error further down.
    const wrapped: typeof fetch = () => Promise.reject(new TypeError('fetch failed', { cause: new Error('proxy tunnel failed', { cause: reset }) }));
    const deep = await failure(inlineImage('https://images.example/cat.png', { ...options, fetcher: fetcherFromFetch(wrapped) }));
    expect(deep.message).toBe('Could not fetch image_url from images.example (ECONNRESET).');
    // A code that says nothing about the network (here, the app's own) is not repeated.
    const own: typeof fetch = () => Promise.reject(Object.assign(new Error('quota'), { code: 'APP_QUOTA_EXCEEDED' }));
    const other = await failure(inlineImage('https://images.example/cat.png', { ...options, fetcher: fetcherFromFetch(own) }));
    expect(other.message).toBe('Could not fetch image_url from images.example.');
  });

  it("uses the app's fetch when given one, passing the combined signal and leaving redirects to it", async () => {
    let seen: { url: string; init: RequestInit | undefined } | undefined;
    const fakeFetch: typeof fetch = async (input, init) => {
      seen = { url: String(input), init };
      return new Response(PNG, { headers: { 'content-type': 'image/gif' } });
    };
    const image = await inlineImage('https://images.example/cat.gif?x=1', { ...options, fetcher: fetcherFromFetch(fakeFetch) });
    expect(image).toEqual({ mimeType: 'image/gif', data: PNG.toString('base64') });
    expect(seen?.url).toBe('https://images.example/cat.gif?x=1');
    expect(seen?.init?.signal).toBeInstanceOf(AbortSignal);
    expect(seen?.init?.redirect).toBe('follow');
  });

  it("stops reading the app's fetch's body at the cap, cancelling it", async () => {
    let cancelled = false;
    const endless = new ReadableStream<Uint8Array>({
      pull: (controller) => controller.enqueue(new Uint8Array(256)),
      cancel: () => {
        cancelled = true;
      },
    });
    const fakeFetch: typeof fetch = async () => new Response(endless, { headers: { 'content-type': 'image/png' } });
    const error = await failure(inlineImage('https://images.example/cat.png', { ...options, fetcher: fetcherFromFetch(fakeFetch) }));
    expect(error.message).toMatch(/larger than the 1024-byte limit/);
    expect(cancelled).toBe(true);
  });

  it('refuses http(s) URLs when it has no fetcher (images.fetch: false)', async () => {
    let requests = 0;
    const base = await serve((_request, response) => {
      requests++;
      response.end();
    });
    const error = await failure(inlineImage(`${base}/cat.png`, { maxBytes: 1_024, timeoutMs: 5_000 }));
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect(error.message).toMatch(/images\.fetch: false.*base64 data URL/);
    expect(requests).toBe(0);
  });
});

describe("inlineImage: the request's byte budget", () => {
  it('refuses up front when Content-Length is over what the budget has left', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': 600 });
      // Sends the head only and never the body: only the header can end this.
      response.flushHeaders();
    });
    const budget = new ImageByteBudget(1_000);
    budget.take(500);
    const error = await failure(inlineImage(`${base}/cat.png?${SECRET}`, { ...options, budget }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/add up to more than the 1000-byte limit for fetched images \(images\.maxTotalBytes\)/);
  });

  it('draws on the budget as chunks arrive and stops once it is spent', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      // Under maxBytes, over the budget, and never ends: only the budget can stop this download.
      response.write(Buffer.alloc(800, 1));
    });
    const budget = new ImageByteBudget(600);
    const error = await failure(inlineImage(`${base}/cat.png`, { ...options, budget, timeoutMs: 60_000 }));
    expect(error.message).toMatch(/600-byte limit for fetched images/);
    expect(budget.remaining).toBeLessThan(0);
  });

  it('leaves what an image used counted against the budget', async () => {
    const base = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(PNG);
    });
    const budget = new ImageByteBudget(1_000);
    await inlineImage(`${base}/cat.png`, { ...options, budget });
    expect(budget.remaining).toBe(1_000 - PNG.length);
  });
});

describe('inlineImage: data URLs', () => {
  const neverFetch: typeof fetch = () => Promise.reject(new Error('a data URL must not be fetched'));
  const local = { ...options, fetcher: fetcherFromFetch(neverFetch) };

  it('decodes a base64 image without fetching', async () => {
    const image = await inlineImage(`data:image/png;base64,${PNG.toString('base64')}`, local);
    expect(image).toEqual({ mimeType: 'image/png', data: PNG.toString('base64') });
  });

  it('tolerates upper case, extra parameters, line breaks, base64url and missing padding', async () => {
    const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x01]);
    const url = `DATA:Image/JPEG;name=a.jpg;BASE64,${bytes.toString('base64url').replace(/(..)/, '$1\n')}`;
    const image = await inlineImage(url, local);
    expect(image).toEqual({ mimeType: 'image/jpeg', data: bytes.toString('base64') });
    expect(image.data.length % 4).toBe(0);
  });

  it.each([
    ['no comma', 'data:image/png;base64', /malformed data URL/],
    ['not an image', 'data:text/plain;base64,aGVsbG8=', /of type "text\/plain", not an image/],
    ['no media type', 'data:;base64,aGVsbG8=', /of type "\(none\)", not an image/],
    ['a long media type, cut short with its length', `data:text/${'x'.repeat(200)};base64,aGVsbG8=`, /of type "text\/x{95}… \(205 characters\)", not an image/],
    ['not base64-encoded', 'data:image/svg+xml,%3Csvg%2F%3E', /must be base64-encoded/],
    ['invalid base64 characters', 'data:image/png;base64,iVBO*RW0=', /not valid base64/],
    ['padding in the middle', 'data:image/png;base64,iV==BORw', /not valid base64/],
    ['a dangling base64 character', 'data:image/png;base64,iVBOR', /not valid base64/],
    ['no data', 'data:image/png;base64,', /no data/],
    ['broken percent-encoding', 'data:image/png;base64,%E0%A4%A', /broken percent-encoding/],
  ])('refuses a data URL with %s', async (_name, url, message) => {
    const error = await failure(inlineImage(url, local));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(message);
  });

  it('applies maxBytes to data URLs too', async () => {
    const url = `data:image/png;base64,${Buffer.alloc(1_025).toString('base64')}`;
    const error = await failure(inlineImage(url, local));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).toMatch(/1025 bytes, over the 1024-byte limit/);
    await expect(inlineImage(`data:image/png;base64,${Buffer.alloc(1_024).toString('base64')}`, local)).resolves.toBeDefined();
  });
});

describe('inlineImage: other URLs', () => {
  it.each(['gs://bucket/cat.png', 'file:///tmp/cat.png', 'ftp://example.com/cat.png'])('refuses %s as unsupported', async (url) => {
    const error = await failure(inlineImage(url, options));
    expect(error).toBeInstanceOf(UnsupportedFeatureError);
    expect((error as UnsupportedFeatureError).feature).toBe('image_url');
  });

  it('refuses a string that is not a URL, without echoing it', async () => {
    const error = await failure(inlineImage('not a url?token=abc', options));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error.message).not.toContain('token=abc');
  });
});
