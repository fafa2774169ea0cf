// Call options to chat params: response formats, tool choices and the settings that map one to one.
import type { JSONSchema7, LanguageModelV4FunctionTool } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { prepareChatRequest } from './prepare-request.js';

const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'Hi' }] }];
const schema: JSONSchema7 = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
const lookup: LanguageModelV4FunctionTool = { type: 'function', name: 'lookup', inputSchema: schema };

describe('prepareChatRequest', () => {
  it('maps the standard settings to their OpenAI names', () => {
    const { params, warnings } = prepareChatRequest('fast', { prompt, maxOutputTokens: 9, temperature: 0.5, topP: 0.9, presencePenalty: 0.1, frequencyPenalty: 0.2, stopSequences: ['x'], seed: 3, reasoning: 'high' }, {});
    expect(params).toEqual({ model: 'fast', messages: [{ role: 'user', content: 'Hi' }], max_tokens: 9, temperature: 0.5, top_p: 0.9, presence_penalty: 0.1, frequency_penalty: 0.2, stop: ['x'], seed: 3, reasoning_effort: 'high' });
    expect(warnings).toEqual([]);
  });

  it("leaves reasoning_effort out for 'provider-default'", () => {
    expect(prepareChatRequest('m', { prompt, reasoning: 'provider-default' }, {}).params).not.toHaveProperty('reasoning_effort');
  });

  it('asks for json_schema with a schema (name, description, strict when set) and json_object without', () => {
    expect(prepareChatRequest('m', { prompt, responseFormat: { type: 'json', schema, name: 'thing', description: 'A thing' } }, { strictJsonSchema: true }).params.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'thing', description: 'A thing', schema, strict: true },
    });
    expect(prepareChatRequest('m', { prompt, responseFormat: { type: 'json', schema } }, {}).params.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'response', schema } });
    expect(prepareChatRequest('m', { prompt, responseFormat: { type: 'json' } }, {}).params.response_format).toEqual({ type: 'json_object' });
    expect(prepareChatRequest('m', { prompt, responseFormat: { type: 'text' } }, {}).params).not.toHaveProperty('response_format');
  });

  it('maps each tool choice', () => {
    const tools = [lookup];
    const choiceFor = (toolChoice: Parameters<typeof prepareChatRequest>[1]['toolChoice']) => prepareChatRequest('m', { prompt, tools, toolChoice }, {}).params.tool_choice;
    expect([choiceFor({ type: 'auto' }), choiceFor({ type: 'none' }), choiceFor({ type: 'required' }), choiceFor({ type: 'tool', toolName: 'lookup' })]).toEqual([
      'auto',
      'none',
      'required',
      { type: 'function', function: { name: 'lookup' } },
    ]);
    expect(prepareChatRequest('m', { prompt, tools: [{ ...lookup, strict: true, description: 'Find' }] }, {}).params.tools).toEqual([
      { type: 'function', function: { name: 'lookup', description: 'Find', parameters: schema, strict: true } },
    ]);
  });

  it('ignores the AI SDK user-agent header but warns about the caller headers', () => {
    expect(prepareChatRequest('m', { prompt, headers: { 'User-Agent': 'ai/7' } }, {}).warnings).toEqual([]);
    expect(prepareChatRequest('m', { prompt, headers: { 'x-a': 'b' } }, {}).warnings.map((warning) => warning.type)).toEqual(['unsupported']);
  });
});
