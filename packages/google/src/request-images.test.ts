import { AbortError, InvalidRequestError, UnsupportedFeatureError, type ChatCompletionMessageParam } from '@switchyard/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImageFetchOptions } from './image-fetch-options.js';
import { CONCURRENT_IMAGE_DOWNLOADS, countImageUrls, RequestImages } from './request-images.js';
import { closeTestServers, PNG, startImageServer, startTestServer } from './test-image-server.js';
import { rejection } from './test-rejection.js';

afterEach(closeTestServers);

const limits: ImageFetchOptions = { maxBytes: 1_024, timeoutMs: 5_000, maxCount: 16, maxTotalBytes: 4_096 };
const DATA_URL = `data:image/png;base64,${PNG.toString('base64')}`;


/** An app fetch whose answers the test hands out one by one. */
function heldFetch() {
  const calls: Array<{ url: string; signal: AbortSignal; answer: (response: Response) => void; fail: (error: Error) => void }> = [];
  const fetchImage: typeof fetch = (input, init) =>
    new Promise<Response>((answer, fail) => calls.push({ url: String(input), signal: init?.signal as AbortSignal, answer, fail }));
  return { calls, fetchImage };
}

/** Lets every pending promise callback run, so "nothing more started" can be checked without a clock. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const png = () => new Response(PNG, { headers: { 'content-type': 'image/png' } });

describe('countImageUrls', () => {
  it('counts the http(s) image URLs in user messages, not data URLs', () => {
    const messages: ChatCompletionMessageParam[] = [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hi' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'these' },
          { type: 'image_url', image_url: { url: 'https://a.example/1.png' } },
          { type: 'image_url', image_url: { url: ` ${DATA_URL}` } },
          { type: 'image_url', image_url: { url: 'http://b.example/2.png' } },
        ],
      },
      { role: 'user', content: [{ type: 'image_url', image_url: { url: 'gs://bucket/3.png' } }] },
    ];
    expect(countImageUrls(messages)).toBe(3);
  });
});

describe('RequestImages: images.maxCount', () => {
  it('refuses a request with more image URLs than maxCount before fetching any', () => {
    const held = heldFetch();
    const create = () => new RequestImages({ ...limits, fetch: held.fetchImage }, undefined, 17);
    expect(create).toThrow(InvalidRequestError);
    expect(create).toThrow('The request has 17 http(s) image URLs; this adapter fetches at most 16 per request (images.maxCount).');
    expect(held.calls).toHaveLength(0);
    expect(() => new RequestImages({ ...limits, fetch: held.fetchImage }, undefined, 16)).not.toThrow();
  });

  it('defaults to 16 when not given (toGeminiRequest called directly)', () => {
    expect(() => new RequestImages({ maxBytes: 1_024, timeoutMs: 5_000 }, undefined, 17)).toThrow(/at most 16 per request/);
  });

  it('does not apply with images.fetch false, which refuses every URL anyway', async () => {
    const images = new RequestImages({ ...limits, fetch: false }, undefined, 40);
    const error = await rejection(images.inline('https://a.example/1.png', 'messages.0.content.0'), UnsupportedFeatureError);
    expect(error.message).toMatch(/^messages\.0\.content\.0: fetching image URLs is turned off/);
    await expect(images.inline(DATA_URL, 'messages.0.content.1')).resolves.toEqual({ mimeType: 'image/png', data: PNG.toString('base64') });
  });
});

describe('RequestImages: images.maxTotalBytes', () => {
  it("refuses once the request's downloads add up to more than maxTotalBytes", async () => {
    const big = Buffer.alloc(600, 1);
    const fetchImage: typeof fetch = async () => new Response(big, { headers: { 'content-type': 'image/png' } });
    const images = new RequestImages({ ...limits, maxTotalBytes: 1_000, fetch: fetchImage }, undefined, 2);
    await expect(images.inline('https://a.example/1.png', 'messages.0.content.0')).resolves.toBeDefined();
    const error = await rejection(images.inline('https://a.example/2.png', 'messages.0.content.1'), InvalidRequestError);
    expect(error.message).toMatch(/more than the 1000-byte limit for fetched images \(images\.maxTotalBytes\)/);
  });

  it('shares the budget between downloads running side by side', async () => {
    const server = await startTestServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'image/png' });
      // 700 bytes each and never done: two of them pass a 1000-byte budget while both are open.
      response.write(Buffer.alloc(700, 1));
    });
    const images = new RequestImages({ ...limits, maxTotalBytes: 1_000, timeoutMs: 60_000, allowPrivateNetworks: true }, undefined, 2);
    const results = await Promise.allSettled([images.inline(`${server.url}/1.png`, 'a'), images.inline(`${server.url}/2.png`, 'b')]);
    const reasons = results.map((result) => (result.status === 'rejected' ? (result.reason as Error).message : 'fulfilled'));
    expect(reasons.some((reason) => /images\.maxTotalBytes/.test(reason))).toBe(true);
  });

  it('does not count data URLs, which arrive in the request body', async () => {
    const images = new RequestImages({ ...limits, maxTotalBytes: 1, fetch: false }, undefined, 0);
    await expect(images.inline(DATA_URL, 'messages.0.content.0')).resolves.toBeDefined();
  });
});

describe('RequestImages: concurrency and failure', () => {
  it(`downloads at most ${CONCURRENT_IMAGE_DOWNLOADS} images at a time`, async () => {
    const held = heldFetch();
    const images = new RequestImages({ ...limits, fetch: held.fetchImage }, undefined, 6);
    const all = Promise.all([1, 2, 3, 4, 5, 6].map((n) => images.inline(`https://a.example/${n}.png`, `messages.0.content.${n}`)));
    await settle();
    expect(held.calls.map((call) => call.url)).toEqual([1, 2, 3, 4].map((n) => `https://a.example/${n}.png`));
    held.calls[0]?.answer(png());
    await settle();
    expect(held.calls).toHaveLength(5);
    for (const call of held.calls.slice(1)) call.answer(png());
    await settle();
    held.calls[5]?.answer(png());
    await expect(all).resolves.toHaveLength(6);
  });

  it('stops the other downloads when one fails, and reports that failure', async () => {
    const held = heldFetch();
    const images = new RequestImages({ ...limits, fetch: held.fetchImage }, undefined, 6);
    const all = Promise.all([1, 2, 3, 4, 5, 6].map((n) => images.inline(`https://a.example/${n}.png`, `messages.0.content.${n}`)));
    await settle();
    held.calls[1]?.answer(new Response('<html>', { headers: { 'content-type': 'text/html' } }));
    const error = await rejection(all, InvalidRequestError);
    expect(error.message).toMatch(/of type "text\/html", not an image/);
    await settle();
    // The three still running were aborted, and the two waiting never started.
    expect(held.calls.map((call) => call.signal.aborted)).toEqual([true, true, true, true]);
  });

  it('close() stops downloads still running', async () => {
    const held = heldFetch();
    const images = new RequestImages({ ...limits, fetch: held.fetchImage }, undefined, 1);
    const pending = images.inline('https://a.example/1.png', 'messages.0.content.0');
    await settle();
    images.close();
    expect(held.calls[0]?.signal.aborted).toBe(true);
    held.calls[0]?.fail(new DOMException('aborted', 'AbortError'));
    await expect(pending).rejects.toBeInstanceOf(AbortError);
  });
});

describe('RequestImages: the default fetcher', () => {
  it('refuses a local image server without connecting, unless the app opts in', async () => {
    const server = await startImageServer();
    const refused = await rejection(new RequestImages(limits, undefined, 1).inline(`${server.url}/cat.png`, 'messages.0.content.0'), InvalidRequestError);
    expect(refused.message).toMatch(/resolves to a non-public address/);
    expect(server.connections).toBe(0);

    const allowed = new RequestImages({ ...limits, allowPrivateNetworks: ['127.0.0.1'] }, undefined, 1);
    await expect(allowed.inline(`${server.url}/cat.png`, 'messages.0.content.0')).resolves.toEqual({ mimeType: 'image/png', data: PNG.toString('base64') });
    expect(server.requests).toEqual(['/cat.png']);
  });

  it('checks names after DNS, through the resolver it is given', async () => {
    const lookups: string[] = [];
    const resolve = async (hostname: string) => {
      lookups.push(hostname);
      return [{ address: '169.254.169.254', family: 4 }];
    };
    const images = new RequestImages(limits, undefined, 1, resolve);
    const error = await rejection(images.inline('http://metadata.google.internal/computeMetadata/v1/', 'messages.0.content.0'), InvalidRequestError);
    expect(error.message).toMatch(/metadata\.google\.internal was refused: it resolves to a non-public address/);
    expect(lookups).toEqual(['metadata.google.internal']);
  });

  // Not retryable is what keeps them off the deployment's health (see image-fetch-options.test.ts for the gateway).
  it('raises errors that are not retryable', async () => {
    const server = await startImageServer();
    const failures = [
      await rejection(new RequestImages(limits, undefined, 1).inline(`${server.url}/`, 'a'), InvalidRequestError),
      await rejection(new RequestImages({ ...limits, fetch: false }, undefined, 1).inline(`${server.url}/`, 'a'), UnsupportedFeatureError),
      await rejection(Promise.resolve().then(() => new RequestImages(limits, undefined, 17)), InvalidRequestError),
    ];
    for (const error of failures) {
      expect(error.retryable).toBe(false);
    }
  });
});
