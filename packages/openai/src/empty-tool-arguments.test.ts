import type { ChatCompletionChunk } from '@switchyard/core';
import { describe, expect, it } from 'vitest';
import { EmptyToolArguments } from './empty-tool-arguments.js';

type Delta = ChatCompletionChunk['choices'][number]['delta'];
const chunk = (delta: Delta, finish_reason: ChatCompletionChunk['choices'][number]['finish_reason'] = null, index = 0): ChatCompletionChunk => ({
  id: 'c',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index, delta, finish_reason, logprobs: null }],
});

/** The stream as the caller gets it: each chunk, preceded by what the tracker adds. */
function run(chunks: ChatCompletionChunk[]): ChatCompletionChunk[] {
  const tracker = new EmptyToolArguments();
  return chunks.flatMap((item) => {
    const fix = tracker.before(item);
    return fix ? [fix, item] : [item];
  });
}

const argumentsOf = (chunks: ChatCompletionChunk[]) => {
  const out: Record<string, string> = {};
  for (const item of chunks) {
    for (const choice of item.choices) {
      for (const call of choice.delta.tool_calls ?? []) out[`${choice.index}:${call.index}`] = (out[`${choice.index}:${call.index}`] ?? '') + (call.function?.arguments ?? '');
    }
  }
  return out;
};

describe('EmptyToolArguments', () => {
  it('sends "{}" before the finish for a call whose arguments stayed empty, and leaves the others alone', () => {
    const out = run([
      chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'clock', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: '{"city":"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 2, id: 'c', type: 'function', function: { name: 'ping' } }] }),
      chunk({}, 'tool_calls'),
    ]);
    expect(argumentsOf(out)).toEqual({ '0:0': '{}', '0:1': '{"city":"Paris"}', '0:2': '{}' });
    // Added just before the finish chunk, which is unchanged.
    expect(out.at(-2)?.choices[0]).toEqual({ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{}' } }, { index: 2, function: { arguments: '{}' } }] }, finish_reason: null, logprobs: null });
    expect(out.at(-1)).toEqual(chunk({}, 'tool_calls'));
  });

  it('adds nothing when OpenAI already sent "{}", or for a stream without tool calls, or for custom tools', () => {
    const openaiStyle = [chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'clock', arguments: '' } }] }), chunk({ tool_calls: [{ index: 0, function: { arguments: '{}' } }] }), chunk({}, 'tool_calls')];
    expect(run(openaiStyle)).toEqual(openaiStyle);
    const text = [chunk({ content: 'hi' }), chunk({}, 'stop')];
    expect(run(text)).toEqual(text);
    const custom = [chunk({ tool_calls: [{ index: 0, id: 'x', type: 'custom', custom: { name: 'sql', input: '' } }] }), chunk({}, 'tool_calls')];
    expect(run(custom)).toEqual(custom);
  });

  it('keeps choices apart', () => {
    const out = run([
      chunk({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'clock', arguments: '' } }] }, null, 0),
      chunk({ tool_calls: [{ index: 0, id: 'b', type: 'function', function: { name: 'clock', arguments: '{"tz":"UTC"}' } }] }, null, 1),
      chunk({}, 'tool_calls', 1),
      chunk({}, 'tool_calls', 0),
    ]);
    expect(argumentsOf(out)).toEqual({ '0:0': '{}', '1:0': '{"tz":"UTC"}' });
  });
});
