// Checks for the reverse matrix: a raw Anthropic event sequence as the Messages streaming docs define it, and a Message with its ids left out.
import type Anthropic from '@anthropic-ai/sdk';
import { expect } from 'vitest';

/** The delta types Anthropic's streaming docs allow inside each kind of content block. */
const deltasOfBlock: Record<string, readonly string[]> = {
  text: ['text_delta', 'citations_delta'],
  tool_use: ['input_json_delta'],
  thinking: ['thinking_delta', 'signature_delta'],
  redacted_thinking: [],
};

/** The block as `content_block_start` must open it: empty, to be filled by deltas (Anthropic's streaming docs). */
function expectEmptyStart(block: Anthropic.RawContentBlockStartEvent['content_block']): void {
  if (block.type === 'text') expect(block.text).toBe('');
  else if (block.type === 'tool_use') {
    expect(block.input).toEqual({});
    expect(block.id).not.toBe('');
    expect(block.name).not.toBe('');
  } else if (block.type === 'thinking') expect(block.thinking).toBe('');
}

/**
 * Fails unless `events` is a well-formed Anthropic stream: `message_start` first (an empty
 * assistant message with no stop reason), then each content block as start / deltas of its
 * kind / stop, indexes 0, 1, 2… with one block open at a time, then one `message_delta` with
 * the stop reason, then `message_stop` last. `ping` may come anywhere in between.
 */
export function expectValidEventSequence(events: readonly Anthropic.RawMessageStreamEvent[]): void {
  const steps = events.filter((event) => (event.type as string) !== 'ping');
  const first = steps[0];
  expect(first?.type).toBe('message_start');
  if (first?.type === 'message_start') {
    expect(first.message).toMatchObject({ type: 'message', role: 'assistant', content: [], stop_reason: null });
  }
  expect(steps.at(-1)?.type).toBe('message_stop');
  expect(steps.at(-2)?.type).toBe('message_delta');
  let nextIndex = 0;
  let open: { index: number; type: string } | undefined;
  for (const event of steps.slice(1, -2)) {
    switch (event.type) {
      case 'content_block_start':
        expect(open, `block ${event.index} opened while block ${open?.index} is open`).toBeUndefined();
        expect(event.index).toBe(nextIndex);
        expect(Object.keys(deltasOfBlock)).toContain(event.content_block.type);
        expectEmptyStart(event.content_block);
        open = { index: event.index, type: event.content_block.type };
        nextIndex++;
        break;
      case 'content_block_delta':
        expect(event.index).toBe(open?.index);
        expect(deltasOfBlock[open?.type ?? '']).toContain(event.delta.type);
        break;
      case 'content_block_stop':
        expect(event.index).toBe(open?.index);
        open = undefined;
        break;
      default:
        throw new Error(`${event.type} inside the content blocks: Anthropic sends message_start, the blocks, message_delta, message_stop`);
    }
  }
  expect(open, 'a content block is still open at message_delta').toBeUndefined();
  const delta = steps.at(-2);
  if (delta?.type === 'message_delta') expect(delta.delta.stop_reason).not.toBeNull();
}

/** The message as plain data without what differs between two calls of one case: the message id, and tool_use ids when the provider has none (Gemini). */
export function withoutIds(message: Anthropic.Message, toolIds: 'keep' | 'drop'): Record<string, unknown> {
  // The SDK's stream helpers add `parsed_output` (null without an output format); `create` has none.
  // `_request_id` is the gateway request's, one per call.
  const { id: _id, parsed_output: _parsed, _request_id: _requestId, ...rest } = message as Anthropic.Message & { parsed_output?: unknown; _request_id?: unknown };
  const content = message.content.map((block) => (block.type === 'tool_use' && toolIds === 'drop' ? { ...block, id: '<generated>' } : { ...block }));
  return JSON.parse(JSON.stringify({ ...rest, content })) as Record<string, unknown>;
}
