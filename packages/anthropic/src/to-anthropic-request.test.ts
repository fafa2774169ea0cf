import { InvalidRequestError, UnsupportedFeatureError, type ChatCompletionCreateParams } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THINKING_BUDGETS } from './model-catalog.js';
import { toAnthropicRequest } from './to-anthropic-request.js';

type ToolView = { name: string; input_schema?: unknown };
const toolsOf = (body: { tools?: unknown[] | undefined }) => (body.tools ?? []) as ToolView[];

const translate = (params: Partial<ChatCompletionCreateParams>) =>
  toAnthropicRequest({ model: 'claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }], ...params }, { thinkingBudgets: DEFAULT_THINKING_BUDGETS });

describe('toAnthropicRequest: messages', () => {
  it('moves system and developer messages to `system`, keeping cache_control', () => {
    const { body } = translate({
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'developer', content: [{ type: 'text', text: 'Long rules', cache_control: { type: 'ephemeral' } }] },
        { role: 'user', content: 'hi' },
      ],
    });
    expect(body.system).toEqual([
      { type: 'text', text: 'You are terse.' },
      { type: 'text', text: 'Long rules', cache_control: { type: 'ephemeral' } },
    ]);
    expect(body.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]);
  });

  it('merges consecutive same-role turns and puts tool results in one user turn', () => {
    const { body } = translate({
      messages: [
        { role: 'user', content: 'weather in Paris and Rome?' },
        { role: 'user', content: 'in celsius' },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'weather', arguments: '{"city":"Rome"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '21' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '25' }] },
        { role: 'user', content: 'thanks' },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'weather in Paris and Rome?' }, { type: 'text', text: 'in celsius' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'weather', input: { city: 'Rome' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: [{ type: 'text', text: '21' }] },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '25' }] },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
  });

  it('sends images as URLs and base64, and refuses what Anthropic cannot take', () => {
    const { body } = translate({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'compare' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' }, cache_control: { type: 'ephemeral', ttl: '1h' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=' } },
          ],
        },
      ],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'compare' },
      { type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' }, cache_control: { type: 'ephemeral', ttl: '1h' } },
      { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' } },
    ]);
    const image = (url: string) => translate({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] });
    expect(() => image('data:image/tiff;base64,AAAA')).toThrow(UnsupportedFeatureError);
    expect(() => image('data:nonsense')).toThrow(InvalidRequestError);
    expect(() => image('ftp://example.com/a.png')).toThrow(UnsupportedFeatureError);
    expect(() => translate({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] })).toThrow(
      expect.objectContaining({ feature: 'input_audio' }),
    );
    expect(() => translate({ messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: 'file-1' } }] }] })).toThrow(/file ids/);
  });

  it('marks the last block of a message with a message-level cache_control', () => {
    const { body } = translate({
      messages: [{ role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }], cache_control: { type: 'ephemeral' } }],
    });
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b', cache_control: { type: 'ephemeral' } },
    ]);
  });

  it('sends signed thinking back first, unchanged, for multi-turn tool use', () => {
    const { body } = translate({
      messages: [
        { role: 'user', content: 'q' },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'thinking...',
          reasoning_details: [
            { type: 'thinking', thinking: 'thinking...', signature: 'sig-1' },
            { type: 'redacted_thinking', data: 'opaque' },
          ],
          tool_calls: [{ id: 't1', type: 'function', function: { name: 'f', arguments: '' } }],
        },
        { role: 'tool', tool_call_id: 't1', content: 'ok' },
      ],
    });
    expect(body.messages[1]?.content).toEqual([
      { type: 'thinking', thinking: 'thinking...', signature: 'sig-1' },
      { type: 'redacted_thinking', data: 'opaque' },
      { type: 'tool_use', id: 't1', name: 'f', input: {} },
    ]);
  });

  it('rejects tool-call arguments that are not a JSON object', () => {
    expect(() =>
      translate({
        messages: [{ role: 'assistant', content: null, tool_calls: [{ id: 't', type: 'function', function: { name: 'f', arguments: '[1]' } }] }],
      }),
    ).toThrow(InvalidRequestError);
  });
});

describe('toAnthropicRequest: parameters', () => {
  const tools = [
    { type: 'function' as const, function: { name: 'weather', description: 'Get weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } }, cache_control: { type: 'ephemeral' as const } },
  ];

  it('maps tools and every tool_choice, with parallel calls off on request', () => {
    expect(translate({ tools }).body.tools).toEqual([
      { name: 'weather', description: 'Get weather', input_schema: tools[0]!.function.parameters, cache_control: { type: 'ephemeral' } },
    ]);
    expect(translate({ tools, tool_choice: 'auto' }).body.tool_choice).toEqual({ type: 'auto' });
    expect(translate({ tools, tool_choice: 'required' }).body.tool_choice).toEqual({ type: 'any' });
    expect(translate({ tools, tool_choice: 'none' }).body.tool_choice).toEqual({ type: 'none' });
    expect(translate({ tools, tool_choice: { type: 'function', function: { name: 'weather' } } }).body.tool_choice).toEqual({ type: 'tool', name: 'weather' });
    expect(translate({ tools, parallel_tool_calls: false }).body.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(translate({ tools, tool_choice: 'required', parallel_tool_calls: false }).body.tool_choice).toEqual({ type: 'any', disable_parallel_tool_use: true });
    expect(translate({ tools: [{ type: 'function', function: { name: 'bare' } }] }).body.tools?.[0]).toEqual({ name: 'bare', input_schema: { type: 'object', properties: {} } });
  });

  it('answers json_schema through a forced tool, wrapping non-object schemas', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } }, required: ['answer'] };
    const { body, plan } = translate({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } } });
    expect(plan).toEqual({ jsonTool: 'json_response', jsonWrapped: false });
    expect(body.tools).toEqual([{ name: 'json_response', description: expect.any(String), input_schema: schema }]);
    expect(body.tool_choice).toEqual({ type: 'tool', name: 'json_response' });

    const list = translate({ response_format: { type: 'json_schema', json_schema: { name: 'list', schema: { type: 'array', items: { type: 'string' } } } } });
    expect(list.plan.jsonWrapped).toBe(true);
    expect(toolsOf(list.body)[0]?.input_schema).toEqual({ type: 'object', properties: { value: { type: 'array', items: { type: 'string' } } }, required: ['value'] });

    const object = translate({ response_format: { type: 'json_object' } });
    expect(toolsOf(object.body)[0]?.input_schema).toEqual({ type: 'object' });
  });

  it('lets the model choose between the JSON tool and the caller’s tools, and avoids name clashes', () => {
    const { body, plan } = translate({
      tools: [{ type: 'function', function: { name: 'json_response' } }],
      response_format: { type: 'json_object' },
    });
    expect(plan.jsonTool).toBe('json_response_2');
    expect(toolsOf(body).map((tool) => tool.name)).toEqual(['json_response', 'json_response_2']);
    expect(body.tool_choice).toBeUndefined();
  });

  it('maps reasoning_effort to a thinking budget with room for the answer', () => {
    const high = translate({ reasoning_effort: 'high' }).body;
    expect(high.thinking).toEqual({ type: 'enabled', budget_tokens: DEFAULT_THINKING_BUDGETS.high });
    expect(high.max_tokens).toBe(64_000);
    const capped = translate({ reasoning_effort: 'high', max_completion_tokens: 5000 }).body;
    expect(capped).toMatchObject({ max_tokens: 5000, thinking: { budget_tokens: 4999 } });
    expect(translate({ reasoning_effort: 'none' }).body.thinking).toBeUndefined();
    expect(() => translate({ reasoning_effort: 'low', max_tokens: 800 })).toThrow(InvalidRequestError);
    const forced = translate({ reasoning_effort: 'low', response_format: { type: 'json_object' } }).body;
    expect(forced.tool_choice).toEqual({ type: 'auto' });
  });

  it('takes max_tokens from the call or the model catalog, and maps sampling, stop and user', () => {
    expect(translate({}).body.max_tokens).toBe(64_000);
    expect(translate({ model: 'claude-3-opus-20240229' }).body.max_tokens).toBe(4096);
    expect(translate({ model: 'some-future-model' }).body.max_tokens).toBe(4096);
    expect(translate({ max_tokens: 100 }).body.max_tokens).toBe(100);
    expect(translate({ max_completion_tokens: 50, max_tokens: 100 }).body.max_tokens).toBe(50);
    expect(translate({ temperature: 0.3, top_p: 0.9, top_k: 40, stop: 'END', user: 'u-1' }).body).toMatchObject({
      temperature: 0.3,
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
    });
    expect(translate({ stop: ['a', 'b'] }).body.stop_sequences).toEqual(['a', 'b']);
  });

  it('refuses parameters Anthropic cannot honour, naming them', () => {
    const cases: Array<[Partial<ChatCompletionCreateParams>, string]> = [
      [{ n: 2 }, 'n'],
      [{ seed: 1 }, 'seed'],
      [{ logprobs: true }, 'logprobs'],
      [{ frequency_penalty: 0.5 }, 'frequency_penalty'],
      [{ presence_penalty: 0.5 }, 'presence_penalty'],
      [{ logit_bias: { '1': 5 } }, 'logit_bias'],
      [{ modalities: ['text', 'audio'] }, 'audio'],
      [{ prediction: { type: 'content', content: 'x' } }, 'prediction'],
      [{ tools: [{ type: 'custom', custom: { name: 'grammar' } }] }, 'custom_tools'],
      [{ tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: { type: 'allowed_tools', allowed_tools: { mode: 'auto', tools: [] } } }, 'tool_choice'],
    ];
    for (const [params, feature] of cases) {
      expect(() => translate(params), feature).toThrow(expect.objectContaining({ name: 'UnsupportedFeatureError', feature }));
    }
    expect(() => translate({ n: 1, seed: null, frequency_penalty: 0 })).not.toThrow();
  });
});

describe('toAnthropicRequest: warnings', () => {
  const prompt = 'my bank password is hunter2';
  const withPrompt = (params: Partial<ChatCompletionCreateParams>) => translate({ messages: [{ role: 'user', content: prompt }], ...params });

  it('reports max_tokens as defaulted when the caller set none, since Anthropic requires it', () => {
    expect(translate({}).warnings).toEqual([{ code: 'parameter_defaulted', param: 'max_tokens', message: expect.stringContaining('64000') as string }]);
    expect(translate({ model: 'some-future-model' }).warnings).toEqual([{ code: 'parameter_defaulted', param: 'max_tokens', message: expect.stringContaining('4096') as string }]);
    // Raised to fit the thinking budget: still filled in, with the value sent.
    const thinking = translate({ model: 'some-future-model', reasoning_effort: 'medium' });
    expect(thinking.body.max_tokens).toBe(DEFAULT_THINKING_BUDGETS.medium + 1);
    expect(thinking.warnings).toEqual([{ code: 'parameter_defaulted', param: 'max_tokens', message: expect.stringContaining(String(DEFAULT_THINKING_BUDGETS.medium + 1)) as string }]);
    expect(translate({ max_tokens: 100 }).warnings).toEqual([]);
    expect(translate({ max_completion_tokens: 100, max_tokens: null }).warnings).toEqual([]);
  });

  it('reports OpenAI-platform fields that are not sent as dropped, without their values', () => {
    const dropped = {
      metadata: { ticket: 'T-1' },
      store: true,
      service_tier: 'flex',
      prompt_cache_key: 'user-42-secret-key',
      prompt_cache_retention: '24h',
      prompt_cache_options: { mode: 'explicit' },
      safety_identifier: 'user-42-hash',
      verbosity: 'low',
      moderation: { model: 'omni-moderation-latest' },
    } satisfies Partial<ChatCompletionCreateParams>;
    const { body, warnings } = withPrompt({ max_tokens: 100, ...dropped });
    // Anthropic's Messages API has none of them (its metadata takes only user_id): the body is unchanged.
    expect(body).toEqual(withPrompt({ max_tokens: 100 }).body);
    expect(warnings).toEqual(Object.keys(dropped).map((param) => ({ code: 'parameter_dropped', param, message: expect.stringContaining(param) as string })));
    for (const secret of [prompt, 'T-1', 'user-42', 'omni-moderation', 'flex']) expect(JSON.stringify(warnings)).not.toContain(secret);
    // Values that ask for what happens anyway are not news.
    expect(translate({ max_tokens: 100, store: false, metadata: null, n: 1, seed: null, frequency_penalty: 0, presence_penalty: 0 }).warnings).toEqual([]);
  });

  it('reports a strict json_schema as dropped: the schema goes out as a tool input schema, without strict', () => {
    const schema = { type: 'object', properties: { answer: { type: 'string' } } };
    const strict = translate({ max_tokens: 100, response_format: { type: 'json_schema', json_schema: { name: 'a', schema, strict: true } } });
    expect(strict.body.tools).toEqual(translate({ max_tokens: 100, response_format: { type: 'json_schema', json_schema: { name: 'a', schema } } }).body.tools);
    expect(strict.warnings).toEqual([{ code: 'parameter_dropped', param: 'response_format.json_schema.strict', message: expect.any(String) as string }]);
  });

  it('reports a thinking budget lowered to fit max_tokens, which Anthropic needs above it, as adjusted', () => {
    const { body, warnings } = withPrompt({ reasoning_effort: 'high', max_completion_tokens: 5000 });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 4999 });
    expect(warnings).toEqual([
      { code: 'parameter_adjusted', param: 'reasoning_effort', message: expect.stringMatching(/16384.*4999/) as string },
    ]);
    expect(JSON.stringify(warnings)).not.toContain(prompt);
    expect(translate({ reasoning_effort: 'low', max_completion_tokens: 5000 }).warnings).toEqual([]);
  });

  it('reports a JSON answer that cannot be forced while thinking (Anthropic allows only auto or none) as adjusted', () => {
    const { body, warnings } = translate({ reasoning_effort: 'low', max_tokens: 5000, response_format: { type: 'json_object' } });
    expect(body.tool_choice).toEqual({ type: 'auto' });
    expect(warnings).toEqual([{ code: 'parameter_adjusted', param: 'response_format', message: expect.stringContaining('not forced') as string }]);
    expect(translate({ max_tokens: 5000, response_format: { type: 'json_object' } }).warnings).toEqual([]);
  });
});
