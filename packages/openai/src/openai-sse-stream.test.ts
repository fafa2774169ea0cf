import { ProviderError, type ChatCompletionChunk } from '@switchyard/core';
import { type ErrorScope } from '@switchyard/core/adapter';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readOpenAIStream } from './openai-sse-stream.js';

/** Not shaped like any well-known key, so only the scope's list can scrub it. */
const SECRET = 'proj-live-secret-0123456789';
const scope: ErrorScope = { provider: 'openai', model: 'gpt-x', secrets: [SECRET], signal: undefined };
const encoder = new TextEncoder();

type Json = Record<string, unknown>;

/** A body that hands out one piece per read, and records whether it was cancelled. */
function bodyOf(pieces: ReadonlyArray<string | Uint8Array>) {
  let next = 0;
  const state = { cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const piece = pieces[next++];
      if (piece === undefined) controller.close();
      else controller.enqueue(typeof piece === 'string' ? encoder.encode(piece) : piece);
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { body, state };
}

/** Everything the stream yields before it ends or fails, and what it failed with. */
async function drain(pieces: ReadonlyArray<string | Uint8Array>, within: ErrorScope = scope): Promise<{ chunks: ChatCompletionChunk[]; error: unknown }> {
  const chunks: ChatCompletionChunk[] = [];
  try {
    for await (const chunk of readOpenAIStream(bodyOf(pieces).body, within)) chunks.push(chunk);
  } catch (error) {
    return { chunks, error };
  }
  return { chunks, error: undefined };
}

async function failure(pieces: ReadonlyArray<string | Uint8Array>): Promise<ProviderError> {
  const { error } = await drain(pieces);
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

const sse = (value: unknown) => `data: ${JSON.stringify(value)}\n\n`;
const chunk = (delta: Json, finish_reason: string | null = null, extra: Json = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-x',
  choices: [{ index: 0, delta, finish_reason, logprobs: null }],
  ...extra,
});
const DONE = 'data: [DONE]\n\n';

describe('readOpenAIStream', () => {
  it('passes chunks through unchanged, unknown fields included', async () => {
    const sent = [
      chunk({ role: 'assistant', content: '' }, null, { system_fingerprint: 'fp_1', x_gateway: { region: 'eu', hops: [1, 2] } }),
      { ...chunk({}), choices: [{ index: 0, delta: { content: 'Hi', reasoning: 'vendor field', x_delta: [null] }, finish_reason: null, x_choice: 'kept' }] },
      chunk({}, 'stop', { usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4, x_cost: 0.001 } }),
    ];
    const { chunks, error } = await drain([...sent.map(sse), DONE]);
    expect(error).toBeUndefined();
    expect(chunks).toEqual(sent);
  });

  it('ends at [DONE] and ignores whatever follows it, malformed events included', async () => {
    const first = chunk({ content: 'a' });
    const { chunks, error } = await drain([sse(first), `${DONE}${sse(chunk({ content: 'late' }))}data: {broken\n\n`, sse(chunk({ content: 'later' }))]);
    expect(error).toBeUndefined();
    expect(chunks).toEqual([first]);
  });

  it('accepts a compatible server that closes after a finish_reason without sending [DONE]', async () => {
    const sent = [chunk({ content: 'ok' }), chunk({}, 'stop'), { ...chunk({}), choices: [], usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }];
    const { chunks, error } = await drain(sent.map(sse));
    expect(error).toBeUndefined();
    expect(chunks).toEqual(sent);
  });

  it('fails with stream_truncated when the body ends with neither [DONE] nor a finish_reason, after yielding what came', async () => {
    const sent = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'half an ans' })];
    const { chunks, error } = await drain(sent.map(sse));
    expect(chunks).toEqual(sent);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ providerCode: 'stream_truncated', retryable: true, provider: 'openai', model: 'gpt-x' });
  });

  it('drops a last event cut off before its blank line, so a half-sent finish does not count', async () => {
    const error = await failure([sse(chunk({ content: 'a' })), `data: ${JSON.stringify(chunk({}, 'stop'))}\n`]);
    expect(error.providerCode).toBe('stream_truncated');
  });

  it('fails with malformed_response on invalid JSON and on a chunk without choices', async () => {
    const invalid = await failure([sse(chunk({ content: 'a' })), 'data: {"choices": [ nope\n\n']);
    expect(invalid).toMatchObject({ providerCode: 'malformed_response', retryable: true });
    const shapeless = await failure([sse({ id: 'x', object: 'chat.completion.chunk' })]);
    expect(shapeless).toMatchObject({ providerCode: 'malformed_response', retryable: true });
  });

  it('turns an error object inside the stream into a ProviderError with its type and code, the text only on opt-in and scrubbed', async () => {
    const first = chunk({ content: 'a' });
    const pieces = [sse(first), sse({ error: { message: `Rate limit reached for key ${SECRET} in project x.`, type: 'requests', code: 'rate_limit_exceeded' } })];
    const { chunks, error } = await drain(pieces);
    expect(chunks).toEqual([first]);
    expect(error).toBeInstanceOf(ProviderError);
    const provider = error as ProviderError;
    expect(provider).toMatchObject({ providerCode: 'rate_limit_exceeded', retryable: true, provider: 'openai', model: 'gpt-x' });
    // The provider's text may quote the prompt: by default only its type and code.
    expect(provider.message).toContain('(requests: rate_limit_exceeded)');
    expect(provider.message).not.toContain('Rate limit reached');
    const exposed = (await drain(pieces, { ...scope, exposeProviderMessages: true })).error as ProviderError;
    expect(exposed.message).not.toContain(SECRET);
    expect(exposed.message).toContain('Rate limit reached for key [redacted] in project x.');
  });

  it('reads `event: error` events, with or without an error wrapper, and uses the type when there is no code', async () => {
    const overloaded = await failure([`event: error\ndata: ${JSON.stringify({ message: 'Overloaded', type: 'server_error' })}\n\n`]);
    expect(overloaded).toMatchObject({ providerCode: 'server_error', retryable: true });
    expect(overloaded.message).toContain('(server_error)');
    expect(overloaded.message).not.toContain('Overloaded');
    const refused = await failure([sse({ error: { message: 'Invalid prompt', type: 'invalid_request_error', code: 'invalid_prompt' } })]);
    expect(refused).toMatchObject({ providerCode: 'invalid_prompt', retryable: false });
    const bare = await failure(['event: error\ndata:\n\n']);
    expect(bare.message).toContain('error event in stream');
  });

  it('keeps only an identifier-shaped type and code, falling back to the type, and judges retrying on what it kept', async () => {
    const prompt = 'my bank password is hunter2';
    const junk = await failure([sse({ error: { message: prompt, type: `invalid ${prompt} ${SECRET}`, code: `rate_limit ${'c'.repeat(100_000)}` } })]);
    expect(junk).toMatchObject({ providerCode: undefined, retryable: false });
    expect(junk.message).toMatch(/^openai\/gpt-x reported an error event in stream\. Its own message is withheld/);
    expect(`${junk.message}${JSON.stringify(junk)}`).not.toMatch(/hunter2|proj-live|ccc/);
    const typed = await failure([sse({ error: { type: 'server_error', code: { nested: prompt } } }), sse({ error: { type: 'x', code: SECRET } })]);
    expect(typed).toMatchObject({ providerCode: 'server_error', retryable: true });
    expect((await failure([sse({ error: { type: 'tokens', code: `err-${SECRET}` } })])).providerCode).toBe('tokens');
  });

  it('skips comments, field-only blocks and empty-data keep-alives', async () => {
    const sent = [chunk({ content: 'a' }), chunk({}, 'stop')];
    const { chunks, error } = await drain([': keep-alive\n\n', 'data:\n\n', sse(sent[0]), 'data: \n\nid: 7\nretry: 1000\n\n\n\nevent: ping\n\n', ': OPENROUTER PROCESSING\n', sse(sent[1])]);
    expect(error).toBeUndefined();
    expect(chunks).toEqual(sent);
  });

  it('turns a failure while reading the body into a retryable connection error', async () => {
    let reads = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (reads++ === 0) controller.enqueue(encoder.encode(sse(chunk({ content: 'a' }))));
        else controller.error(new TypeError('fetch failed'));
      },
    });
    const chunks: ChatCompletionChunk[] = [];
    let thrown: unknown;
    try {
      for await (const item of readOpenAIStream(body, scope)) chunks.push(item);
    } catch (error) {
      thrown = error;
    }
    expect(chunks).toHaveLength(1);
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ providerCode: 'connection_error', retryable: true });
  });

  it('cancels the body when the consumer stops early', async () => {
    const { body, state } = bodyOf([sse(chunk({ content: 'a' })), sse(chunk({ content: 'b' })), DONE]);
    const seen: ChatCompletionChunk[] = [];
    for await (const item of readOpenAIStream(body, scope)) {
      seen.push(item);
      break;
    }
    expect(seen).toHaveLength(1);
    expect(state.cancelled).toBe(true);
  });

  describe('fuzzed framing and unknown fields', () => {
    const extraKey = fc.string({ maxLength: 6 }).map((key) => `x_${key}`);
    const extras = fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }), { maxKeys: 3 });
    const text = fc.string({ unit: 'grapheme', maxLength: 12 });
    const fuzzedChunk = (finish: string | null) =>
      fc.record({ content: text, chunkExtra: extras, choiceExtra: extras, deltaExtra: extras }).map(({ content, chunkExtra, choiceExtra, deltaExtra }) => ({
        ...chunkExtra,
        id: 'chatcmpl-fuzz',
        object: 'chat.completion.chunk',
        created: 1,
        model: 'gpt-x',
        choices: [{ ...choiceExtra, index: 0, delta: { ...deltaExtra, content }, finish_reason: finish }],
      }));
    const singleLine = (value: string) => value.replace(/[\r\n]/g, '');
    /** Lines that dispatch nothing: comments, blank lines, blocks of fields other than data, keep-alives with empty data. */
    const noise = fc.oneof(
      text.map((comment) => [`:${singleLine(comment)}`]),
      fc.constant(['']),
      fc.constant(['data:', '']),
      fc.constant(['data: ', '']),
      fc.constant(['id: 42', 'retry: 3000', '']),
      fc.constant(['event: ping', '']),
    );
    const framed = fc.record({
      chunks: fc.array(fuzzedChunk(null), { maxLength: 6 }),
      last: fuzzedChunk('stop'),
      noise: fc.array(fc.array(noise, { maxLength: 2 }), { minLength: 8, maxLength: 8 }),
      spaceAfterColon: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      /** Pretty-printed JSON spread over several `data:` lines, which the decoder joins with LF. */
      multiLine: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      eol: fc.constantFrom('\n', '\r\n', '\r'),
      done: fc.boolean(),
      cuts: fc.array(fc.nat(), { maxLength: 16 }),
    });

    it('never changes the parsed chunks, whatever the unknown fields, noise, line endings, multi-line data and split points', async () => {
      await fc.assert(
        fc.asyncProperty(framed, async ({ chunks, last, noise: noiseAt, spaceAfterColon, multiLine, eol, done, cuts }) => {
          const sent = [...chunks, last];
          const lines: string[] = [];
          sent.forEach((value, i) => {
            for (const block of noiseAt[i] ?? []) lines.push(...block);
            const json = multiLine[i] ? JSON.stringify(value, null, 1) : JSON.stringify(value);
            for (const line of json.split('\n')) lines.push(`data:${spaceAfterColon[i] ? ' ' : ''}${line}`);
            lines.push('');
          });
          if (done) lines.push('data: [DONE]', '', 'data: {not json after the end', '');
          const bytes = encoder.encode(lines.map((line) => line + eol).join(''));
          // Repeated points give empty reads, which must be harmless too.
          const points = cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b);
          const pieces = [0, ...points].map((start, i) => bytes.subarray(start, [...points, bytes.length][i]));
          const { chunks: received, error } = await drain(pieces);
          expect(error).toBeUndefined();
          // What the JSON text says (fast-check's -0 travels as 0), unknown fields and all.
          expect(received).toEqual(sent.map((value) => JSON.parse(JSON.stringify(value)) as unknown));
        }),
        { numRuns: 200 },
      );
    });
  });
});
