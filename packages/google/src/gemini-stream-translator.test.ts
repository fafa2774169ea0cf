import { ContentFilterError, ProviderError, type ChatCompletionChunk, type ChatCompletionToolCallDelta } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromGeminiResponse, toCompletionUsage, toolCallId, type ResponseScope } from './from-gemini-response.js';
import { GeminiStreamTranslator } from './gemini-stream-translator.js';
import { wireResponseSchema } from './gemini-wire.js';

const scope: ResponseScope = { provider: 'google', model: 'gemini-x' };
const ID = 'resp-stream';
const CREATED = 1_700_000_000;

type Json = Record<string, unknown>;

/** One streamed event, as the adapter hands it over: checked by the same loose schema. */
const event = (parts: Json[], candidate: Json = {}, extra: Json = {}): Json => ({
  responseId: ID,
  modelVersion: 'gemini-x-001',
  candidates: [{ content: { role: 'model', parts }, ...candidate }],
  ...extra,
});
const finish = (reason = 'STOP', usageMetadata: Json = { promptTokenCount: 10, candidatesTokenCount: 5, totalTokenCount: 15 }) =>
  event([{ text: '' }], { finishReason: reason }, { usageMetadata });

function run(events: Json[]) {
  const translator = new GeminiStreamTranslator(scope, CREATED);
  const chunks: ChatCompletionChunk[] = [];
  for (const body of events) chunks.push(...translator.push(wireResponseSchema.parse(body)));
  return { chunks, translator };
}

const choicesOf = (chunks: ChatCompletionChunk[]) => chunks.flatMap((chunk) => chunk.choices);
const textOf = (chunks: ChatCompletionChunk[], index = 0) =>
  choicesOf(chunks)
    .filter((choice) => choice.index === index)
    .map((choice) => choice.delta.content ?? '')
    .join('');
const callsOf = (chunks: ChatCompletionChunk[]): ChatCompletionToolCallDelta[] => choicesOf(chunks).flatMap((choice) => choice.delta.tool_calls ?? []);
const finishesOf = (chunks: ChatCompletionChunk[]) => choicesOf(chunks).flatMap((choice) => (choice.finish_reason ? [[choice.index, choice.finish_reason]] : []));

describe('GeminiStreamTranslator', () => {
  it('sends the arguments of a streamed call still open when the finish arrives', () => {
    const { chunks } = run([
      event([{ functionCall: { name: 'lookup', willContinue: true } }]),
      event([{ functionCall: { partialArgs: [{ jsonPath: '$.q', stringValue: 'x' }], willContinue: true } }]),
      finish(),
    ]);
    const args = callsOf(chunks).map((call) => call.function?.arguments ?? '').join('');
    expect(JSON.parse(args)).toEqual({ q: 'x' });
    expect(finishesOf(chunks)).toEqual([[0, 'tool_calls']]);
  });

  it('starts with a role chunk, then streams thought and text deltas, a finish chunk and a usage chunk', () => {
    const { chunks, translator } = run([event([{ text: 'Plan: greet.', thought: true }]), event([{ text: 'Hel' }]), event([{ text: 'lo' }]), finish()]);
    expect(chunks[0]).toEqual({
      id: ID,
      object: 'chat.completion.chunk',
      created: CREATED,
      model: 'gemini-x-001',
      choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null, logprobs: null }],
    });
    expect(choicesOf(chunks).map((choice) => choice.delta)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'Plan: greet.' },
      { content: 'Hel' },
      { content: 'lo' },
      {},
    ]);
    expect(finishesOf(chunks)).toEqual([[0, 'stop']]);
    expect(chunks.at(-1)).toMatchObject({ id: ID, choices: [], usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 } });
    expect(translator.complete).toBe(true);
  });

  it('sends a whole function call as one delta with its id, name and full arguments, with the non-stream id', () => {
    const parts = [{ functionCall: { name: 'weather', args: { city: 'Paris', days: 2 } }, thoughtSignature: 'sig-w' }];
    const { chunks } = run([event(parts), finish()]);
    const id = toolCallId(ID, 0, 0);
    expect(callsOf(chunks)).toEqual([{ index: 0, id, type: 'function', function: { name: 'weather', arguments: '{"city":"Paris","days":2}' } }]);
    expect(choicesOf(chunks).flatMap((choice) => choice.delta.reasoning_details ?? [])).toEqual([{ type: 'signature', signature: 'sig-w', tool_call_id: id }]);
    expect(finishesOf(chunks)).toEqual([[0, 'tool_calls']]);
    // The same answer, not streamed, names the call the same way.
    const whole = fromGeminiResponse(wireResponseSchema.parse(event(parts, { finishReason: 'STOP' })), scope, CREATED);
    expect(whole.choices[0]?.message.tool_calls?.[0]?.id).toBe(id);
  });

  it('assembles a Gemini 3 streamed call (partialArgs) into a start delta and one arguments delta when it closes', () => {
    const piece = (partialArgs: Json[]) => event([{ functionCall: { partialArgs, willContinue: true } }]);
    const events = [
      event([{ functionCall: { name: 'plan_trip', willContinue: true }, thoughtSignature: 'sig-trip' }]),
      piece([{ jsonPath: '$.location', stringValue: 'San ', willContinue: true }]),
      piece([{ jsonPath: '$.location', stringValue: 'Francisco' }]),
      piece([
        { jsonPath: '$.trip.stops[0]', stringValue: 'Rome' },
        { jsonPath: '$.trip.stops[1]', stringValue: 'Pa', willContinue: true },
      ]),
      piece([
        { jsonPath: '$.trip.stops[1]', stringValue: 'ris' },
        { jsonPath: '$.days', numberValue: 3 },
        { jsonPath: '$.trip.flexible', boolValue: false },
        { jsonPath: '$.note', nullValue: null },
      ]),
      event([{ functionCall: {} }]),
      finish(),
    ];
    const translator = new GeminiStreamTranslator(scope, CREATED);
    const perEvent = events.map((body) => translator.push(wireResponseSchema.parse(body)));
    const id = toolCallId(ID, 0, 0);
    expect(callsOf(perEvent[0] ?? [])).toEqual([{ index: 0, id, type: 'function', function: { name: 'plan_trip', arguments: '' } }]);
    // Nothing goes out while the arguments are still arriving.
    for (const chunks of perEvent.slice(1, 5)) expect(chunks).toEqual([]);
    const closing = callsOf(perEvent[5] ?? []);
    expect(closing).toEqual([{ index: 0, function: { arguments: expect.any(String) } }]);
    expect(JSON.parse(closing[0]?.function?.arguments ?? '')).toEqual({ location: 'San Francisco', trip: { stops: ['Rome', 'Paris'], flexible: false }, days: 3, note: null });
    const all = perEvent.flat();
    expect(choicesOf(all).flatMap((choice) => choice.delta.reasoning_details ?? [])).toEqual([{ type: 'signature', signature: 'sig-trip', tool_call_id: id }]);
    expect(finishesOf(all)).toEqual([[0, 'tool_calls']]);
  });

  it('keeps arguments sent with the start of a streamed call and closes a call whose last part carries pieces', () => {
    const { chunks } = run([
      event([{ functionCall: { name: 'f', args: { fixed: 1 }, partialArgs: [{ jsonPath: '$.a', stringValue: 'x' }], willContinue: true } }]),
      event([{ functionCall: { partialArgs: [{ jsonPath: '$.a', stringValue: 'y' }] } }]),
      finish(),
    ]);
    const calls = callsOf(chunks);
    expect(calls).toHaveLength(2);
    expect(JSON.parse(calls[1]?.function?.arguments ?? '')).toEqual({ fixed: 1, a: 'xy' });
  });

  it('numbers several calls 0, 1, 2, whole and streamed alike, each with its own id', () => {
    const { chunks } = run([
      event([{ functionCall: { name: 'read_theme' } }]),
      event([{ functionCall: { name: 'read_screen', willContinue: true } }]),
      event([{ functionCall: { partialArgs: [{ jsonPath: '$.id', stringValue: 'A' }], willContinue: true } }]),
      event([{ functionCall: {} }]),
      event([{ functionCall: { name: 'read_screen', args: { id: 'B' } } }]),
      finish(),
    ]);
    const calls = callsOf(chunks);
    expect(calls.map((call) => call.index)).toEqual([0, 1, 1, 2]);
    expect(calls.filter((call) => call.id).map((call) => call.id)).toEqual([toolCallId(ID, 0, 0), toolCallId(ID, 0, 1), toolCallId(ID, 0, 2)]);
    expect(calls.map((call) => call.function?.arguments)).toEqual(['{}', '', '{"id":"A"}', '{"id":"B"}']);
    expect(finishesOf(chunks)).toEqual([[0, 'tool_calls']]);
  });

  it('counts cumulative usage once, from the last report, in a chunk with no choices at the finish', () => {
    const translator = new GeminiStreamTranslator(scope, CREATED);
    const push = (body: Json) => translator.push(wireResponseSchema.parse(body));
    const early = [
      ...push(event([{ text: 'a' }], {}, { usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 1, totalTokenCount: 11 } })),
      ...push(event([{ text: 'b' }], {}, { usageMetadata: { trafficType: 'ON_DEMAND' } })),
      ...push(event([{ text: 'c' }], {}, { usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 3, totalTokenCount: 13 } })),
    ];
    expect(translator.complete).toBe(false);
    expect(early.filter((chunk) => chunk.usage)).toEqual([]);
    const finalUsage = { promptTokenCount: 10, cachedContentTokenCount: 4, candidatesTokenCount: 8, thoughtsTokenCount: 6, totalTokenCount: 24 };
    const last = push(finish('STOP', finalUsage));
    expect(translator.complete).toBe(true);
    const withUsage = [...early, ...last].filter((chunk) => chunk.usage);
    expect(withUsage).toHaveLength(1);
    expect(last.at(-1)).toEqual({ id: ID, object: 'chat.completion.chunk', created: CREATED, model: 'gemini-x-001', choices: [], usage: toCompletionUsage(finalUsage) });
    expect(last.at(-1)?.usage).toMatchObject({ prompt_tokens: 10, completion_tokens: 14, total_tokens: 24, prompt_tokens_details: { cached_tokens: 4 }, completion_tokens_details: { reasoning_tokens: 6 } });
  });

  it('uses the last usage seen when the finishing event reports none, and never finishes twice', () => {
    const { chunks, translator } = run([
      event([{ text: 'a' }], {}, { usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 } }),
      event([], { finishReason: 'STOP' }),
      event([{ text: '' }], { finishReason: 'STOP' }),
    ]);
    expect(translator.complete).toBe(true);
    expect(finishesOf(chunks)).toEqual([[0, 'stop']]);
    expect(chunks.filter((chunk) => chunk.usage).map((chunk) => chunk.usage?.total_tokens)).toEqual([5]);
  });

  it('holds the usage chunk when the finish reports no usage yet, and sends it with the usage that follows', () => {
    const translator = new GeminiStreamTranslator(scope, CREATED);
    const push = (body: Json) => translator.push(wireResponseSchema.parse(body));
    const early = [...push(event([{ text: 'a' }])), ...push(event([], { finishReason: 'STOP' }))];
    expect(finishesOf(early)).toEqual([[0, 'stop']]);
    expect(early.filter((chunk) => chunk.usage)).toEqual([]);
    expect(translator.complete).toBe(false);
    const late = push({ responseId: ID, usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 } });
    expect(late).toEqual([{ id: ID, object: 'chat.completion.chunk', created: CREATED, model: 'gemini-x-001', choices: [], usage: toCompletionUsage({ promptTokenCount: 3, candidatesTokenCount: 2, totalTokenCount: 5 }) }]);
    expect(translator.complete).toBe(true);
    expect(translator.end()).toEqual([]);
  });

  it('sends the usage chunk at the end of a finished stream that never reported usage, and not for an unfinished one', () => {
    const { chunks, translator } = run([event([{ text: 'a' }]), event([], { finishReason: 'STOP' })]);
    expect(chunks.filter((chunk) => chunk.usage)).toEqual([]);
    const end = translator.end();
    expect(end).toHaveLength(1);
    expect(end[0]).toMatchObject({ id: ID, choices: [], usage: toCompletionUsage(undefined) });
    expect(translator.complete).toBe(true);
    const unfinished = run([event([{ text: 'a' }], {}, { usageMetadata: { promptTokenCount: 1 } })]).translator;
    expect(unfinished.end()).toEqual([]);
    expect(unfinished.complete).toBe(false);
  });

  it('with n = 2, waits for a candidate that first appears after the other finished before completing', () => {
    const translator = new GeminiStreamTranslator(scope, CREATED, 2);
    const push = (body: Json) => translator.push(wireResponseSchema.parse(body));
    const usage = (candidatesTokenCount: number) => ({ promptTokenCount: 2, candidatesTokenCount, totalTokenCount: 2 + candidatesTokenCount });
    const first = push({ responseId: ID, candidates: [{ index: 0, content: { parts: [{ text: 'A' }] }, finishReason: 'STOP' }], usageMetadata: usage(1) });
    expect(translator.complete).toBe(false);
    expect(first.filter((chunk) => chunk.usage)).toEqual([]);
    const second = push({ responseId: ID, candidates: [{ index: 1, content: { parts: [{ text: 'B' }] }, finishReason: 'STOP' }], usageMetadata: usage(2) });
    expect(translator.complete).toBe(true);
    const chunks = [...first, ...second];
    expect(textOf(chunks, 1)).toBe('B');
    expect(finishesOf(chunks)).toEqual([
      [0, 'stop'],
      [1, 'stop'],
    ]);
    expect(chunks.filter((chunk) => chunk.usage)).toEqual([chunks.at(-1)]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(2);
  });

  it('throws ContentFilterError when the prompt is blocked', () => {
    let thrown: unknown;
    try {
      run([{ responseId: ID, promptFeedback: { blockReason: 'SAFETY', blockReasonMessage: 'no' }, usageMetadata: { promptTokenCount: 4 } }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContentFilterError);
    expect(thrown).toMatchObject({ reason: 'SAFETY', provider: 'google', model: 'gemini-x' });
  });

  it('throws a retryable ProviderError on MALFORMED_FUNCTION_CALL instead of finishing', () => {
    let thrown: unknown;
    try {
      run([event([{ text: 'Calling.' }]), event([], { finishReason: 'MALFORMED_FUNCTION_CALL' })]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ retryable: true, providerCode: 'malformed_function_call' });
  });

  it('maps length and safety stops', () => {
    expect(finishesOf(run([event([{ text: 'a' }]), finish('MAX_TOKENS')]).chunks)).toEqual([[0, 'length']]);
    expect(finishesOf(run([event([{ text: 'a' }]), finish('SAFETY')]).chunks)).toEqual([[0, 'content_filter']]);
  });

  it('gives two candidates (n = 2) their own role delta, content, calls and finish, and completes when both have finished', () => {
    const translator = new GeminiStreamTranslator(scope, CREATED);
    const push = (body: Json) => translator.push(wireResponseSchema.parse(body));
    const first = push({ responseId: ID, candidates: [{ content: { parts: [{ text: 'A1' }] } }, { index: 1, content: { parts: [{ text: 'B1' }] } }] });
    const second = push({
      responseId: ID,
      candidates: [{ content: { parts: [{ text: 'A2' }] }, finishReason: 'STOP' }, { index: 1, content: { parts: [{ functionCall: { name: 'f', args: {} } }] } }],
    });
    expect(translator.complete).toBe(false);
    const third = push({ responseId: ID, candidates: [{ index: 1, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 2, candidatesTokenCount: 4, totalTokenCount: 6 } });
    expect(translator.complete).toBe(true);
    const chunks = [...first, ...second, ...third];
    for (const index of [0, 1]) {
      // OpenAI opens every choice with its role; the openai SDK's stream helpers fail without it.
      const own = choicesOf(chunks).filter((choice) => choice.index === index);
      expect(own[0]?.delta).toEqual({ role: 'assistant', content: '' });
      expect(own.filter((choice) => choice.delta.role)).toHaveLength(1);
    }
    expect(textOf(chunks, 0)).toBe('A1A2');
    expect(textOf(chunks, 1)).toBe('B1');
    expect(callsOf(chunks)).toEqual([{ index: 0, id: toolCallId(ID, 1, 0), type: 'function', function: { name: 'f', arguments: '{}' } }]);
    expect(finishesOf(chunks)).toEqual([
      [0, 'stop'],
      [1, 'tool_calls'],
    ]);
    expect(chunks.filter((chunk) => chunk.usage)).toEqual([chunks.at(-1)]);
  });

  describe('fuzzed unknown fields and part kinds', () => {
    /** A stream exercising every known part kind: thoughts, text, signatures, whole and streamed calls, usage. */
    const base: Json[] = [
      event([{ text: 'Thinking it over.', thought: true }], {}, { usageMetadata: { trafficType: 'ON_DEMAND' } }),
      event([{ text: 'Let me check ' }, { text: 'the weather.', thoughtSignature: 'sig-text' }]),
      event([{ functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-w' }]),
      event([{ functionCall: { name: 'plan_trip', willContinue: true }, thoughtSignature: 'sig-p' }]),
      event([{ functionCall: { partialArgs: [{ jsonPath: '$.stops[0]', stringValue: 'Ro', willContinue: true }], willContinue: true } }]),
      event([{ functionCall: { partialArgs: [{ jsonPath: '$.stops[0]', stringValue: 'me' }, { jsonPath: '$.days', numberValue: 2 }], willContinue: true } }]),
      event([{ functionCall: {} }]),
      event([{ text: '' }], { finishReason: 'STOP' }, { usageMetadata: { promptTokenCount: 20, cachedContentTokenCount: 5, candidatesTokenCount: 9, thoughtsTokenCount: 7, totalTokenCount: 36 } }),
    ];
    const expected = JSON.stringify(run(base).chunks);

    const extraKey = fc.string({ maxLength: 6 }).map((key) => `x_${key}`);
    const extraFields = fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
    const unknownPart = fc.oneof(
      fc.constant({}),
      fc.record({ executableCode: fc.record({ language: fc.constant('PYTHON'), code: fc.string() }) }),
      fc.record({ codeExecutionResult: fc.record({ outcome: fc.constant('OUTCOME_OK'), output: fc.string() }) }),
      fc.record({ inlineData: fc.record({ mimeType: fc.constant('image/png'), data: fc.base64String({ maxLength: 12 }) }) }),
      fc.record({ fileData: fc.record({ mimeType: fc.constant('application/pdf'), fileUri: fc.webUrl() }) }),
      fc.record({ videoMetadata: fc.record({ startOffset: fc.constant('1s') }) }),
      fc.dictionary(extraKey, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 2 }),
    );

    /** Adds extra fields, drawn in turn from `pool`, at every level of every event. */
    function decorate(events: Json[], pool: Json[]): Json[] {
      let turn = 0;
      const extra = () => pool[turn++ % pool.length] ?? {};
      const asList = (value: unknown) => (Array.isArray(value) ? (value as Json[]) : []);
      const part = (p: Json): Json => {
        const call = p.functionCall as Json | undefined;
        if (!call) return { ...extra(), ...p };
        const pieces = call.partialArgs === undefined ? {} : { partialArgs: asList(call.partialArgs).map((piece) => ({ ...extra(), ...piece })) };
        return { ...extra(), ...p, functionCall: { ...extra(), ...call, ...pieces } };
      };
      return events.map((body) => {
        const usage = body.usageMetadata === undefined ? {} : { usageMetadata: { ...extra(), ...(body.usageMetadata as Json) } };
        const candidates = asList(body.candidates).map((candidate) => {
          const content = candidate.content as Json;
          return { ...extra(), ...candidate, content: { ...extra(), ...content, parts: asList(content.parts).map(part) } };
        });
        return { ...extra(), ...body, ...usage, candidates };
      });
    }

    it('never throws and never changes the chunks produced for the known parts', () => {
      fc.assert(
        fc.property(
          fc.array(extraFields, { minLength: 1, maxLength: 6 }),
          fc.array(fc.tuple(fc.nat(), fc.nat(), unknownPart), { maxLength: 8 }),
          fc.array(fc.tuple(fc.nat(), fc.array(unknownPart, { minLength: 1, maxLength: 3 })), { maxLength: 3 }),
          (pool, partInserts, eventInserts) => {
            const events = structuredClone(base);
            for (const [at, where, inserted] of partInserts) {
              const parts = ((events[at % events.length]?.candidates as Json[])[0]?.content as Json).parts as Json[];
              parts.splice(where % (parts.length + 1), 0, inserted);
            }
            for (const [at, parts] of eventInserts) events.splice(at % (events.length + 1), 0, event(parts));
            expect(JSON.stringify(run(decorate(events, pool)).chunks)).toBe(expected);
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
