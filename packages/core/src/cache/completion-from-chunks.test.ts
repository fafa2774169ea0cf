import { describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import { chunksFromCompletion } from './chunks-from-completion.js';
import { CompletionAssembler } from './completion-from-chunks.js';

const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk' as const, created: 1_700_000_000, model: 'gpt-4.1-2025-04-14', system_fingerprint: 'fp_1' };
const chunk = (choices: ChatCompletionChunk['choices'], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({ ...base, choices, ...extra });
const usage = { prompt_tokens: 20, completion_tokens: 12, total_tokens: 32, prompt_tokens_details: { cached_tokens: 0 }, completion_tokens_details: { reasoning_tokens: 0 } };

/** A tool-calling stream as OpenAI documents it: the id and name first, the arguments in fragments, two calls, then the finish and usage chunks. */
const toolStream: ChatCompletionChunk[] = [
  chunk([{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: { tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }, finish_reason: null }]),
  chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
  chunk([], { usage }),
];

function assemble(chunks: readonly ChatCompletionChunk[]): CompletionAssembler {
  const assembler = new CompletionAssembler();
  for (const c of chunks) assembler.add(c);
  return assembler;
}

describe('CompletionAssembler', () => {
  it('adds a tool-calling stream up into the completion OpenAI returns for it', () => {
    expect(assemble(toolStream).completion()).toEqual({
      id: 'chatcmpl-1',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4.1-2025-04-14',
      system_fingerprint: 'fp_1',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: null,
            refusal: null,
            tool_calls: [
              { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
              { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
      usage,
    } satisfies ChatCompletion);
  });

  it('keeps interleaved choices apart (n > 1)', () => {
    const completion = assemble([
      chunk([{ index: 1, delta: { role: 'assistant', content: 'B' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { role: 'assistant', content: 'A' }, finish_reason: null }]),
      chunk([{ index: 0, delta: { content: '1' }, finish_reason: 'stop' }]),
      chunk([{ index: 1, delta: { content: '2' }, finish_reason: 'length' }]),
    ]).completion();
    expect(completion?.choices.map((c) => [c.index, c.message.content, c.finish_reason])).toEqual([
      [0, 'A1', 'stop'],
      [1, 'B2', 'length'],
    ]);
  });

  it('has no completion while a choice has no finish reason (a stream cut short)', () => {
    expect(assemble(toolStream.slice(0, 3)).completion()).toBeUndefined();
    expect(assemble([]).completion()).toBeUndefined();
  });

  it('copies what it is handed: a caller changing the chunks afterwards changes nothing', () => {
    const chunks = structuredClone(toolStream);
    const assembler = assemble(chunks);
    (chunks[5] as ChatCompletionChunk).usage = undefined;
    const call = chunks[0]?.choices[0]?.delta.tool_calls?.[0];
    if (call?.function) call.function.name = 'changed';
    expect(assembler.completion()).toEqual(assemble(toolStream).completion());
  });

  it('marks a stream with audio as one a replay cannot give back', () => {
    const assembler = assemble([chunk([{ index: 0, delta: { audio: { id: 'audio_1', data: 'AAA' } }, finish_reason: 'stop' }])]);
    expect(assembler.unreplayable).toBe(true);
  });
});

describe('chunksFromCompletion', () => {
  const completion: ChatCompletion = {
    id: 'chatcmpl-2',
    object: 'chat.completion',
    created: 1_700_000_001,
    model: 'gpt-4.1',
    service_tier: 'default',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Checking.',
          refusal: null,
          reasoning_content: 'think',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
            { id: 'call_2', type: 'custom', custom: { name: 'shell', input: 'ls' } },
          ],
        },
        finish_reason: 'tool_calls',
        logprobs: { content: [{ token: 'Checking', bytes: null, logprob: -0.1, top_logprobs: [] }], refusal: null },
      },
      { index: 1, message: { role: 'assistant', content: null, refusal: 'No.' }, finish_reason: 'stop', logprobs: null },
    ],
    usage,
  };

  it('replays a completion as chunks that add up to it again', () => {
    expect(assemble(chunksFromCompletion(completion)).completion()).toEqual(completion);
    const fromStream = assemble(toolStream).completion() as ChatCompletion;
    expect(assemble(chunksFromCompletion(fromStream)).completion()).toEqual(fromStream);
  });

  it('sends the role first, the finish reason last per choice, and the usage in a chunk of its own', () => {
    const chunks = chunksFromCompletion(completion);
    expect(chunks.every((c) => c.object === 'chat.completion.chunk' && c.id === 'chatcmpl-2')).toBe(true);
    const first = chunks.filter((c) => c.choices[0]?.index === 0);
    expect(first[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(first.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(first.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null)).toBe(true);
    expect(chunks.at(-1)).toMatchObject({ choices: [], usage });
    expect(chunks.slice(0, -1).every((c) => c.usage === undefined)).toBe(true);
  });
});
