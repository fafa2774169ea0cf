// The `openai` SDK's helpers built on create (parse with zod, the stream helper, runTools) work through a wrapped client and reach the gateway.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { flushEvents, messages, wrapSetup } from './wrap-openai-setup.js';

const setup = wrapSetup();

describe('the SDK helpers through a wrapped client', () => {
  it('chat.completions.parse with zodResponseFormat: parsed through the gateway (falling back)', async () => {
    const { gateway, client, primary, backup, ends } = await setup();
    primary.enqueue({ kind: 'error', status: 503 });
    backup.enqueue({ content: JSON.stringify({ city: 'Paris', celsius: 21 }) });
    const Weather = z.object({ city: z.string(), celsius: z.number() });
    const completion = await gateway.wrap(client).chat.completions.parse({ model: 'smart', messages, response_format: zodResponseFormat(Weather, 'weather') });
    const parsed: { city: string; celsius: number } | null | undefined = completion.choices[0]?.message.parsed;
    expect(parsed).toEqual({ city: 'Paris', celsius: 21 });
    expect(backup.requests[0]?.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'weather' } } });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ route: 'smart', provider: 'backup', attempts: 2 });
  });

  it('chat.completions.stream(): events and finalChatCompletion() through the gateway', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'streamed by the helper' });
    const runner = gateway.wrap(client).chat.completions.stream({ model: 'smart', messages });
    const deltas: string[] = [];
    runner.on('content', (delta) => void deltas.push(delta));
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('streamed by the helper');
    expect(deltas.join('')).toBe('streamed by the helper');
    expect(primary.requests[0]?.body).toMatchObject({ model: 'gpt-4o', stream: true });
    await flushEvents();
    expect(ends()[0]).toMatchObject({ route: 'smart', stream: true, outcome: 'success' });
  });

  it('chat.completions.stream(): abort() ends the gateway call', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ content: 'one two three four five six' });
    const runner = gateway.wrap(client).chat.completions.stream({ model: 'smart', messages });
    runner.on('content', () => runner.abort());
    const error: unknown = await runner.finalChatCompletion().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIUserAbortError);
    await flushEvents();
    expect(ends()[0]?.outcome).toBe('aborted');
  });

  it('chat.completions.runTools: the tool loop runs through the gateway, each turn a gateway call', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] }, { content: 'It is 21 degrees in Paris.' });
    const asked: string[] = [];
    const runner = gateway.wrap(client).chat.completions.runTools({
      model: 'smart',
      messages,
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'The weather in a city',
            parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
            parse: (input: string) => JSON.parse(input) as { city: string },
            function: ({ city }: { city: string }) => {
              asked.push(city);
              return { celsius: 21 };
            },
          },
        },
      ],
    });
    expect(await runner.finalContent()).toBe('It is 21 degrees in Paris.');
    expect(asked).toEqual(['Paris']);
    expect(primary.requests).toHaveLength(2);
    const second = primary.requests[1]?.body as { messages: Array<{ role: string; content?: unknown }> };
    expect(second.messages.at(-1)).toMatchObject({ role: 'tool', content: JSON.stringify({ celsius: 21 }) });
    await flushEvents();
    expect(ends().map((end) => end.route)).toEqual(['smart', 'smart']);
  });

  it('chat.completions.runTools with stream: true also goes through the gateway', async () => {
    const { gateway, client, primary, ends } = await setup();
    primary.enqueue({ toolCalls: [{ id: 'call_1', name: 'now', arguments: '{}' }] }, { content: 'noon' });
    const runner = gateway.wrap(client).chat.completions.runTools({
      model: 'smart',
      messages,
      stream: true,
      tools: [{ type: 'function', function: { name: 'now', description: 'The time', parameters: { type: 'object', properties: {} }, function: () => '12:00' } }],
    });
    expect(await runner.finalContent()).toBe('noon');
    await flushEvents();
    expect(ends().map((end) => [end.route, end.stream])).toEqual([
      ['smart', true],
      ['smart', true],
    ]);
  });
});
