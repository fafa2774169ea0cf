import { ContentFilterError, ProviderError } from '@switchyard/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromGeminiResponse, throwIfBlocked, toCompletionUsage, toFinishReason, toolCallId, type ResponseScope } from './from-gemini-response.js';
import { wireResponseSchema, type WireResponse } from './gemini-wire.js';
import { DEFAULT_GEMINI_THINKING_BUDGETS, toGeminiRequest } from './to-gemini-request.js';

const scope: ResponseScope = { provider: 'google', model: 'gemini-2.5-flash' };
const CREATED = 1_700_000_000;

/** A response as the adapter hands it over: checked by the same loose schema. */
const response = (body: Record<string, unknown>): WireResponse => wireResponseSchema.parse({ responseId: 'resp-1', modelVersion: 'gemini-2.5-flash-001', ...body });
const oneCandidate = (parts: object[], finishReason: string | undefined = 'STOP') => response({ candidates: [{ content: { role: 'model', parts }, ...(finishReason ? { finishReason } : {}) }] });
const translate = (wire: WireResponse) => fromGeminiResponse(wire, scope, CREATED);
const messageOf = (wire: WireResponse) => translate(wire).choices[0]?.message;

describe('fromGeminiResponse: content', () => {
  it('joins text parts into content and thought parts into reasoning_content', () => {
    const completion = translate(
      response({
        candidates: [
          {
            content: { role: 'model', parts: [{ text: 'Let me ', thought: true }, { text: 'think.', thought: true }, { text: 'The answer' }, { text: ' is 4.' }] },
            finishReason: 'STOP',
          },
        ],
        usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 4, thoughtsTokenCount: 3, totalTokenCount: 12 },
      }),
    );
    expect(completion).toEqual({
      id: 'resp-1',
      object: 'chat.completion',
      created: CREATED,
      model: 'gemini-2.5-flash-001',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'The answer is 4.', refusal: null, reasoning_content: 'Let me think.' },
          finish_reason: 'stop',
          logprobs: null,
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 7, total_tokens: 12, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 3 } },
    });
  });

  it('falls back to a gemini-<created> id and the requested model when the response names neither', () => {
    const completion = fromGeminiResponse(wireResponseSchema.parse({ candidates: [{ content: { parts: [{ text: 'ok' }] } }] }), scope, CREATED);
    expect(completion).toMatchObject({ id: `gemini-${CREATED}`, model: 'gemini-2.5-flash', choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] });
  });

  it('turns function calls into tool_calls with JSON arguments, and content null when there is no text', () => {
    const message = messageOf(oneCandidate([{ functionCall: { name: 'weather', args: { city: 'Paris', days: 2 } } }, { functionCall: { name: 'clock' } }]));
    expect(message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: toolCallId('resp-1', 0, 0), type: 'function', function: { name: 'weather', arguments: '{"city":"Paris","days":2}' } },
        { id: toolCallId('resp-1', 0, 1), type: 'function', function: { name: 'clock', arguments: '{}' } },
      ],
    });
  });

  it('keeps text that comes beside function calls', () => {
    const message = messageOf(oneCandidate([{ text: 'Checking.' }, { functionCall: { name: 'weather', args: { city: 'Rome' } } }]));
    expect(message?.content).toBe('Checking.');
    expect(message?.tool_calls).toHaveLength(1);
  });

  it('gives calls stable ids: the same response always yields the same ids, different positions different ones', () => {
    const parts = [{ functionCall: { name: 'a', args: {} } }, { functionCall: { name: 'b', args: {} } }];
    const first = messageOf(oneCandidate(parts))?.tool_calls?.map((call) => call.id);
    const again = messageOf(oneCandidate(structuredClone(parts)))?.tool_calls?.map((call) => call.id);
    expect(first).toEqual(again);
    expect(new Set(first).size).toBe(2);

    const ids = ['resp-1', 'resp-2'].flatMap((id) => [0, 1, 2].flatMap((choice) => [0, 1, 2, 3, 4].map((call) => toolCallId(id, choice, call))));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^call_[0-9a-z]+$/);
  });

  it('returns thought signatures as reasoning_details, tied to the call id when they sit on a functionCall part', () => {
    const message = messageOf(
      oneCandidate([
        { text: 'Planning.', thought: true, thoughtSignature: 'sig-text' },
        { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-call' },
        { functionCall: { name: 'weather', args: { city: 'Rome' } } },
      ]),
    );
    expect(message?.reasoning_details).toEqual([
      { type: 'signature', signature: 'sig-text' },
      { type: 'signature', signature: 'sig-call', tool_call_id: toolCallId('resp-1', 0, 0) },
    ]);
  });

  it('round-trips: the returned message, sent back, puts each signature on the part Gemini put it on', async () => {
    const message = messageOf(
      oneCandidate([
        { functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' },
        { functionCall: { name: 'weather', args: { city: 'Rome' } } },
      ]),
    );
    if (!message) throw new Error('expected a message');
    const request = await toGeminiRequest(
      {
        model: 'gemini-2.5-flash',
        messages: [
          { role: 'user', content: 'Paris and Rome?' },
          { role: 'assistant', content: message.content, tool_calls: message.tool_calls, reasoning_details: message.reasoning_details },
          ...(message.tool_calls ?? []).map((call) => ({ role: 'tool' as const, tool_call_id: call.id, content: '{"temp":20}' })),
        ],
      },
      { images: { maxBytes: 1, timeoutMs: 1, fetch: false }, thinkingBudgets: DEFAULT_GEMINI_THINKING_BUDGETS, signal: undefined },
    );
    expect(request.contents.slice(1)).toEqual([
      {
        role: 'model',
        parts: [{ functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-1' }, { functionCall: { name: 'weather', args: { city: 'Rome' } } }],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'weather', response: { temp: 20 } } },
          { functionResponse: { name: 'weather', response: { temp: 20 } } },
        ],
      },
    ]);
  });

  it('answers n > 1 with one choice per candidate, each with its index, finish reason and own call ids', () => {
    const completion = translate(
      response({
        candidates: [
          { content: { parts: [{ text: 'First.' }] }, finishReason: 'STOP' },
          { index: 1, content: { parts: [{ functionCall: { name: 'f', args: {} } }] }, finishReason: 'STOP' },
          { index: 2, content: { parts: [{ text: 'Third, cut' }] }, finishReason: 'MAX_TOKENS' },
        ],
      }),
    );
    expect(completion.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason])).toEqual([
      [0, 'First.', 'stop'],
      [1, null, 'tool_calls'],
      [2, 'Third, cut', 'length'],
    ]);
    expect(completion.choices[1]?.message.tool_calls?.[0]?.id).toBe(toolCallId('resp-1', 1, 0));
  });
});

describe('toFinishReason', () => {
  it('maps Gemini finish reasons to OpenAI ones', () => {
    expect(toFinishReason('STOP', false, scope)).toBe('stop');
    expect(toFinishReason('STOP', true, scope)).toBe('tool_calls');
    expect(toFinishReason('MAX_TOKENS', false, scope)).toBe('length');
    expect(toFinishReason('MAX_TOKENS', true, scope)).toBe('length');
    for (const reason of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY']) {
      expect(toFinishReason(reason, false, scope)).toBe('content_filter');
      expect(toFinishReason(reason, true, scope)).toBe('content_filter');
    }
    expect(toFinishReason('OTHER', false, scope)).toBe('stop');
    expect(toFinishReason('FINISH_REASON_UNSPECIFIED', false, scope)).toBe('stop');
  });

  it('treats a missing finish reason in a response as STOP', () => {
    expect(translate(oneCandidate([{ text: 'ok' }], undefined)).choices[0]?.finish_reason).toBe('stop');
    expect(translate(oneCandidate([{ functionCall: { name: 'f' } }], undefined)).choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('throws a retryable ProviderError for a function call Gemini could not complete, never a silent stop', () => {
    for (const reason of ['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']) {
      expect(() => toFinishReason(reason, false, scope)).toThrow(
        expect.objectContaining({ name: 'ProviderError', provider: 'google', model: 'gemini-2.5-flash', retryable: true, providerCode: reason.toLowerCase() }),
      );
    }
    let thrown: unknown;
    try {
      translate(oneCandidate([{ text: 'I will call' }], 'MALFORMED_FUNCTION_CALL'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProviderError);
    expect(thrown).toMatchObject({ retryable: true, providerCode: 'malformed_function_call' });
  });
});

describe('throwIfBlocked', () => {
  it('throws ContentFilterError with the reason when Gemini refused the prompt and sent no candidates', () => {
    const blocked = response({ promptFeedback: { blockReason: 'PROHIBITED_CONTENT', blockReasonMessage: 'The prompt was blocked.' } });
    let thrown: unknown;
    try {
      throwIfBlocked(blocked, scope);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ContentFilterError);
    expect(thrown).toMatchObject({ reason: 'PROHIBITED_CONTENT', code: 'content_filter', retryable: false, provider: 'google', model: 'gemini-2.5-flash' });
    expect((thrown as ContentFilterError).message).toContain('The prompt was blocked.');
    expect(() => translate(response({ candidates: [], promptFeedback: { blockReason: 'SAFETY' } }))).toThrow(expect.objectContaining({ name: 'ContentFilterError', reason: 'SAFETY' }));
  });

  it('lets a response through when it has candidates or no block reason', () => {
    expect(() => throwIfBlocked(response({ promptFeedback: { blockReason: 'SAFETY' }, candidates: [{ content: { parts: [{ text: 'ok' }] } }] }), scope)).not.toThrow();
    expect(() => throwIfBlocked(response({ promptFeedback: {} }), scope)).not.toThrow();
    expect(() => throwIfBlocked(response({}), scope)).not.toThrow();
  });
});

describe('toCompletionUsage', () => {
  it('counts cached tokens inside the prompt, and thoughts as completion and reasoning tokens', () => {
    expect(toCompletionUsage({ promptTokenCount: 100, cachedContentTokenCount: 60, candidatesTokenCount: 20, thoughtsTokenCount: 30, totalTokenCount: 150 })).toEqual({
      prompt_tokens: 100,
      completion_tokens: 50,
      total_tokens: 150,
      prompt_tokens_details: { cached_tokens: 60 },
      completion_tokens_details: { reasoning_tokens: 30 },
    });
  });

  it('adds tool-use prompt tokens to the prompt and works the total out when Gemini leaves it out', () => {
    expect(toCompletionUsage({ promptTokenCount: 10, toolUsePromptTokenCount: 5, candidatesTokenCount: 3 })).toMatchObject({ prompt_tokens: 15, completion_tokens: 3, total_tokens: 18 });
  });

  it('reports zeros for missing usage and missing counts', () => {
    const zeros = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };
    expect(toCompletionUsage(undefined)).toEqual(zeros);
    expect(toCompletionUsage(null)).toEqual(zeros);
    expect(toCompletionUsage({ promptTokenCount: null, candidatesTokenCount: null, trafficType: 'ON_DEMAND' })).toEqual(zeros);
    expect(translate(oneCandidate([{ text: 'ok' }])).usage).toEqual(zeros);
  });

  it("keeps total = prompt + completion for any counts Gemini's own total agrees with", () => {
    const count = fc.nat({ max: 1_000_000 });
    fc.assert(
      fc.property(count, count, count, count, count, (prompt, toolUse, candidates, thoughts, cached) => {
        const usage = toCompletionUsage({
          promptTokenCount: prompt,
          toolUsePromptTokenCount: toolUse,
          candidatesTokenCount: candidates,
          thoughtsTokenCount: thoughts,
          cachedContentTokenCount: Math.min(cached, prompt),
          totalTokenCount: prompt + toolUse + candidates + thoughts,
        });
        expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
        expect(usage.completion_tokens_details?.reasoning_tokens).toBeLessThanOrEqual(usage.completion_tokens);
        expect(usage.prompt_tokens_details?.cached_tokens).toBeLessThanOrEqual(usage.prompt_tokens);
      }),
      { numRuns: 200 },
    );
  });
});
