import { createGateway, type ChatCompletionChunk, type CompletionUsage } from '@switchyard/core';
import { usageFromCompletionUsage } from '@switchyard/core/adapter';
import { openai } from '@switchyard/openai';
import { startMockServer, type MockServer } from '@switchyard/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkLines, loadFixtures } from './fixtures.js';

const fixtures = loadFixtures('openai');
const messages = [{ role: 'user' as const, content: 'Tell me something.' }];

async function collect<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of stream) out.push(item);
  return out;
}

describe.runIf(fixtures)('OpenAI recorded responses replay identically through the gateway', () => {
  let server: MockServer;
  let client: OpenAI;
  const gateway = () => createGateway({ providers: { openai: openai({ client }) } });

  beforeAll(async () => {
    server = await startMockServer();
    client = new OpenAI({ apiKey: 'sk-test-fixtures', baseURL: server.baseURL });
  });
  afterAll(() => server.close());

  for (const fixture of fixtures ?? []) {
    if (fixture.kind === 'json' && fixture.name.includes('embedding')) {
      it(`${fixture.name}: embeddings equal the direct SDK call`, async () => {
        server.enqueue({ kind: 'raw', body: fixture.text }, { kind: 'raw', body: fixture.text });
        const direct = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
        const { data, meta } = await gateway().embeddings.create({ model: 'openai/text-embedding-3-small', input: 'x' }).withMeta();
        expect(data).toEqual(direct);
        expect(data.data.length).toBeGreaterThan(0);
        expect(meta.usage?.inputTokens).toBe(direct.usage.prompt_tokens);
      });
    } else if (fixture.kind === 'json') {
      it(`${fixture.name}: the completion equals the direct SDK call`, async () => {
        server.enqueue({ kind: 'raw', body: fixture.text }, { kind: 'raw', body: fixture.text });
        const direct = await client.chat.completions.create({ model: 'gpt-4.1-nano', messages });
        const { data, meta } = await gateway().chat.completions.create({ model: 'openai/gpt-4.1-nano', messages }).withMeta();
        expect(data).toEqual(direct);
        expect(meta.usage).toEqual(usageFromCompletionUsage(direct.usage as CompletionUsage));
      });
    } else {
      it(`${fixture.name}: the stream equals the direct SDK stream, with and without include_usage`, async () => {
        const reply = { kind: 'raw-stream' as const, events: chunkLines(fixture.text) };
        server.enqueue(reply, reply, reply);
        const params = { model: 'gpt-4.1-nano', messages, stream: true as const, stream_options: { include_usage: true } };
        const direct = await collect(await client.chat.completions.create(params));
        const viaGateway = await collect(await gateway().chat.completions.create({ ...params, model: 'openai/gpt-4.1-nano' }));
        expect(viaGateway).toEqual(direct);

        const { data, meta } = await gateway().chat.completions.create({ model: 'openai/gpt-4.1-nano', messages, stream: true }).withMeta();
        const withoutUsage = await collect(data);
        const expected = direct.filter((chunk) => !(chunk.choices.length === 0 && chunk.usage)).map((chunk): ChatCompletionChunk => ({ ...chunk, usage: undefined }));
        expect(withoutUsage).toEqual(expected);
        const usageChunk = direct.find((chunk) => chunk.usage);
        if (usageChunk?.usage) expect((await meta.finished).usage).toEqual(usageFromCompletionUsage(usageChunk.usage));
        const text = withoutUsage.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
        expect(text.length).toBeGreaterThan(0);
      });
    }
  }
});
