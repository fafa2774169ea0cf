import {
  InvalidRequestError,
  UnsupportedFeatureError,
  type ChatCompletionCreateParams,
  type ChatCompletionToolChoiceOption,
} from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import type { GeminiRequest } from './gemini-wire.js';
import {
  DEFAULT_GEMINI_THINKING_BUDGETS,
  toGeminiRequest,
  translateGeminiRequest,
  type GeminiThinkingBudgets,
  type ImageFetchOptions,
} from './to-gemini-request.js';
import { toGeminiSchema } from './to-gemini-schema.js';
import { rejection } from './test-rejection.js';

/** A real 1×1 PNG, base64. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

function translate(
  params: Partial<ChatCompletionCreateParams>,
  images: Partial<ImageFetchOptions> = {},
  thinkingBudgets: GeminiThinkingBudgets = DEFAULT_GEMINI_THINKING_BUDGETS,
): Promise<GeminiRequest> {
  return toGeminiRequest(
    { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }], ...params },
    { images: { maxBytes: 1_024, timeoutMs: 5_000, ...images }, thinkingBudgets, signal: undefined },
  );
}


const weatherCall = (id: string, city: string) => ({ id, type: 'function' as const, function: { name: 'weather', arguments: JSON.stringify({ city }) } });

describe('empty user text', () => {
  it('is left out, since Gemini rejects empty text parts', async () => {
    const request = await translate({ messages: [{ role: 'user', content: '' }, { role: 'user', content: 'hi' }] });
    expect(request.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }]);
  });
});

describe('toGeminiRequest: messages', () => {
  it('moves system and developer messages, in order, to systemInstruction and skips empty ones', async () => {
    const request = await translate({
      messages: [
        { role: 'system', content: 'Be terse.' },
        { role: 'user', content: 'hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Use metric' }, { type: 'text', text: ' units.' }] },
        { role: 'system', content: '' },
      ],
    });
    expect(request.systemInstruction).toEqual({ role: 'user', parts: [{ text: 'Be terse.' }, { text: 'Use metric units.' }] });
    expect(request.contents).toEqual([{ role: 'user', parts: [{ text: 'hi' }] }]);
  });

  it('sends no systemInstruction, tools or toolConfig when the request has none', async () => {
    const request = await translate({});
    expect(request).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });

  it('merges consecutive same-role turns and sends assistant turns as role model', async () => {
    const request = await translate({
      messages: [
        { role: 'user', content: 'a' },
        { role: 'user', content: [{ type: 'text', text: 'b' }] },
        { role: 'assistant', content: 'c' },
        { role: 'assistant', content: [{ type: 'text', text: 'd' }] },
        { role: 'user', content: 'e' },
      ],
    });
    expect(request.contents).toEqual([
      { role: 'user', parts: [{ text: 'a' }, { text: 'b' }] },
      { role: 'model', parts: [{ text: 'c' }, { text: 'd' }] },
      { role: 'user', parts: [{ text: 'e' }] },
    ]);
  });

  it('sends assistant tool calls as functionCall parts with their arguments parsed', async () => {
    const request = await translate({
      messages: [
        { role: 'user', content: 'Weather in Paris? And the time?' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [weatherCall('call_a', 'Paris'), { id: 'call_b', type: 'function', function: { name: 'time', arguments: '  ' } }],
        },
      ],
    });
    expect(request.contents[1]).toEqual({
      role: 'model',
      parts: [{ text: 'Checking.' }, { functionCall: { name: 'weather', args: { city: 'Paris' } } }, { functionCall: { name: 'time', args: {} } }],
    });
  });

  it('refuses tool call arguments that are not JSON, naming the field', async () => {
    const error = await rejection(
      translate({ messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{"a":' } }] }] }),
      InvalidRequestError,
    );
    expect(error.issues).toEqual([{ path: 'messages.1.tool_calls.0.function.arguments', message: 'not valid JSON' }]);
  });

  it('answers tool messages with functionResponse parts named after the call they answer', async () => {
    const request = await translate({
      messages: [
        { role: 'user', content: 'Weather in Paris, and the time?' },
        { role: 'assistant', tool_calls: [weatherCall('call_w', 'Paris'), { id: 'call_t', type: 'function', function: { name: 'clock', arguments: '{}' } }] },
        // Answered out of order: the name comes from the id, not the position.
        { role: 'tool', tool_call_id: 'call_t', content: '"10:00"' },
        { role: 'tool', tool_call_id: 'call_w', content: [{ type: 'text', text: '{"temp":' }, { type: 'text', text: '21,"unit":"C"}' }] },
      ],
    });
    expect(request.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris, and the time?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'weather', args: { city: 'Paris' } } }, { functionCall: { name: 'clock', args: {} } }] },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'clock', response: { result: '10:00' } } },
          { functionResponse: { name: 'weather', response: { temp: 21, unit: 'C' } } },
        ],
      },
    ]);
  });

  it('passes a JSON object tool result as the response and wraps anything else in { result }', async () => {
    const responseFor = async (content: string) => {
      const request = await translate({
        messages: [
          { role: 'user', content: 'go' },
          { role: 'assistant', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{}' } }] },
          { role: 'tool', tool_call_id: 'call_1', content },
        ],
      });
      return request.contents[2]?.parts[0]?.functionResponse?.response;
    };
    expect(await responseFor('{"ok":true,"items":[1,2]}')).toEqual({ ok: true, items: [1, 2] });
    expect(await responseFor('[1,2]')).toEqual({ result: [1, 2] });
    expect(await responseFor('21')).toEqual({ result: 21 });
    expect(await responseFor('null')).toEqual({ result: null });
    expect(await responseFor('sunny, 21°C')).toEqual({ result: 'sunny, 21°C' });
    expect(await responseFor('')).toEqual({ result: '' });
  });

  it('refuses a tool message whose tool_call_id matches no earlier assistant tool call', async () => {
    const error = await rejection(
      translate({
        messages: [
          { role: 'user', content: 'go' },
          { role: 'tool', tool_call_id: 'call_early', content: 'too soon' },
          { role: 'assistant', tool_calls: [{ id: 'call_early', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        ],
      }),
      InvalidRequestError,
    );
    expect(error.message).toContain("'call_early'");
    expect(error.issues).toEqual([{ path: 'messages.1.tool_call_id', message: 'does not match an earlier tool call' }]);
  });

  it('refuses legacy function messages and custom tool calls in the history', async () => {
    const legacy = await rejection(translate({ messages: [{ role: 'user', content: 'go' }, { role: 'function', name: 'f', content: '1' }] }), UnsupportedFeatureError);
    expect(legacy.feature).toBe('function_messages');
    const custom = await rejection(
      translate({ messages: [{ role: 'user', content: 'go' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'custom', custom: { name: 'sql', input: 'SELECT 1' } }] }] }),
      UnsupportedFeatureError,
    );
    expect(custom.feature).toBe('custom_tools');
  });
});

describe('toGeminiRequest: thought signatures', () => {
  it('sends a signature tied to a tool call back as thoughtSignature on that functionCall part', async () => {
    const request = await translate({
      messages: [
        { role: 'user', content: 'Paris and Rome?' },
        {
          role: 'assistant',
          tool_calls: [weatherCall('call_a', 'Paris'), weatherCall('call_b', 'Rome')],
          reasoning_details: [
            { type: 'signature', signature: 'sig-b', tool_call_id: 'call_b' },
            { type: 'thinking', thinking: 'from another provider', signature: 'not-gemini' },
          ],
        },
      ],
    });
    expect(request.contents[1]?.parts).toEqual([
      { functionCall: { name: 'weather', args: { city: 'Paris' } } },
      { functionCall: { name: 'weather', args: { city: 'Rome' } }, thoughtSignature: 'sig-b' },
    ]);
  });

  it('puts a signature tied to no call on the first part of the turn', async () => {
    const request = await translate({
      messages: [
        { role: 'user', content: 'Paris?' },
        { role: 'assistant', content: 'Checking.', tool_calls: [weatherCall('call_a', 'Paris')], reasoning_details: [{ type: 'signature', signature: 'sig-loose' }] },
      ],
    });
    expect(request.contents[1]?.parts).toEqual([{ text: 'Checking.', thoughtSignature: 'sig-loose' }, { functionCall: { name: 'weather', args: { city: 'Paris' } } }]);
  });

  it("keeps a call's own signature when an untied one would land on the same first part", async () => {
    const request = await translate({
      messages: [
        { role: 'user', content: 'Paris?' },
        {
          role: 'assistant',
          tool_calls: [weatherCall('call_a', 'Paris')],
          reasoning_details: [
            { type: 'signature', signature: 'sig-loose' },
            { type: 'signature', signature: 'sig-a', tool_call_id: 'call_a' },
          ],
        },
      ],
    });
    expect(request.contents[1]?.parts).toEqual([{ functionCall: { name: 'weather', args: { city: 'Paris' } }, thoughtSignature: 'sig-a' }]);
  });
});

describe('toGeminiRequest: content parts', () => {
  it('turns a base64 image data URL into inlineData beside the text', async () => {
    const request = await translate({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: `data:image/png;base64,${PNG}` } }] }],
    });
    expect(request.contents).toEqual([{ role: 'user', parts: [{ text: 'What is this?' }, { inlineData: { mimeType: 'image/png', data: PNG } }] }]);
  });

  it('with images.fetch false, refuses an http image URL but still takes data URLs (any case)', async () => {
    const error = await rejection(
      translate({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'http://169.254.169.254/latest/meta-data' } }] }] }, { fetch: false }),
      UnsupportedFeatureError,
    );
    expect(error.feature).toBe('image_url');
    expect(error.message).toContain('messages.0.content.0');
    for (const url of [`data:image/png;base64,${PNG}`, ` DATA:image/png;base64,${PNG}`]) {
      const request = await translate({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] }, { fetch: false });
      expect(request.contents[0]?.parts).toEqual([{ inlineData: { mimeType: 'image/png', data: PNG } }]);
    }
  });

  it('downloads an http image through images.fetch and sends it inline', async () => {
    const fetched: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      fetched.push(String(input));
      return new Response(Buffer.from(PNG, 'base64'), { headers: { 'content-type': 'image/png' } });
    };
    const request = await translate({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://images.example/cat.png' } }] }] }, { fetch: fakeFetch });
    expect(fetched).toEqual(['https://images.example/cat.png']);
    expect(request.contents[0]?.parts).toEqual([{ inlineData: { mimeType: 'image/png', data: PNG } }]);
  });

  it('sends input_audio as inlineData of type audio/<format>', async () => {
    const request = await translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'input_audio', input_audio: { data: 'SUQz', format: 'mp3' } },
          ],
        },
      ],
    });
    expect(request.contents[0]?.parts).toEqual([{ inlineData: { mimeType: 'audio/wav', data: 'UklGRg==' } }, { inlineData: { mimeType: 'audio/mp3', data: 'SUQz' } }]);
  });

  it('sends a file given as a data URL as inlineData, and refuses a file_id', async () => {
    const request = await translate({
      messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0xLjQ=', filename: 'a.pdf' } }] }],
    });
    expect(request.contents[0]?.parts).toEqual([{ inlineData: { mimeType: 'application/pdf', data: 'JVBERi0xLjQ=' } }]);
    const error = await rejection(translate({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-abc' } }] }] }), UnsupportedFeatureError);
    expect(error.feature).toBe('file');
    expect(error.message).toContain('messages.0.content.0');
  });
});

describe('toGeminiRequest: tools', () => {
  it("declares function tools with parameters converted to Gemini's schema, and none for a tool without parameters", async () => {
    const request = await translate({
      tools: [
        {
          type: 'function',
          function: {
            name: 'weather',
            description: 'Weather for a city',
            parameters: { type: 'object', properties: { city: { type: 'string' }, days: { type: ['integer', 'null'] } }, required: ['city'], additionalProperties: false },
          },
        },
        { type: 'function', function: { name: 'ping' } },
        { type: 'function', function: { name: 'noop', parameters: {} } },
      ],
    });
    expect(request.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'weather',
            description: 'Weather for a city',
            parameters: { type: 'OBJECT', properties: { city: { type: 'STRING' }, days: { type: 'INTEGER', nullable: true } }, required: ['city'] },
          },
          { name: 'ping' },
          { name: 'noop' },
        ],
      },
    ]);
    expect(request).not.toHaveProperty('toolConfig');
  });

  it('refuses custom (free-form) tools', async () => {
    const error = await rejection(translate({ tools: [{ type: 'custom', custom: { name: 'sql' } }] }), UnsupportedFeatureError);
    expect(error.feature).toBe('custom_tools');
  });

  it('maps tool_choice to functionCallingConfig', async () => {
    const tools: ChatCompletionCreateParams['tools'] = [
      { type: 'function', function: { name: 'weather' } },
      { type: 'function', function: { name: 'clock' } },
    ];
    const configFor = async (tool_choice: ChatCompletionToolChoiceOption) => (await translate({ tools, tool_choice })).toolConfig;
    expect(await configFor('auto')).toEqual({ functionCallingConfig: { mode: 'AUTO' } });
    expect(await configFor('none')).toEqual({ functionCallingConfig: { mode: 'NONE' } });
    expect(await configFor('required')).toEqual({ functionCallingConfig: { mode: 'ANY' } });
    expect(await configFor({ type: 'function', function: { name: 'clock' } })).toEqual({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['clock'] } });
    const allowed = [{ type: 'function', function: { name: 'weather' } }, { type: 'function', function: { name: 'clock' } }];
    expect(await configFor({ type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: allowed } })).toEqual({
      functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['weather', 'clock'] },
    });
    expect(await configFor({ type: 'allowed_tools', allowed_tools: { mode: 'required', tools: allowed.slice(0, 1) } })).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['weather'] },
    });
    const error = await rejection(configFor({ type: 'custom', custom: { name: 'sql' } }), UnsupportedFeatureError);
    expect(error.feature).toBe('tool_choice');
  });
});

describe('toGeminiRequest: generation config', () => {
  it('maps sampling and length parameters, with max_completion_tokens winning over max_tokens', async () => {
    const request = await translate({
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      n: 2,
      max_completion_tokens: 100,
      max_tokens: 50,
      seed: 7,
      presence_penalty: 0.5,
      frequency_penalty: -0.5,
      stop: 'END',
    });
    expect(request.generationConfig).toEqual({
      temperature: 0.3,
      topP: 0.9,
      topK: 40,
      candidateCount: 2,
      maxOutputTokens: 100,
      seed: 7,
      presencePenalty: 0.5,
      frequencyPenalty: -0.5,
      stopSequences: ['END'],
    });
  });

  it('uses max_tokens when max_completion_tokens is absent, and passes a stop array as it is', async () => {
    const request = await translate({ max_tokens: 50, max_completion_tokens: null, stop: ['###', 'END'], temperature: 0 });
    expect(request.generationConfig).toEqual({ maxOutputTokens: 50, stopSequences: ['###', 'END'], temperature: 0 });
  });

  it('asks for JSON for json_object, and for JSON with a converted responseSchema for json_schema', async () => {
    expect((await translate({ response_format: { type: 'json_object' } })).generationConfig).toEqual({ responseMimeType: 'application/json' });
    const withSchema = await translate({
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'answer', strict: true, schema: { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false } },
      },
    });
    expect(withSchema.generationConfig).toEqual({
      responseMimeType: 'application/json',
      responseSchema: { type: 'OBJECT', properties: { answer: { type: 'NUMBER' } }, required: ['answer'] },
    });
    const withoutSchema = await translate({ response_format: { type: 'json_schema', json_schema: { name: 'anything' } } });
    expect(withoutSchema.generationConfig).toEqual({ responseMimeType: 'application/json' });
  });

  it('turns reasoning_effort into a thinking budget with thoughts included, and none into a budget of 0', async () => {
    const efforts = ['minimal', 'low', 'medium', 'high', 'xhigh', 'max'] as const;
    for (const effort of efforts) {
      const request = await translate({ reasoning_effort: effort });
      expect(request.generationConfig).toEqual({ thinkingConfig: { thinkingBudget: DEFAULT_GEMINI_THINKING_BUDGETS[effort], includeThoughts: true } });
    }
    expect((await translate({ reasoning_effort: 'none' })).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } });
    const custom = { ...DEFAULT_GEMINI_THINKING_BUDGETS, low: 333 };
    expect((await translate({ reasoning_effort: 'low' }, {}, custom)).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 333, includeThoughts: true } });
  });

  it('sends no generationConfig at all when nothing is set, nulls and a text response_format included', async () => {
    const request = await translate({
      temperature: null,
      top_p: null,
      top_k: null,
      n: null,
      max_tokens: null,
      seed: null,
      stop: null,
      reasoning_effort: null,
      response_format: { type: 'text' },
    });
    expect(request).not.toHaveProperty('generationConfig');
  });
});

describe('toGeminiRequest: unsupported parameters', () => {
  const cases: Array<[feature: string, params: Partial<ChatCompletionCreateParams>]> = [
    ['logprobs', { logprobs: true }],
    ['logprobs', { top_logprobs: 3 }],
    ['logit_bias', { logit_bias: { '50256': -100 } }],
    ['audio', { audio: { format: 'wav', voice: 'alloy' } }],
    ['audio', { modalities: ['text', 'audio'] }],
    ['prediction', { prediction: { type: 'content', content: 'draft' } }],
    ['web_search_options', { web_search_options: {} }],
    ['functions', { functions: [{ name: 'f' }] }],
    ['functions', { function_call: 'auto' }],
    ['parallel_tool_calls', { parallel_tool_calls: false }],
  ];

  it.each(cases)("refuses '%s' with an UnsupportedFeatureError naming it (%o)", async (feature, params) => {
    const error = await rejection(translate(params), UnsupportedFeatureError);
    expect(error.feature).toBe(feature);
    expect(error.code).toBe('unsupported_feature');
    expect(error.message).toContain(`'${feature}'`);
  });

  it('accepts the harmless values of those parameters', async () => {
    const request = await translate({ logprobs: false, top_logprobs: 0, logit_bias: {}, modalities: ['text'], parallel_tool_calls: true, audio: null, prediction: null });
    expect(request).toEqual({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] });
  });
});

describe('translateGeminiRequest: schemas made looser', () => {
  const options = { images: { maxBytes: 1_024, timeoutMs: 5_000 }, thinkingBudgets: DEFAULT_GEMINI_THINKING_BUDGETS, signal: undefined };
  const strictSchema = {
    type: 'object',
    additionalProperties: false,
    properties: { code: { type: 'string', pattern: '^[A-Z]{3}$' }, 'x-note': { type: 'string' } },
    'x-internal': 'never named',
  };

  it('warns once per schema, naming the removed keywords and counting unknown ones, and sends the converted schema', async () => {
    const { request, warnings } = await translateGeminiRequest(
      {
        model: 'gemini-2.5-flash',
        messages: [{ role: 'user', content: 'hi' }],
        tools: [
          { type: 'function', function: { name: 'plain', parameters: { type: 'object', properties: { a: { type: 'string' } } } } },
          { type: 'function', function: { name: 'lookup', parameters: strictSchema } },
        ],
        response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'array', items: { type: 'integer', multipleOf: 5 } } } },
      },
      options,
    );
    expect(warnings).toEqual([
      {
        code: 'parameter_adjusted',
        param: 'tools[1].function.parameters',
        message: 'JSON schema keywords Gemini does not support were removed (additionalProperties, pattern, 1 unrecognised keyword); the schema sent is looser than the one given.',
      },
      {
        code: 'parameter_adjusted',
        param: 'response_format.json_schema.schema',
        message: 'JSON schema keywords Gemini does not support were removed (multipleOf); the schema sent is looser than the one given.',
      },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('x-internal');
    expect(request.tools?.[0]?.functionDeclarations[1]?.parameters).toEqual(toGeminiSchema(strictSchema));
    expect(request.generationConfig?.responseSchema).toEqual({ type: 'ARRAY', items: { type: 'INTEGER' } });
  });
});
