import type { ChatCompletionCreateParams } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GEMINI_THINKING_BUDGETS, translateGeminiRequest } from './to-gemini-request.js';

const PNG_DATA_URL = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
/** Put in every dropped value: a warning must never repeat what the caller sent. */
const SECRET = 'SECRET-7f3a';

const base: ChatCompletionCreateParams = { model: 'gemini-2.5-flash', messages: [{ role: 'user', content: 'hi' }] };
const translate = (params: Partial<ChatCompletionCreateParams>) =>
  translateGeminiRequest({ ...base, ...params }, { images: { maxBytes: 1_024, timeoutMs: 5_000, fetch: false }, thinkingBudgets: DEFAULT_GEMINI_THINKING_BUDGETS, signal: undefined });

const weather = { type: 'function' as const, function: { name: 'weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } };

describe('translateGeminiRequest: dropped parameters', () => {
  const cases: Array<[param: string, params: Partial<ChatCompletionCreateParams>, without: Partial<ChatCompletionCreateParams>]> = [
    ['user', { user: SECRET }, {}],
    ['metadata', { metadata: { note: SECRET } }, {}],
    ['store', { store: true }, {}],
    ['service_tier', { service_tier: 'flex' }, {}],
    ['safety_identifier', { safety_identifier: SECRET }, {}],
    ['prompt_cache_key', { prompt_cache_key: SECRET }, {}],
    ['prompt_cache_retention', { prompt_cache_retention: '24h' }, {}],
    ['prompt_cache_options', { prompt_cache_options: { mode: 'explicit' } }, {}],
    ['verbosity', { verbosity: 'low' }, {}],
    ['moderation', { moderation: { model: SECRET } }, {}],
    ['max_tokens', { max_tokens: 10, max_completion_tokens: 20 }, { max_completion_tokens: 20 }],
    ['messages[0].name', { messages: [{ role: 'user', content: 'hi', name: SECRET }] }, {}],
    [
      'messages[1].refusal',
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null, refusal: SECRET }, { role: 'user', content: 'ok' }] },
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: null }, { role: 'user', content: 'ok' }] },
    ],
    [
      'messages[1].audio',
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'x', audio: { id: SECRET } }] },
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'x' }] },
    ],
    [
      'messages[1].function_call',
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'x', function_call: { name: SECRET, arguments: '{}' } }] },
      { messages: [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'x' }] },
    ],
    [
      'messages[0].content[0].image_url.detail',
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: PNG_DATA_URL, detail: 'high' } }] }] },
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: PNG_DATA_URL } }] }] },
    ],
    [
      'messages[0].content[0].file.filename',
      { messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: PNG_DATA_URL, filename: `${SECRET}.png` } }] }] },
      { messages: [{ role: 'user', content: [{ type: 'file', file: { file_data: PNG_DATA_URL } }] }] },
    ],
    ['tools[0].function.strict', { tools: [{ ...weather, function: { ...weather.function, strict: true } }] }, { tools: [weather] }],
    ['tool_choice', { tool_choice: 'required' }, {}],
    [
      'tool_choice.allowed_tools.tools[1]',
      { tools: [weather], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'weather' } }, { type: 'custom', custom: { name: SECRET } }] } } },
      { tools: [weather], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'weather' } }] } } },
    ],
    [
      'response_format.json_schema.description',
      { response_format: { type: 'json_schema', json_schema: { name: 'answer', description: SECRET, schema: { type: 'string' } } } },
      { response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'string' } } } },
    ],
  ];

  it.each(cases)("warns that '%s' was dropped, sends what it sent without it, and never repeats the value", async (param, params, without) => {
    const { request, warnings } = await translate(params);
    expect(warnings).toEqual([{ code: 'parameter_dropped', param, message: expect.stringContaining(`'${param}' was not sent`) }]);
    expect(JSON.stringify(warnings)).not.toContain(SECRET);
    expect(request).toEqual((await translate(without)).request);
  });

  it('says nothing of parameters that were sent, nor of hints that are ignored by design', async () => {
    const { warnings } = await translate({
      messages: [
        { role: 'system', content: 'Be brief.', cache_control: { type: 'ephemeral' } },
        { role: 'user', content: [{ type: 'image_url', image_url: { url: PNG_DATA_URL, detail: 'auto' } }] },
      ],
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 100,
      stop: ['END'],
      seed: 1,
      tools: [{ ...weather, function: { ...weather.function, strict: false } }],
      tool_choice: 'auto',
      parallel_tool_calls: true,
      user: undefined,
      store: null,
    });
    expect(warnings).toEqual([]);
  });
});
