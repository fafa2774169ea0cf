// Reverse conformance: Anthropic's recorded answers, through the Anthropic adapter into the gateway's OpenAI shape and back out of gateway.wrap(new Anthropic()), must be what Anthropic sent.
import Anthropic from '@anthropic-ai/sdk';
import { MessageStream } from '@anthropic-ai/sdk/lib/MessageStream';
import { anthropic } from '@switchyard/anthropic';
import { createGateway } from '@switchyard/core';
import { anthropicWireFormat, startMockServer, type MockServer } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkLines, loadFixtures } from './fixtures.js';

const fixtures = loadFixtures('anthropic');

/**
 * What the reversal cannot carry, left out of the comparison (docs/wrap-anthropic.md lists
 * them): the message id (the gateway's own), `usage.service_tier` and `inference_geo`
 * (Anthropic's serving facts, not in the OpenAI shape), a refusal's `category` and
 * `recommended_model`, and `context_management`.
 */
interface Comparable {
  type: unknown;
  role: unknown;
  model: unknown;
  content: unknown;
  stop_reason: unknown;
  stop_sequence: unknown;
  usage: Record<string, unknown>;
}

function comparable(message: Record<string, unknown>): Comparable {
  const usage = (message.usage ?? {}) as Record<string, unknown>;
  const counted = ['input_tokens', 'output_tokens', 'cache_read_input_tokens', 'cache_creation_input_tokens'];
  return {
    type: message.type,
    role: message.role,
    model: message.model,
    content: message.content,
    stop_reason: message.stop_reason,
    // Anthropic documents `stop_sequence` as null unless a stop sequence ended the answer; one recording leaves the null out.
    stop_sequence: message.stop_sequence ?? null,
    usage: Object.fromEntries(counted.map((key) => [key, usage[key] ?? 0])),
  };
}

/** The event sequence by kind, block index and block/delta type; consecutive deltas of one kind are one step (fragmenting is free). */
function shapeOf(events: readonly object[]): string[] {
  const steps: string[] = [];
  for (const raw of events) {
    const event = raw as { type: string; index?: number; content_block?: { type: string }; delta?: { type?: string } };
    if (event.type === 'ping') continue;
    let step: string = event.type;
    if (event.type === 'content_block_start') step = `start ${event.index} ${event.content_block?.type}`;
    if (event.type === 'content_block_delta') step = `delta ${event.index} ${event.delta?.type}`;
    if (event.type === 'content_block_stop') step = `stop ${event.index}`;
    if (steps.at(-1) !== step) steps.push(step);
  }
  return steps;
}

/** The SDK's own accumulation of the recorded events: what `finalMessage()` gives against Anthropic itself. */
async function recordedFinalMessage(lines: readonly string[]): Promise<Anthropic.Message> {
  const body = new Response(lines.map((line) => `${line}\n`).join('')).body;
  if (!body) throw new Error('no body');
  return MessageStream.fromReadableStream(body).finalMessage();
}

const request = {
  model: 'claude-replay',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Replay.' }],
  tools: [{ name: 'weather', input_schema: { type: 'object' as const, properties: { location: { type: 'string' } } } }],
};

describe.runIf(fixtures)('reverse conformance: recorded Anthropic answers survive the round trip through gateway.wrap()', () => {
  let server: MockServer;
  const wrapped = () => {
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.baseURL, maxRetries: 0 });
    return createGateway({ providers: { anthropic: anthropic({ client }) } }).wrap(client, { provider: 'anthropic' });
  };
  beforeAll(async () => {
    server = await startMockServer({ format: anthropicWireFormat });
  });
  afterAll(() => server.close());

  for (const fixture of fixtures ?? []) {
    it(fixture.name, async () => {
      if (fixture.kind === 'json') {
        const recorded = JSON.parse(fixture.text) as Record<string, unknown>;
        server.enqueue({ kind: 'raw', body: fixture.text });
        const message = await wrapped().messages.create(request);
        expect(comparable(message as unknown as Record<string, unknown>)).toMatchObject(comparable(recorded));
        expect(message.usage.cache_creation).toEqual(recorded.usage && (recorded.usage as { cache_creation?: unknown }).cache_creation);
        const details = recorded.stop_details as { type: string; explanation: string } | undefined;
        if (details) expect(message.stop_details).toMatchObject({ type: details.type, explanation: details.explanation });
        else expect(message.stop_details).toBeNull();
        return;
      }
      const lines = chunkLines(fixture.text);
      const recordedEvents = lines.map((line) => JSON.parse(line) as { type: string });
      server.enqueue({ kind: 'raw-stream', events: lines.map((data) => ({ event: (JSON.parse(data) as { type: string }).type, data })) });
      const events: Anthropic.RawMessageStreamEvent[] = [];
      for await (const event of await wrapped().messages.create({ ...request, stream: true })) events.push(event);
      expect(shapeOf(events)).toEqual(shapeOf(recordedEvents));
      const expected = await recordedFinalMessage(lines);
      server.enqueue({ kind: 'raw-stream', events: lines.map((data) => ({ event: (JSON.parse(data) as { type: string }).type, data })) });
      const final = await wrapped().messages.stream(request).finalMessage();
      expect(comparable(final as unknown as Record<string, unknown>)).toMatchObject(comparable(expected as unknown as Record<string, unknown>));
      // The final message_delta carries Anthropic's cumulative totals (message_start's input count is corrected there).
      const delta = events.find((event) => event.type === 'message_delta');
      const recordedDelta = recordedEvents.find((event) => event.type === 'message_delta') as { delta: { stop_reason: string }; usage: { output_tokens: number; input_tokens?: number } } | undefined;
      expect(delta).toMatchObject({ delta: { stop_reason: recordedDelta?.delta.stop_reason }, usage: { output_tokens: recordedDelta?.usage.output_tokens, input_tokens: recordedDelta?.usage.input_tokens } });
    });
  }
});

describe('reverse conformance: Anthropic answers written by hand for what the recordings lack', () => {
  let server: MockServer;
  beforeAll(async () => {
    server = await startMockServer({ format: anthropicWireFormat });
  });
  afterAll(() => server.close());
  const wrapped = () => {
    const client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: server.baseURL, maxRetries: 0 });
    return createGateway({ providers: { anthropic: anthropic({ client }) } }).wrap(client, { provider: 'anthropic' });
  };

  // Anthropic's documented usage: input_tokens counts what was neither read from nor written to the cache.
  const cached = {
    id: 'msg_cache',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-5',
    content: [{ type: 'text', text: 'From the cache.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 14, cache_read_input_tokens: 2_000, cache_creation_input_tokens: 300, cache_creation: { ephemeral_5m_input_tokens: 100, ephemeral_1h_input_tokens: 200 }, output_tokens: 6 },
  };

  it('usage with cache reads and writes (5-minute and 1-hour) comes back exactly as Anthropic counted it', async () => {
    server.enqueue({ kind: 'raw', body: JSON.stringify(cached) });
    const message = await wrapped().messages.create(request);
    expect(message.usage).toMatchObject(cached.usage);
  });

  it('a max_tokens stop comes back as max_tokens', async () => {
    server.enqueue({ kind: 'raw', body: JSON.stringify({ ...cached, content: [{ type: 'text', text: 'Cut sh' }], stop_reason: 'max_tokens' }) });
    const message = await wrapped().messages.create(request);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.content).toMatchObject([{ type: 'text', text: 'Cut sh' }]);
  });

  it("an overloaded_error mid-stream is the SDK's error-event behaviour: an APIError with no status", async () => {
    server.enqueue({
      kind: 'raw-stream',
      events: [
        { event: 'message_start', data: JSON.stringify({ type: 'message_start', message: { ...cached, content: [], stop_reason: null, usage: { input_tokens: 5, output_tokens: 1 } } }) },
        { event: 'content_block_start', data: JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }) },
        { event: 'content_block_delta', data: JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hel' } }) },
        { event: 'error', data: JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }) },
      ],
    });
    const stream = await wrapped().messages.create({ ...request, stream: true });
    const error = await (async () => {
      for await (const event of stream) void event;
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBeUndefined();
  });
});
