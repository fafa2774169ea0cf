// Chunk-to-part translation: blocks of text and reasoning, tool calls by index, finish reasons.
import type { LanguageModelV4StreamPart } from '@ai-sdk/provider';
import type { ChatCompletionChunk } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { StreamTranslator } from './stream-parts.js';

const chunk = (delta: ChatCompletionChunk['choices'][number]['delta'], finish: ChatCompletionChunk['choices'][number]['finish_reason'] = null): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta, finish_reason: finish }],
});

function run(chunks: ChatCompletionChunk[]): { parts: LanguageModelV4StreamPart[]; translator: StreamTranslator } {
  let id = 0;
  const translator = new StreamTranslator(() => `gen-${id++}`);
  const parts: LanguageModelV4StreamPart[] = [];
  for (const item of chunks) translator.translate(item, parts);
  translator.end(parts);
  return { parts, translator };
}

describe('StreamTranslator', () => {
  it('opens a new block id each time text and reasoning alternate', () => {
    const { parts } = run([chunk({ reasoning_content: 'a' }), chunk({ content: 'b' }), chunk({ reasoning_content: 'c' }), chunk({ content: 'd' }, 'stop')]);
    expect(parts.filter((part) => part.type !== 'response-metadata').map((part) => `${part.type}:${'id' in part ? part.id : ''}`)).toEqual([
      'reasoning-start:reasoning-0',
      'reasoning-delta:reasoning-0',
      'reasoning-end:reasoning-0',
      'text-start:text-1',
      'text-delta:text-1',
      'text-end:text-1',
      'reasoning-start:reasoning-2',
      'reasoning-delta:reasoning-2',
      'reasoning-end:reasoning-2',
      'text-start:text-3',
      'text-delta:text-3',
      'text-end:text-3',
    ]);
  });

  it('reports response metadata once, from the first chunk', () => {
    const { parts } = run([chunk({ content: 'a' }), chunk({ content: 'b' })]);
    expect(parts.filter((part) => part.type === 'response-metadata')).toEqual([{ type: 'response-metadata', id: 'c', modelId: 'm', timestamp: new Date(1000) }]);
  });

  it('gives a tool call without an id a generated one', () => {
    const { parts } = run([chunk({ tool_calls: [{ index: 0, function: { name: 'now', arguments: '{}' } }] }, 'tool_calls')]);
    expect(parts.filter((part) => part.type === 'tool-call')).toEqual([{ type: 'tool-call', toolCallId: 'gen-0', toolName: 'now', input: '{}' }]);
  });

  it('maps a refusal to content-filter, and a stream without a finish reason to interrupted', () => {
    expect(run([chunk({ refusal: 'No.' }, 'stop')]).translator.finishReason()).toEqual({ unified: 'content-filter', raw: 'stop' });
    expect(run([chunk({ content: 'cut' })]).translator.finishReason()).toEqual({ unified: 'interrupted', raw: undefined });
  });
});
