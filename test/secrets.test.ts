import { inspect } from 'node:util';
import { createGateway, type GatewayEvent } from '@switchyard/core';
import { openai } from '@switchyard/openai';
import { startMockServer, type RecordedRequest } from '@switchyard/testing';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';

const API_KEY = 'sk-proj-SwitchyardLeakCanary0123456789abcdef';
const messages = [{ role: 'user' as const, content: 'hello' }];

/** A server that echoes the credential back, as some providers do in auth errors. */
function echoKey(request: RecordedRequest): string {
  return String(request.headers.authorization ?? '').replace('Bearer ', '');
}

function everythingVisible(error: unknown, events: GatewayEvent[]): string {
  return [
    String(error),
    (error as Error).stack ?? '',
    JSON.stringify(error),
    inspect(error, { depth: 10, showHidden: true }),
    JSON.stringify(events),
  ].join('\n');
}

describe('API keys never leak', () => {
  it('not in errors, their causes, or events, whatever the provider echoes', async () => {
    const server = await startMockServer();
    const events: GatewayEvent[] = [];
    const gateway = createGateway({
      providers: { openai: openai({ client: new OpenAI({ apiKey: API_KEY, baseURL: server.baseURL }) }) },
      onEvent: (event) => void events.push(event),
    });
    const masked = `${API_KEY.slice(0, 10)}****${API_KEY.slice(-4)}`;
    server.enqueue(
      (request) => ({ kind: 'error', status: 401, message: `Incorrect API key provided: ${echoKey(request)}. Masked: ${masked}` }),
      (request) => ({
        kind: 'raw-stream',
        events: [
          JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }] }),
          JSON.stringify({ error: { message: `key ${echoKey(request)} revoked`, type: 'invalid_request_error' } }),
        ],
        end: false,
      }),
      (request) => ({ kind: 'error', status: 500, message: `upstream saw ${echoKey(request)}` }),
    );

    const failures: unknown[] = [];
    failures.push(await gateway.chat.completions.create({ model: 'openai/m', messages }).catch((e: unknown) => e));
    const stream = await gateway.chat.completions.create({ model: 'openai/m', messages, stream: true });
    failures.push(
      await (async () => {
        for await (const _ of stream) {
          // read until the error
        }
      })().catch((e: unknown) => e),
    );
    failures.push(await gateway.embeddings.create({ model: 'openai/e', input: 'x' }).catch((e: unknown) => e));
    await new Promise((resolve) => setImmediate(resolve));
    await server.close();

    expect(failures.every((failure) => failure instanceof Error)).toBe(true);
    expect(events.filter((event) => event.type === 'request.end')).toHaveLength(3);
    for (const failure of failures) {
      const visible = everythingVisible(failure, events);
      expect(visible).not.toContain(API_KEY);
      expect(visible).not.toContain(masked);
      expect(visible).not.toContain('SwitchyardLeakCanary');
    }
    // The request did carry the key: the canary would have been caught had it leaked.
    expect(echoKey(server.requests[0]!)).toBe(API_KEY);
  });
});
