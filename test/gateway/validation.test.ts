import { InvalidRequestError, createGateway, type ChatCompletionCreateParams } from '@switchyard/core';
import { completionOf, scriptedAdapter } from '@switchyard/testing';
import { describe, expect, it } from 'vitest';
import { collectEvents, flushEvents } from './helpers.js';

function setup() {
  const adapter = scriptedAdapter({
    chat: () => completionOf('ok'),
    embed: () => ({ object: 'list', data: [], model: 'e', usage: { prompt_tokens: 1, total_tokens: 1 } }),
  });
  const events = collectEvents();
  const gateway = createGateway({ providers: { p: adapter }, onEvent: events.onEvent });
  return { adapter, gateway, events };
}

describe('request validation', () => {
  it('accepts the whole OpenAI request surface', async () => {
    const { gateway, adapter } = setup();
    const params: ChatCompletionCreateParams = {
      model: 'p/m',
      messages: [
        { role: 'developer', content: 'be brief' },
        { role: 'system', content: [{ type: 'text', text: 'sys' }] },
        {
          role: 'user',
          name: 'ann',
          content: [
            { type: 'text', text: 'what is this?' },
            { type: 'image_url', image_url: { url: 'https://example.com/a.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } },
            { type: 'file', file: { file_id: 'file-1' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"a"}' } },
            { id: 'call_2', type: 'function', function: { name: 'lookup', arguments: '{"q":"b"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'A' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'B' }] },
      ],
      tools: [
        { type: 'function', function: { name: 'lookup', description: 'find', parameters: { type: 'object', properties: { q: { type: 'string' } } }, strict: true } },
      ],
      tool_choice: { type: 'function', function: { name: 'lookup' } },
      parallel_tool_calls: true,
      response_format: { type: 'json_schema', json_schema: { name: 'answer', schema: { type: 'object' }, strict: true } },
      stop: ['END'],
      seed: 1,
      temperature: 0.2,
      top_p: 0.9,
      max_completion_tokens: 100,
      reasoning_effort: 'high',
      metadata: { app: 'test' },
      user: 'user-1',
      stream_options: { include_usage: true },
      logprobs: true,
      top_logprobs: 2,
      n: 1,
    };
    await gateway.chat.completions.create({ ...params, stream: false });
    expect(adapter.calls).toHaveLength(1);
    for (const choice of ['auto', 'none', 'required'] as const) {
      await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'x' }], tool_choice: choice });
    }
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } });
    for (const input of ['one', ['a', 'b'], [1, 2, 3], [[1, 2], [3]]]) {
      await gateway.embeddings.create({ model: 'p/e', input, dimensions: 8, encoding_format: 'base64' });
    }
    expect(adapter.calls).toHaveLength(9);
  });

  it('rejects a bad request with every problem and its path, sends nothing, and still ends the request', async () => {
    const { gateway, adapter, events } = setup();
    const bad = {
      model: 'p/m',
      messages: [
        { role: 'user', content: 42 },
        { role: 'wizard', content: 'x' },
        { role: 'tool', content: 'no id' },
      ],
      temperature: 'hot',
      tool_choice: 'sometimes',
    } as unknown as ChatCompletionCreateParams;
    const error = await gateway.chat.completions.create(bad).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidRequestError);
    const paths = (error as InvalidRequestError).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['messages.0.content', 'messages.1.role', 'messages.2.tool_call_id', 'temperature', 'tool_choice']));
    expect((error as Error).message).toMatch(/nothing was sent/);
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    expect(events.ends()).toHaveLength(1);
    expect(events.ends()[0]).toMatchObject({ outcome: 'error', error: { code: 'invalid_request' } });
  });

  it('rejects bad embeddings input and bad call options', async () => {
    const { gateway, adapter } = setup();
    await expect(gateway.embeddings.create({ model: 'p/e', input: [] })).rejects.toBeInstanceOf(InvalidRequestError);
    await expect(
      gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'x' }] }, { timeout: -1, tags: 'x' } as never),
    ).rejects.toMatchObject({ issues: expect.arrayContaining([expect.objectContaining({ path: 'options.timeout' }), expect.objectContaining({ path: 'options.tags' })]) });
    // The invalid timeout armed no timer on its way to being rejected.
    const warnings: string[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning.name);
    process.on('warning', onWarning);
    await gateway.chat.completions.create({ model: 'p/m', messages: [{ role: 'user', content: 'x' }] }, { timeout: -1 }).catch(() => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    expect(warnings).not.toContain('TimeoutNegativeWarning');
    await expect(gateway.chat.completions.create({ model: 'p/m', messages: [] })).rejects.toMatchObject({ issues: [expect.objectContaining({ path: 'messages' })] });
    expect(adapter.calls).toHaveLength(0);
  });

  it('never echoes message content in validation errors', async () => {
    const { gateway } = setup();
    const secret = 'my private medical question';
    const error = await gateway.chat.completions
      .create({ model: 'p/m', messages: [{ role: 'user', content: secret, name: 5 }] } as unknown as ChatCompletionCreateParams)
      .catch((caught: unknown) => caught);
    expect(JSON.stringify(error) + String(error) + JSON.stringify((error as InvalidRequestError).issues)).not.toContain(secret);
  });

  it('rejects an unknown model with a typed error', async () => {
    const { gateway, events } = setup();
    await expect(gateway.chat.completions.create({ model: 'gpt-4.1', messages: [{ role: 'user', content: 'x' }] })).rejects.toMatchObject({
      name: 'UnknownModelError',
      code: 'unknown_model',
    });
    await flushEvents();
    expect(events.ends()[0]).toMatchObject({ outcome: 'error', attempts: 0, provider: undefined });
  });
});
