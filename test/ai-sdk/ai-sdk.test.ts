/**
 * `@switchyard/ai-sdk` driven by the real `ai` package: generateText, streamText, tools over
 * several steps, structured output, embeddings, aborts, fallback, errors and provider options,
 * with scripted adapters or mock OpenAI servers behind the gateway.
 */
import { APICallError, getErrorMessage, InvalidArgumentError, NoSuchModelError } from '@ai-sdk/provider';
import { createGateway, InvalidRequestError, ProviderError, StreamInterruptedError, type ChatCompletion, type ChatCompletionChunk, type GatewayEvent } from '@switchyard/core';
import { switchyard } from '@switchyard/ai-sdk';
import { openai } from '@switchyard/openai';
import { chunksOf, completionOf, scriptedAdapter, startMockServer } from '@switchyard/testing';
import { embed, embedMany, generateObject, generateText, Output, stepCountIs, streamText, tool, type TextStreamPart, type ToolSet } from 'ai';
import OpenAI from 'openai';
import { openai as openaiTools } from '@ai-sdk/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk' as const, created: 1_700_000_000, model: 'scripted-model' };

function chunk(delta: ChatCompletionChunk['choices'][number]['delta'], finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk {
  return { ...base, choices: [{ index: 0, delta, finish_reason: finish }] };
}

function usageChunk(prompt: number, completion: number, details: Partial<ChatCompletionChunk['usage'] & object> = {}): ChatCompletionChunk {
  return { ...base, choices: [], usage: { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion, ...details } };
}

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const parts: T[] = [];
  for await (const part of stream) parts.push(part);
  return parts;
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('generateText', () => {
  it('returns the text, usage with cache reads and reasoning, the finish reason and the gateway meta', async () => {
    const completion: ChatCompletion = {
      ...completionOf('Hello there'),
      id: 'chatcmpl-42',
      model: 'gpt-test-2025',
      usage: {
        prompt_tokens: 100,
        completion_tokens: 30,
        total_tokens: 130,
        prompt_tokens_details: { cached_tokens: 60, cache_write_tokens: 10 },
        completion_tokens_details: { reasoning_tokens: 12 },
      },
    };
    const adapter = scriptedAdapter({ chat: () => completion });
    const gateway = createGateway({ providers: { test: adapter }, models: { fast: 'test/model-a' } });
    const result = await generateText({ model: switchyard(gateway)('fast'), system: 'Be brief.', prompt: 'Hi', temperature: 0.2, maxOutputTokens: 50, seed: 7, stopSequences: ['END'], include: { requestBody: true } });

    expect(result.text).toBe('Hello there');
    expect(result.finishReason).toBe('stop');
    expect(result.rawFinishReason).toBe('stop');
    expect(result.usage.inputTokens).toBe(100);
    expect(result.usage.inputTokenDetails).toEqual({ noCacheTokens: 30, cacheReadTokens: 60, cacheWriteTokens: 10 });
    expect(result.usage.outputTokens).toBe(30);
    expect(result.usage.outputTokenDetails).toEqual({ textTokens: 18, reasoningTokens: 12 });
    expect(result.response.id).toBe('chatcmpl-42');
    expect(result.response.modelId).toBe('gpt-test-2025');
    expect(result.response.timestamp).toEqual(new Date(1_700_000_000 * 1000));
    const meta = result.providerMetadata?.switchyard;
    expect(meta).toMatchObject({ route: 'fast', provider: 'test', model: 'model-a', attempts: 1, served: 'provider', cacheHit: false, outcome: 'success' });
    expect(typeof meta?.requestId).toBe('string');

    const sent = adapter.calls[0]?.params;
    expect(sent).toMatchObject({
      model: 'model-a',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
      ],
      temperature: 0.2,
      max_tokens: 50,
      seed: 7,
      stop: ['END'],
    });
    expect(result.request.body).toMatchObject({ model: 'fast', max_tokens: 50 });
  });

  it('maps each OpenAI finish reason to the unified one and keeps the raw one', async () => {
    const reasons = ['length', 'content_filter', 'tool_calls'] as const;
    const seen: Array<[string, string | undefined]> = [];
    for (const reason of reasons) {
      const answer = completionOf('x');
      const choice = answer.choices[0];
      if (!choice) throw new Error('completionOf gave no choice');
      choice.finish_reason = reason;
      if (reason === 'tool_calls') choice.message.tool_calls = [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{}' } }];
      const gateway = createGateway({ providers: { test: scriptedAdapter({ chat: () => answer }) } });
      const result = await generateText({ model: switchyard(gateway)('test/m'), prompt: 'Hi' });
      seen.push([result.finishReason, result.rawFinishReason]);
    }
    expect(seen).toEqual([
      ['length', 'length'],
      ['content-filter', 'content_filter'],
      ['tool-calls', 'tool_calls'],
    ]);
  });

  it('returns reasoning as reasoning content', async () => {
    const answer = completionOf('42');
    const message = answer.choices[0]?.message;
    if (!message) throw new Error('completionOf gave no message');
    message.reasoning_content = 'Six times seven.';
    const gateway = createGateway({ providers: { test: scriptedAdapter({ chat: () => answer }) } });
    const result = await generateText({ model: switchyard(gateway)('test/m'), prompt: 'What is 6x7?' });
    expect(result.reasoningText).toBe('Six times seven.');
    expect(result.content.map((part) => part.type)).toEqual(['reasoning', 'text']);
  });

  it('warns about topK, caller headers and provider-defined tools, and sends top_k as the contract extension', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({ providers: { test: adapter } });
    const result = await generateText({
      model: switchyard(gateway)('test/m'),
      prompt: 'Hi',
      topK: 5,
      headers: { 'x-trace': '1' },
      tools: { search: openaiTools.tools.webSearch({}) },
    });
    expect(result.warnings?.map((warning) => ('feature' in warning ? warning.feature : warning.type))).toEqual(['topK', 'provider-defined tool openai.web_search', 'headers']);
    expect(adapter.calls[0]?.params).toMatchObject({ top_k: 5 });
    expect(adapter.calls[0]?.params).not.toHaveProperty('tools');
  });
});

describe('tools', () => {
  it('runs a tool over two steps: the call, then the answer that uses its result', async () => {
    let step = 0;
    const adapter = scriptedAdapter({
      chat: () => {
        step++;
        if (step === 1) {
          const answer = completionOf('');
          const choice = answer.choices[0];
          if (!choice) throw new Error('completionOf gave no choice');
          choice.message.content = null;
          choice.message.tool_calls = [{ id: 'call_w1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }];
          choice.finish_reason = 'tool_calls';
          return answer;
        }
        return completionOf('It is 18°C in Paris.');
      },
    });
    const gateway = createGateway({ providers: { test: adapter } });
    const executed: unknown[] = [];
    const result = await generateText({
      model: switchyard(gateway)('test/m'),
      prompt: 'Weather in Paris?',
      tools: {
        weather: tool({
          description: 'Current weather',
          inputSchema: z.object({ city: z.string() }),
          execute: async (input) => {
            executed.push(input);
            return { celsius: 18 };
          },
        }),
      },
      toolChoice: 'auto',
      stopWhen: stepCountIs(3),
    });
    expect(executed).toEqual([{ city: 'Paris' }]);
    expect(result.text).toBe('It is 18°C in Paris.');
    expect(result.steps).toHaveLength(2);
    expect(result.steps[0]?.toolCalls[0]).toMatchObject({ toolCallId: 'call_w1', toolName: 'weather', input: { city: 'Paris' } });

    const first = adapter.calls[0]?.params as { tools: unknown; tool_choice: unknown };
    expect(first.tools).toEqual([
      { type: 'function', function: { name: 'weather', description: 'Current weather', parameters: expect.objectContaining({ type: 'object', required: ['city'] }) } },
    ]);
    expect(first.tool_choice).toBe('auto');
    const second = adapter.calls[1]?.params as { messages: unknown[] };
    expect(second.messages.slice(1)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_w1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', tool_call_id: 'call_w1', content: '{"celsius":18}' },
    ]);
  });

  it('sends a tool that threw as an error result on the next step', async () => {
    let step = 0;
    const adapter = scriptedAdapter({
      chat: () => {
        if (++step === 1) {
          const answer = completionOf('');
          const choice = answer.choices[0];
          if (!choice) throw new Error('completionOf gave no choice');
          choice.message.tool_calls = [{ id: 'call_e', type: 'function', function: { name: 'fail', arguments: '{}' } }];
          choice.finish_reason = 'tool_calls';
          return answer;
        }
        return completionOf('Sorry.');
      },
    });
    const gateway = createGateway({ providers: { test: adapter } });
    await generateText({
      model: switchyard(gateway)('test/m'),
      prompt: 'Go',
      tools: { fail: tool({ inputSchema: z.object({}), execute: async (): Promise<string> => { throw new Error('disk full'); } }) },
      stopWhen: stepCountIs(2),
    });
    const messages = (adapter.calls[1]?.params as { messages: Array<{ role: string; content: unknown }> }).messages;
    const toolMessage = messages.find((message) => message.role === 'tool');
    // The AI SDK hands a thrown tool over as an `error-text` output of getErrorMessage(error); it goes out marked as an error.
    expect(toolMessage?.content).toBe(JSON.stringify({ error: getErrorMessage(new Error('disk full')) }));
  });

  it('streams parallel tool calls by index and runs each tool with its whole input', async () => {
    let step = 0;
    const adapter = scriptedAdapter({
      async *stream() {
        if (++step === 1) {
          yield chunk({ role: 'assistant', tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'add', arguments: '' } }] });
          yield chunk({ tool_calls: [{ index: 0, function: { arguments: '{"a":1,' } }] });
          yield chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'add', arguments: '{"a":2,' } }] });
          yield chunk({ tool_calls: [{ index: 0, function: { arguments: '"b":2}' } }] });
          yield chunk({ tool_calls: [{ index: 1, function: { arguments: '"b":3}' } }] });
          yield chunk({}, 'tool_calls');
          yield usageChunk(20, 10);
          return;
        }
        yield* chunksOf(['3 and 5']);
      },
    });
    const gateway = createGateway({ providers: { test: adapter } });
    const sums: number[] = [];
    const result = streamText({
      model: switchyard(gateway)('test/m'),
      prompt: 'Add',
      tools: { add: tool({ inputSchema: z.object({ a: z.number(), b: z.number() }), execute: async ({ a, b }) => { sums.push(a + b); return a + b; } }) },
      stopWhen: stepCountIs(2),
    });
    const parts = await collect(result.fullStream);
    const toolParts = parts.filter((part) => part.type.startsWith('tool-input') || part.type === 'tool-call');
    expect(toolParts.map((part) => [part.type, 'id' in part ? part.id : 'toolCallId' in part ? part.toolCallId : undefined])).toEqual([
      ['tool-input-start', 'call_a'],
      ['tool-input-delta', 'call_a'],
      ['tool-input-start', 'call_b'],
      ['tool-input-delta', 'call_b'],
      ['tool-input-delta', 'call_a'],
      ['tool-input-delta', 'call_b'],
      ['tool-input-end', 'call_a'],
      ['tool-call', 'call_a'],
      ['tool-input-end', 'call_b'],
      ['tool-call', 'call_b'],
    ]);
    expect(sums).toEqual([3, 5]);
    expect(await result.text).toBe('3 and 5');
  });
});

describe('streamText', () => {
  it('streams text and reasoning parts, then finish with usage, finish reason and the finished meta', async () => {
    const adapter = scriptedAdapter({
      async *stream() {
        yield chunk({ role: 'assistant', reasoning_content: 'Think' });
        yield chunk({ reasoning_content: 'ing.' });
        yield chunk({ content: 'Hel' });
        yield chunk({ content: 'lo' });
        yield chunk({}, 'stop');
        yield usageChunk(8, 4, { completion_tokens_details: { reasoning_tokens: 2 }, prompt_tokens_details: { cached_tokens: 3 } });
      },
    });
    const gateway = createGateway({ providers: { test: adapter } });
    const result = streamText({ model: switchyard(gateway)('test/m'), prompt: 'Hi' });
    const parts = await collect(result.fullStream);
    expect(parts.map((part) => part.type)).toEqual([
      'start',
      'start-step',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-delta',
      'text-end',
      'finish-step',
      'finish',
    ]);
    expect(await result.text).toBe('Hello');
    expect(await result.reasoningText).toBe('Thinking.');
    expect(await result.finishReason).toBe('stop');
    const usage = await result.usage;
    expect([usage.inputTokens, usage.inputTokenDetails.cacheReadTokens, usage.inputTokenDetails.noCacheTokens, usage.outputTokens, usage.outputTokenDetails.reasoningTokens]).toEqual([8, 3, 5, 4, 2]);
    const meta = (await result.providerMetadata)?.switchyard;
    expect(meta).toMatchObject({ provider: 'test', model: 'm', attempts: 1, outcome: 'success' });
    expect(typeof meta?.latencyMs).toBe('number');
    expect(adapter.calls[0]?.params).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const finishStep = parts.find((part) => part.type === 'finish-step');
    expect(finishStep && 'response' in finishStep ? finishStep.response.id : undefined).toBe('chatcmpl-1');
  });

  it('passes raw chunks when includeRawChunks is set', async () => {
    const chunks = chunksOf(['a', 'b']);
    const gateway = createGateway({ providers: { test: scriptedAdapter({ stream: async function* () { yield* chunks; } }) } });
    const result = streamText({ model: switchyard(gateway)('test/m'), prompt: 'Hi', includeRawChunks: true });
    const raw = (await collect(result.fullStream)).filter((part): part is Extract<TextStreamPart<ToolSet>, { type: 'raw' }> => part.type === 'raw');
    expect(raw.map((part) => part.rawValue)).toEqual(chunks);
  });

  it('ends a stream cut after its first chunk with an error part (the gateway error as cause) and finish reason error', async () => {
    const gateway = createGateway({
      providers: {
        test: scriptedAdapter({
          async *stream() {
            yield chunk({ role: 'assistant', content: 'Part' });
            throw new ProviderError('connection reset', { provider: 'test', model: 'm', retryable: true });
          },
        }),
      },
    });
    const result = streamText({ model: switchyard(gateway)('test/m'), prompt: 'Hi', onError: () => undefined });
    const parts = await collect(result.fullStream);
    const error = parts.find((part) => part.type === 'error');
    expect(error && 'error' in error ? error.error : undefined).toBeInstanceOf(APICallError);
    const apiError = error && 'error' in error ? (error.error as APICallError) : undefined;
    expect(apiError?.cause).toBeInstanceOf(StreamInterruptedError);
    expect(apiError?.isRetryable).toBe(false);
    expect(await result.finishReason).toBe('error');
    expect(await result.text).toBe('Part');
  });
});

describe('structured output', () => {
  const recipe = z.object({ name: z.string(), minutes: z.number() });

  it('Output.object sends a json_schema response format and parses the answer', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('{"name":"Soup","minutes":20}') });
    const gateway = createGateway({ providers: { test: adapter } });
    const result = await generateText({ model: switchyard(gateway)('test/m'), prompt: 'A recipe', output: Output.object({ schema: recipe, name: 'recipe', description: 'A short recipe' }) });
    expect(result.output).toEqual({ name: 'Soup', minutes: 20 });
    expect(adapter.calls[0]?.params).toMatchObject({
      response_format: { type: 'json_schema', json_schema: { name: 'recipe', description: 'A short recipe', schema: expect.objectContaining({ type: 'object', required: ['name', 'minutes'] }) } },
    });
  });

  it('generateObject without a schema asks for json_object', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('{"any":true}') });
    const gateway = createGateway({ providers: { test: adapter } });
    const result = await generateObject({ model: switchyard(gateway)('test/m'), prompt: 'Some JSON', output: 'no-schema' });
    expect(result.object).toEqual({ any: true });
    expect(adapter.calls[0]?.params).toMatchObject({ response_format: { type: 'json_object' } });
  });

  it('streamText with Output.object streams partial objects', async () => {
    const gateway = createGateway({ providers: { test: scriptedAdapter({ stream: async function* () { yield* chunksOf(['{"name":"So', 'up","minutes":', '20}']); } }) } });
    const result = streamText({ model: switchyard(gateway)('test/m'), prompt: 'A recipe', output: Output.object({ schema: recipe }) });
    const partials = await collect(result.partialOutputStream);
    expect(partials.at(-1)).toEqual({ name: 'Soup', minutes: 20 });
    expect(await result.output).toEqual({ name: 'Soup', minutes: 20 });
  });
});

describe('embeddings', () => {
  const embedAdapter = () =>
    scriptedAdapter({
      embed: (request) => {
        const input = request.params.input;
        const values = Array.isArray(input) ? input : [input];
        return {
          object: 'list',
          model: 'embed-model',
          // Out of order on purpose: the provider sorts by `index`.
          data: values.map((_, index) => ({ object: 'embedding' as const, index, embedding: [index, 1] })).reverse(),
          usage: { prompt_tokens: values.length * 2, total_tokens: values.length * 2 },
        };
      },
    });

  it('embed returns the vector, usage and the gateway meta', async () => {
    const adapter = embedAdapter();
    const gateway = createGateway({ providers: { test: adapter }, models: { vectors: 'test/embed-model' } });
    const result = await embed({ model: switchyard(gateway).embeddingModel('vectors'), value: 'hello', providerOptions: { switchyard: { tags: ['search'] } } });
    expect(result.embedding).toEqual([0, 1]);
    expect(result.usage.tokens).toBe(2);
    expect(result.providerMetadata?.switchyard).toMatchObject({ route: 'vectors', provider: 'test', model: 'embed-model', attempts: 1 });
    expect(adapter.calls[0]?.params).toEqual({ model: 'embed-model', input: ['hello'] });
  });

  it('embedMany splits by maxEmbeddingsPerCall and keeps the order', async () => {
    const adapter = embedAdapter();
    const gateway = createGateway({ providers: { test: adapter } });
    const result = await embedMany({ model: switchyard(gateway, { maxEmbeddingsPerCall: 2 }).embeddingModel('test/embed-model'), values: ['a', 'b', 'c'], dimensions: 2 });
    expect(result.embeddings).toEqual([[0, 1], [1, 1], [0, 1]]);
    expect(result.usage.tokens).toBe(6);
    expect(adapter.calls.map((call) => (call.params as { input: string[] }).input)).toEqual([['a', 'b'], ['c']]);
    expect(adapter.calls[0]?.params).toMatchObject({ dimensions: 2 });
  });
});

describe('abort', () => {
  it('the AI SDK abortSignal reaches the provider call and aborts it', async () => {
    let received: (signal: AbortSignal) => void = () => undefined;
    const reached = new Promise<AbortSignal>((resolve) => (received = resolve));
    const gateway = createGateway({
      providers: {
        test: scriptedAdapter({
          chat: (_request, call) =>
            new Promise<ChatCompletion>((_resolve, reject) => {
              const signal = call.signal;
              if (!signal) return reject(new Error('no signal reached the adapter'));
              received(signal);
              signal.addEventListener('abort', () => reject(signal.reason), { once: true });
            }),
        }),
      },
    });
    const controller = new AbortController();
    const call = generateText({ model: switchyard(gateway)('test/m'), prompt: 'Hi', abortSignal: controller.signal });
    const signal = await reached;
    controller.abort();
    const failure = await call.catch((error: unknown) => error);
    expect(signal.aborted).toBe(true);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).name).toBe('AbortError');
  });

  it('aborting a stream mid-way ends the provider stream', async () => {
    let providerSignal: AbortSignal | undefined;
    let ended = false;
    const gateway = createGateway({
      providers: {
        test: scriptedAdapter({
          async *stream(_request, call) {
            providerSignal = call.signal;
            try {
              yield chunk({ role: 'assistant', content: 'first' });
              await new Promise((_resolve, reject) => call.signal?.addEventListener('abort', () => reject(call.signal?.reason), { once: true }));
            } finally {
              ended = true;
            }
          },
        }),
      },
    });
    const controller = new AbortController();
    const result = streamText({ model: switchyard(gateway)('test/m'), prompt: 'Hi', abortSignal: controller.signal });
    for await (const text of result.textStream) {
      expect(text).toBe('first');
      controller.abort();
    }
    expect(providerSignal?.aborted).toBe(true);
    await expect.poll(() => ended).toBe(true);
  });
});

describe('fallback and errors', () => {
  async function mockOpenAI() {
    const server = await startMockServer();
    closers.push(() => server.close());
    return { server, adapter: openai({ client: new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL }) }) };
  }

  it('a route whose first target fails is served by the second, and providerMetadata shows it', async () => {
    const primary = await mockOpenAI();
    const backup = await mockOpenAI();
    primary.server.enqueue({ kind: 'error', status: 503, message: 'overloaded' });
    backup.server.enqueue({ content: 'From the backup.' });
    const gateway = createGateway({
      providers: { primary: primary.adapter, backup: backup.adapter },
      models: { smart: { fallback: ['primary/gpt-4.1', 'backup/gpt-4.1-mini'] } },
      routing: { retry: false },
    });
    const result = await generateText({ model: switchyard(gateway)('smart'), prompt: 'Hi' });
    expect(result.text).toBe('From the backup.');
    const meta = result.providerMetadata?.switchyard;
    expect(meta).toMatchObject({ route: 'smart', provider: 'backup', model: 'gpt-4.1-mini', attempts: 2 });
    expect(meta?.attemptHistory).toEqual([
      expect.objectContaining({ provider: 'primary', outcome: 'error', error: expect.objectContaining({ name: 'ProviderError', status: 503 }) }),
      expect.objectContaining({ provider: 'backup', outcome: 'success', error: null }),
    ]);
    expect(primary.server.requests).toHaveLength(1);
  });

  it('streams from the second target when the first fails before its first chunk', async () => {
    const primary = await mockOpenAI();
    const backup = await mockOpenAI();
    primary.server.enqueue({ kind: 'error', status: 500 });
    backup.server.enqueue({ content: 'streamed backup' });
    const gateway = createGateway({
      providers: { primary: primary.adapter, backup: backup.adapter },
      models: { smart: { fallback: ['primary/gpt-4.1', 'backup/gpt-4.1-mini'] } },
      routing: { retry: false },
    });
    const result = streamText({ model: switchyard(gateway)('smart'), prompt: 'Hi' });
    expect(await result.text).toBe('streamed backup');
    expect((await result.providerMetadata)?.switchyard).toMatchObject({ provider: 'backup', attempts: 2, outcome: 'success' });
  });

  it('a failed call is an APICallError with the status, not retryable by default, with the gateway error as cause', async () => {
    const { server, adapter } = await mockOpenAI();
    server.setFallback({ kind: 'error', status: 400, message: 'bad request' });
    const gateway = createGateway({ providers: { openai: adapter }, routing: { retry: false } });
    const failure = await generateText({ model: switchyard(gateway)('openai/gpt-4.1'), prompt: 'Hi' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APICallError);
    const error = failure as APICallError;
    expect(error.statusCode).toBe(400);
    expect(error.isRetryable).toBe(false);
    expect(error.cause).toBeInstanceOf(ProviderError);
    expect(error.url).toBe('switchyard://gateway/chat/completions');
    expect(error.data).toMatchObject({ code: 'provider_error', status: 400, attempts: 1 });
    // The AI SDK's own retries (maxRetries defaults to 2) did not run: the gateway had its turn.
    expect(server.requests).toHaveLength(1);
  });

  it('with aiSdkRetries the AI SDK retries what the gateway calls retryable, honouring retry-after-ms', async () => {
    const { server, adapter } = await mockOpenAI();
    server.enqueue({ kind: 'error', status: 503, headers: { 'retry-after-ms': '1' } }, { content: 'second time' });
    const gateway = createGateway({ providers: { openai: adapter }, routing: { retry: false } });
    const result = await generateText({ model: switchyard(gateway, { aiSdkRetries: true })('openai/gpt-4.1'), prompt: 'Hi', maxRetries: 1 });
    expect(result.text).toBe('second time');
    expect(server.requests).toHaveLength(2);
  });

  it('an unknown route is an APICallError 404', async () => {
    const gateway = createGateway({ providers: { test: scriptedAdapter({ chat: () => completionOf('x') }) } });
    const failure = await generateText({ model: switchyard(gateway)('nope'), prompt: 'Hi' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APICallError);
    expect((failure as APICallError).statusCode).toBe(404);
  });
});

describe('provider options and settings', () => {
  it('providerOptions.switchyard principal, tags and metadata reach the gateway events, over the provider defaults', async () => {
    const events: GatewayEvent[] = [];
    const gateway = createGateway({ providers: { test: scriptedAdapter({ chat: () => completionOf('ok') }) }, onEvent: (event) => events.push(event) });
    const provider = switchyard(gateway, { principal: { id: 'default-user' }, tags: ['app'], metadata: { feature: 'chat', tier: 'free' } });
    await generateText({
      model: provider('test/m'),
      prompt: 'Hi',
      providerOptions: { switchyard: { principal: { id: 'alice', teams: ['search'] }, tags: ['beta'], metadata: { tier: 'pro' } } },
    });
    await expect.poll(() => events.some((event) => event.type === 'request.end')).toBe(true);
    const start = events.find((event) => event.type === 'request.start');
    expect(start).toMatchObject({ principal: { id: 'alice', teams: ['search'] }, tags: ['app', 'beta'], metadata: { feature: 'chat', tier: 'pro' } });
  });

  it('the provider defaults apply when a call gives none', async () => {
    const events: GatewayEvent[] = [];
    const gateway = createGateway({ providers: { test: scriptedAdapter({ chat: () => completionOf('ok') }) }, onEvent: (event) => events.push(event) });
    await generateText({ model: switchyard(gateway, { principal: { id: 'service' } })('test/m'), prompt: 'Hi' });
    await expect.poll(() => events.some((event) => event.type === 'request.start')).toBe(true);
    expect(events.find((event) => event.type === 'request.start')).toMatchObject({ principal: { id: 'service' } });
  });

  it('a scoped client is a provider too: calls run as the scope principal', async () => {
    const events: GatewayEvent[] = [];
    const gateway = createGateway({ providers: { test: scriptedAdapter({ chat: () => completionOf('scoped') }) }, onEvent: (event) => events.push(event) });
    const scope = gateway.scope({ principal: { id: 'tenant-7' } });
    const result = await generateText({ model: switchyard(scope)('test/m'), prompt: 'Hi' });
    expect(result.text).toBe('scoped');
    await expect.poll(() => events.some((event) => event.type === 'request.start')).toBe(true);
    expect(events.find((event) => event.type === 'request.start')).toMatchObject({ principal: { id: 'tenant-7' } });
  });

  it('an unknown providerOptions.switchyard key is refused before anything is sent', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({ providers: { test: adapter } });
    const failure = await generateText({ model: switchyard(gateway)('test/m'), prompt: 'Hi', providerOptions: { switchyard: { principle: { id: 'typo' } } } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(InvalidArgumentError);
    expect((failure as Error).message).toContain('principle');
    expect(adapter.calls).toHaveLength(0);
  });

  it('providerOptions.switchyard sets user, parallel tool calls and reasoning effort on the request', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({ providers: { test: adapter } });
    await generateText({ model: switchyard(gateway)('test/m'), prompt: 'Hi', providerOptions: { switchyard: { user: 'u-1', parallelToolCalls: false, reasoningEffort: 'low' } } });
    expect(adapter.calls[0]?.params).toMatchObject({ user: 'u-1', parallel_tool_calls: false, reasoning_effort: 'low' });
  });

  it('bad settings are refused when the provider is made', () => {
    const gateway = createGateway({ providers: { test: scriptedAdapter({ chat: () => completionOf('ok') }) } });
    expect(() => switchyard(gateway, { maxEmbeddingsPerCall: 0 })).toThrow(InvalidArgumentError);
  });

  it('image models do not exist: NoSuchModelError', () => {
    const gateway = createGateway({ providers: { test: scriptedAdapter({ chat: () => completionOf('ok') }) } });
    expect(() => switchyard(gateway).imageModel('dall-e')).toThrow(NoSuchModelError);
  });
});

describe('gateway validation', () => {
  it('a call option value the gateway refuses is an APICallError 400 with the InvalidRequestError as cause', async () => {
    const adapter = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({ providers: { test: adapter } });
    const failure = await generateText({ model: switchyard(gateway)('test/m'), prompt: 'Hi', providerOptions: { switchyard: { timeout: -5 } } }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(APICallError);
    expect((failure as APICallError).statusCode).toBe(400);
    expect((failure as APICallError).cause).toBeInstanceOf(InvalidRequestError);
    expect(adapter.calls).toHaveLength(0);
  });
});
