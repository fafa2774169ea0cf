import { InvalidRequestError, UnknownModelError, createGateway, type ChatCompletionCreateParams } from '@switchyard/core';
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

  describe('an unknown model names what was probably meant', () => {
    const answering = scriptedAdapter({ chat: () => completionOf('ok') });
    const gateway = createGateway({
      providers: { openai: answering, anthropic: answering, p: answering },
      models: { smart: 'openai/gpt-4.1', fast: 'anthropic/claude-haiku-4-5' },
    });
    const messageFor = (model: string) =>
      gateway.chat.completions.create({ model, messages: [{ role: 'user', content: 'x' }] }).then(
        () => 'resolved',
        (caught: unknown) => {
          expect(caught).toBeInstanceOf(UnknownModelError);
          return (caught as Error).message;
        },
      );

    it('a misspelt provider: not configured, and the closest one', async () => {
      const message = await messageFor('opnai/gpt-4.1');
      expect(message).toContain(`Unknown model 'opnai/gpt-4.1'. 'opnai' is not a configured provider; did you mean 'openai'?`);
      expect(message).toContain('with a provider of: openai, anthropic, p.');
      expect(await messageFor('Anthropc/claude')).toContain(`'Anthropc' is not a configured provider; did you mean 'anthropic'?`);
      // A one-letter key is suggested only for a difference of case.
      expect(await messageFor('P/m')).toContain(`did you mean 'p'?`);
    });

    it('a provider nothing is close to: not configured, and no guess', async () => {
      const message = await messageFor('mistral/large');
      expect(message).toContain(`'mistral' is not a configured provider. Use a route (smart, fast)`);
      expect(message).not.toContain('did you mean');
      expect(await messageFor('x/m')).not.toContain('did you mean');
    });

    it('a misspelt route: the closest route', async () => {
      expect(await messageFor('smrt')).toContain(`Unknown model 'smrt'. No route has that name; did you mean 'smart'?`);
      expect(await messageFor('gpt-4.1')).not.toContain('did you mean');
    });

    it('quotes a long misspelt provider by an excerpt and still answers at once', async () => {
      const provider = 'o'.repeat(1_000);
      const started = performance.now();
      const message = await messageFor(`${provider}/m`);
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(message).toContain(`'${'o'.repeat(100)}…' (1000 characters) is not a configured provider.`);
      expect(message).not.toContain('o'.repeat(101));
    });
  });
});

/** Calls that must fail with an InvalidRequestError: a rejected promise, never a throw from `create`. */
async function rejectionOf(call: () => Promise<unknown>): Promise<InvalidRequestError> {
  let promise: Promise<unknown> | undefined;
  expect(() => (promise = call())).not.toThrow();
  const error = await promise?.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidRequestError);
  return error as InvalidRequestError;
}

const user = [{ role: 'user' as const, content: 'x' }];

describe('malformed arguments', () => {
  it('rejects missing or non-object params with the usual events, sending nothing', async () => {
    const { gateway, adapter, events } = setup();
    const chat = gateway.chat.completions.create as (params: unknown, options?: unknown) => Promise<unknown>;
    const embed = gateway.embeddings.create as (params: unknown, options?: unknown) => Promise<unknown>;
    const bad: unknown[] = [null, undefined, 'p/m', 42, []];
    for (const params of bad) {
      const error = await rejectionOf(() => chat(params));
      expect(error.issues).toEqual([{ path: '', message: 'Invalid input: expected an object' }]);
      expect(error.message).toMatch(/nothing was sent/);
      await rejectionOf(() => embed(params));
    }
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    const starts = events.events.filter((event) => event.type === 'request.start');
    expect(starts).toHaveLength(bad.length * 2);
    expect(starts[0]).toMatchObject({ operation: 'chat', route: '(none)', stream: false });
    expect(events.ends()).toHaveLength(bad.length * 2);
    expect(events.ends().every((end) => end.outcome === 'error' && end.error?.code === 'invalid_request')).toBe(true);
  });

  it('turns a getter that throws while the params are read into an InvalidRequestError, quoting nothing of it', async () => {
    const { gateway, adapter, events } = setup();
    const params = {
      model: 'p/m',
      messages: [{ role: 'user', content: 'hi' }],
      get extra(): never {
        throw new Error('secret-prompt-text');
      },
    } as unknown as ChatCompletionCreateParams;
    const error = await rejectionOf(() => gateway.chat.completions.create(params));
    expect(error.message).toMatch(/could not be read: reading a field threw Error/);
    expect(error.message).not.toContain('secret-prompt-text');
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    expect(events.ends().map((end) => end.error?.code)).toEqual(['invalid_request']);
  });

  it('rejects options that are not an object, and withMeta() rejects the same way', async () => {
    const { gateway, adapter, events } = setup();
    const chat = gateway.chat.completions.create as (params: unknown, options?: unknown) => ReturnType<typeof gateway.chat.completions.create>;
    for (const options of [null, 'fast', 5, [], () => undefined]) {
      const error = await rejectionOf(() => chat({ model: 'p/m', messages: user }, options));
      expect(error.issues).toEqual([{ path: 'options', message: expect.stringMatching(/expected object/) }]);
    }
    await expect(chat({ model: 'p/m', messages: user }, null).withMeta()).rejects.toBeInstanceOf(InvalidRequestError);
    await rejectionOf(() => (gateway.embeddings.create as (p: unknown, o: unknown) => Promise<unknown>)({ model: 'p/e', input: 'x' }, null));
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    expect(events.ends()).toHaveLength(7);
  });

  it('treats params named like Object.prototype members as ordinary unknown fields', async () => {
    const { gateway, adapter } = setup();
    for (const key of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const params = { model: 'p/m', messages: user };
      Object.defineProperty(params, key, { value: 'x', enumerable: true });
      await expect(gateway.chat.completions.create(params)).resolves.toMatchObject({ object: 'chat.completion' });
      const embeddings = { model: 'p/e', input: 'x' };
      Object.defineProperty(embeddings, key, { value: 'x', enumerable: true });
      await expect(gateway.embeddings.create(embeddings)).resolves.toMatchObject({ object: 'list' });
    }
    expect(adapter.calls).toHaveLength(8);
  });
});

describe('params that cannot be sent as JSON', () => {
  const tool = (parameters: Record<string, unknown>) => [{ type: 'function' as const, function: { name: 'lookup', parameters } }];

  async function expectRefused(params: unknown, path: string | RegExp, message: RegExp, operation: 'chat' | 'embeddings' = 'chat') {
    const { gateway, adapter, events } = setup();
    const create = (operation === 'chat' ? gateway.chat.completions.create : gateway.embeddings.create) as (params: unknown) => Promise<unknown>;
    const error = await rejectionOf(() => create(params));
    expect(error.issues).toContainEqual({ path: typeof path === 'string' ? path : expect.stringMatching(path), message: expect.stringMatching(message) });
    if (typeof path === 'string') expect(error.message).toContain(`${path}: `);
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    expect(events.ends()).toEqual([expect.objectContaining({ outcome: 'error', attempts: 0, error: expect.objectContaining({ code: 'invalid_request' }) })]);
    return error;
  }

  it('refuses a BigInt in a passed-through field, a tool schema or an unchecked key, naming the path not the value', async () => {
    const error = await expectRefused({ model: 'p/m', messages: user, vendor_extra: { budget: 123456789012345678901234567890n } }, 'vendor_extra.budget', /BigInt/);
    expect(JSON.stringify(error) + error.message).not.toContain('123456789012345678901234567890');
    await expectRefused({ model: 'p/m', messages: user, tools: tool({ properties: { x: { maximum: 10n } } }) }, 'tools.0.function.parameters.properties.x.maximum', /BigInt/);
    await expectRefused({ model: 'p/m', messages: [{ role: 'user', content: 'x', note: [1n] }] }, 'messages.0.note.0', /BigInt/);
    await expectRefused({ model: 'p/e', input: 'x', extra: 1n }, 'extra', /BigInt/, 'embeddings');
  });

  it('reports a BigInt where the contract wants a number once, as the field check does', async () => {
    const error = await expectRefused({ model: 'p/m', messages: user, temperature: 1n }, 'temperature', /expected number/);
    expect(error.issues.filter((issue) => issue.path === 'temperature')).toHaveLength(1);
  });

  it('refuses circular references, naming where they close', async () => {
    const parameters: Record<string, unknown> = { type: 'object' };
    parameters.properties = { self: parameters };
    await expectRefused({ model: 'p/m', messages: user, tools: tool(parameters) }, 'tools.0.function.parameters.properties.self', /circular reference back to tools\.0\.function\.parameters/);
    const extra: Record<string, unknown> = {};
    extra.loop = { back: extra };
    await expectRefused({ model: 'p/e', input: ['a'], extra }, 'extra.loop.back', /circular/, 'embeddings');
  });

  it('accepts shared (not circular) references and deep real-world tool schemas', async () => {
    const { gateway, adapter } = setup();
    const shared = { type: 'string', description: 'an id' };
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 40; i++) schema = { type: 'object', properties: { child: schema, id: shared }, required: ['child'] };
    await gateway.chat.completions.create({ model: 'p/m', messages: user, tools: tool(schema) });
    expect(adapter.calls).toHaveLength(1);
  });

  it('refuses input nested 10,000 deep as the caller\'s error, not the provider\'s', async () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const error = await expectRefused({ model: 'p/m', messages: user, tools: tool(deep) }, /^tools\.0\.function\.parameters\.a\.a\.a/, /nested more than 100 levels deep/);
    expect(error.issues[0]?.path.length).toBeLessThanOrEqual(300);
    let list: unknown[] = [];
    for (let i = 0; i < 10_000; i++) list = [list];
    await expectRefused({ model: 'p/e', input: 'x', extra: list }, /^extra\.0\.0\.0/, /nested more than/, 'embeddings');
  });
});

describe('errors and events quote caller input in bounded excerpts', () => {
  it('a 50 MB model name: rejected as too long, quoted by an excerpt in the error and the events', async () => {
    const { gateway, adapter, events } = setup();
    const model = `p/${'m'.repeat(50_000_000)}`;
    for (const create of [
      () => gateway.chat.completions.create({ model, messages: user }),
      () => gateway.embeddings.create({ model, input: 'x' }),
    ]) {
      const error = await rejectionOf(create);
      expect(error.issues).toEqual([{ path: 'model', message: 'Too long: a model name has at most 1024 characters' }]);
      expect(error.message.length).toBeLessThan(500);
    }
    expect(adapter.calls).toHaveLength(0);
    await flushEvents();
    expect(events.events).toHaveLength(4);
    for (const event of events.events) expect(JSON.stringify(event).length).toBeLessThan(2_000);
    expect(events.ends()[0]?.route).toBe(`p/${'m'.repeat(98)}… (50000002 characters)`);
  });

  it('an unknown model is quoted by an excerpt', async () => {
    const { gateway } = setup();
    const model = `nope-${'x'.repeat(1_000)}`;
    const error = await gateway.chat.completions.create({ model, messages: user }).then(
      () => new Error('expected an UnknownModelError'),
      (caught: unknown) => caught as Error,
    );
    expect(error).toMatchObject({ name: 'UnknownModelError' });
    expect(error.message).toContain(`Unknown model 'nope-${'x'.repeat(95)}…' (1005 characters).`);
    expect(error.message).not.toContain('x'.repeat(101));
  });

  it('long keys in issue paths and messages are cut, and the message lists ten problems at most', async () => {
    const { gateway } = setup();
    const key = 'k'.repeat(1_000_000);
    const keyed = await rejectionOf(() =>
      gateway.chat.completions.create({ model: 'p/m', messages: user }, { metadata: { [key]: {} }, [key]: 1 } as never),
    );
    for (const issue of keyed.issues) {
      expect(issue.path.length + issue.message.length).toBeLessThan(500);
    }
    expect(keyed.message.length).toBeLessThan(2_000);
    const many = await rejectionOf(() =>
      gateway.chat.completions.create({ model: 'p/m', messages: Array.from({ length: 50 }, () => ({ role: 'wizard', content: 'x' })) } as never),
    );
    expect(many.issues).toHaveLength(50);
    expect(many.message.split('\n')).toHaveLength(1 + 10 + 1);
    expect(many.message).toMatch(/… and 40 more \(see error\.issues\)$/);
  });
});

describe('error texts that quote input', () => {
  it('are bounded even when the quote was not cut first (a backstop for adapters and routers)', () => {
    const long = `tool call id 'x${'y'.repeat(1_000_000)}' is unknown`;
    for (const error of [new InvalidRequestError(long), new UnknownModelError(long)]) {
      expect(error.message.length).toBeLessThan(8_100);
      expect(error.message.endsWith(`… (${long.length} characters)`)).toBe(true);
      expect(JSON.stringify(error.toJSON()).length).toBeLessThan(8_200);
    }
    expect(new InvalidRequestError('short').message).toBe('short');
  });
});
