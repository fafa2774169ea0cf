import { ConfigError, createGateway, InvalidRequestError, type ChatCompletionCreateParams } from '@switchyard/core';
import { MAX_TIMER_MS } from '@switchyard/core/adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { recordingCallContext } from '@switchyard/testing';
import type { GenAIClient } from './genai-transport.js';
import { google } from './google-adapter.js';
import { DEFAULT_IMAGE_FETCH_OPTIONS, imageFetchOptions } from './image-fetch-options.js';
import { closeTestServers, PNG, startImageServer } from './test-image-server.js';

afterEach(closeTestServers);

describe('imageFetchOptions', () => {
  it('fills in the defaults, for options left out or given as undefined', () => {
    expect(imageFetchOptions()).toEqual({ maxBytes: 20 * 1024 * 1024, timeoutMs: 10_000, maxCount: 16, maxTotalBytes: 40 * 1024 * 1024 });
    expect(imageFetchOptions({ maxCount: undefined, maxBytes: 5 })).toEqual({ ...DEFAULT_IMAGE_FETCH_OPTIONS, maxBytes: 5 });
  });

  it('lists every invalid option in one ConfigError', () => {
    const attempt = () => imageFetchOptions({ maxBytes: 0, timeoutMs: Number.NaN, maxCount: 1.5, maxTotalBytes: -1 });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.path)).toEqual(['images.maxBytes', 'images.timeoutMs', 'images.maxCount', 'images.maxTotalBytes']);
      expect((error as ConfigError).issues[2]?.message).toBe('must be a positive whole number (default 16).');
    }
  });

  it('refuses a timeout longer than a Node.js timer can wait, which would fire after 1 ms', () => {
    expect(() => imageFetchOptions({ timeoutMs: 2 ** 31 })).toThrow(/images\.timeoutMs: must be at most 2147483647 ms/);
    expect(imageFetchOptions({ timeoutMs: 2 ** 31 - 1 }).timeoutMs).toBe(2 ** 31 - 1);
    // The same bound as every other timer the gateway arms.
    expect(imageFetchOptions({ timeoutMs: MAX_TIMER_MS }).timeoutMs).toBe(MAX_TIMER_MS);
    expect(() => imageFetchOptions({ timeoutMs: MAX_TIMER_MS + 1 })).toThrow(`images.timeoutMs: must be at most ${MAX_TIMER_MS} ms`);
  });

  it('refuses an allow-list entry that is not an address or range, naming it', () => {
    expect(() => imageFetchOptions({ allowPrivateNetworks: ['10.0.0.0/8', 'intranet.corp'] })).toThrow(
      /images\.allowPrivateNetworks: entry 1 \("intranet\.corp"\) is not an IP address or CIDR range/,
    );
  });

  it('refuses allowPrivateNetworks beside a custom fetch, which would silently ignore it', () => {
    expect(() => imageFetchOptions({ allowPrivateNetworks: true, fetch: globalThis.fetch })).toThrow(/has no effect with a custom images\.fetch/);
    expect(() => imageFetchOptions({ allowPrivateNetworks: false, fetch: globalThis.fetch })).not.toThrow();
  });

  it('refuses a fetch that is neither a function nor false', () => {
    expect(() => imageFetchOptions({ fetch: 'yes' as unknown as typeof fetch })).toThrow(/images\.fetch: must be a fetch-compatible function, or false/);
  });
});

/** A `@google/genai` client that records what the adapter would send to Gemini. */
function recordingClient() {
  const sent: unknown[] = [];
  const client: GenAIClient = {
    models: {
      generateContent: async (params: never) => {
        sent.push(params);
        return { candidates: [{ index: 0, content: { role: 'model', parts: [{ text: 'A pixel.' }] }, finishReason: 'STOP' }] };
      },
      generateContentStream: async () => (async function* () {})(),
      embedContent: async () => ({ embeddings: [] }),
    },
  };
  return { client, sent };
}

const call = recordingCallContext({ requestId: 'req-1' });
const withImage = (url: string): ChatCompletionCreateParams => ({
  model: 'gemini-2.5-flash',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url } }] }],
});

describe('google({ images })', () => {
  it('refuses an image on a local server by default: nothing is fetched and nothing reaches Gemini', async () => {
    const server = await startImageServer();
    const { client, sent } = recordingClient();
    const error = await google({ client }).chat({ params: withImage(`${server.url}/cat.png`) }, call).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as Error).message).toMatch(/resolves to a non-public address.*images\.allowPrivateNetworks/);
    expect(server.connections).toBe(0);
    expect(sent).toEqual([]);
  });

  it('fetches it and sends it inline once the app opts in', async () => {
    const server = await startImageServer();
    const { client, sent } = recordingClient();
    await google({ client, images: { allowPrivateNetworks: ['127.0.0.1'] } }).chat({ params: withImage(`${server.url}/cat.png`) }, call);
    expect(JSON.stringify(sent)).toContain(PNG.toString('base64'));
  });

  it('fails at construction on an invalid images option', () => {
    const { client } = recordingClient();
    expect(() => google({ client, images: { maxTotalBytes: 0 } })).toThrow(ConfigError);
  });

  it('refused images never count against the deployment: its breaker stays closed', async () => {
    const server = await startImageServer();
    const { client, sent } = recordingClient();
    const gateway = createGateway({
      providers: { google: google({ client }) },
      routing: { retry: false, breaker: { failureRateThreshold: 0.1, minimumRequests: 2, cooldownMs: 60_000 } },
    });
    for (let attempt = 0; attempt < 5; attempt++) {
      await expect(gateway.chat.completions.create({ ...withImage(`${server.url}/cat.png`), model: 'google/gemini-2.5-flash' })).rejects.toBeInstanceOf(InvalidRequestError);
    }
    // An open breaker would refuse this call without reaching the client.
    const completion = await gateway.chat.completions.create({ model: 'google/gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] });
    expect(completion.choices[0]?.message.content).toBe('A pixel.');
    expect(sent).toHaveLength(1);
    expect(server.connections).toBe(0);
  });
});
