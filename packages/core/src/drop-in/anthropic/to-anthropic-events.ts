// The gateway's OpenAI chunks as Anthropic's raw stream events: message_start, one content block per thinking/text/tool call with its deltas, message_delta, message_stop.
import type { ChatCompletionChunk } from '../../contract/chat-chunk.js';
import type { FinishReason } from '../../contract/chat-completion.js';
import type { CompletionUsage } from '../../contract/shared-schemas.js';
import type { AnthropicContentBlock, AnthropicStreamEvent } from './anthropic-wire-types.js';
import { UntranslatableAnswerError, messageIdOf, stopDetailsOf, toAnthropicDeltaUsage, toAnthropicUsage, toStopReason, toolInput } from './to-anthropic-message.js';

type OpenBlock =
  | { kind: 'text'; index: number }
  | { kind: 'thinking'; index: number }
  | { kind: 'tool'; index: number; toolIndex: number; name: string; args: string };

/** Translates one answer's chunks; `push` per chunk, `end` once the chunks are over. */
class EventTranslator {
  #started = false;
  #open: OpenBlock | undefined;
  #blocks = 0;
  #finish: FinishReason | null = null;
  #usage: CompletionUsage | undefined;
  #refusal = '';
  #toolCalls = 0;
  readonly #closedTools = new Set<number>();
  readonly #requestedModel: string;

  constructor(requestedModel: string) {
    this.#requestedModel = requestedModel;
  }

  push(chunk: ChatCompletionChunk): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (!this.#started) events.push(this.#start(chunk.id, chunk.model, chunk.usage ?? undefined));
    if (chunk.usage) this.#usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) return events;
    const delta = choice.delta;
    if (delta.reasoning_content) {
      this.#ensure(events, 'thinking', () => ({ type: 'thinking', thinking: '', signature: '' }));
      events.push({ type: 'content_block_delta', index: this.#blocks - 1, delta: { type: 'thinking_delta', thinking: delta.reasoning_content } });
    }
    for (const detail of delta.reasoning_details ?? []) {
      if (detail.type === 'thinking') {
        // The adapter sends a thinking block's text as it comes and the whole block, signed, at its end.
        if (this.#open?.kind !== 'thinking') {
          this.#ensure(events, 'thinking', () => ({ type: 'thinking', thinking: '', signature: '' }));
          if (detail.thinking !== '') events.push({ type: 'content_block_delta', index: this.#blocks - 1, delta: { type: 'thinking_delta', thinking: detail.thinking } });
        }
        if (detail.signature) events.push({ type: 'content_block_delta', index: this.#blocks - 1, delta: { type: 'signature_delta', signature: detail.signature } });
        this.#close(events);
      } else if (detail.type === 'redacted_thinking') {
        this.#close(events);
        events.push({ type: 'content_block_start', index: this.#blocks++, content_block: { type: 'redacted_thinking', data: detail.data } });
        events.push({ type: 'content_block_stop', index: this.#blocks - 1 });
      }
    }
    if (delta.content) {
      this.#ensure(events, 'text', () => ({ type: 'text', text: '', citations: null }));
      events.push({ type: 'content_block_delta', index: this.#blocks - 1, delta: { type: 'text_delta', text: delta.content } });
    }
    if (delta.refusal) this.#refusal += delta.refusal;
    for (const call of delta.tool_calls ?? []) {
      const open = this.#open;
      if (open?.kind !== 'tool' || open.toolIndex !== call.index) {
        if (this.#closedTools.has(call.index)) {
          throw new UntranslatableAnswerError('The answer streamed the arguments of several tool calls interleaved; Anthropic streams one content block at a time.');
        }
        this.#close(events);
        const name = call.function?.name ?? '';
        this.#open = { kind: 'tool', index: this.#blocks, toolIndex: call.index, name, args: '' };
        this.#toolCalls++;
        events.push({ type: 'content_block_start', index: this.#blocks++, content_block: { type: 'tool_use', id: call.id ?? '', name, input: {}, caller: { type: 'direct' } } });
      }
      const fragment = call.function?.arguments ?? '';
      const current = this.#open;
      if (fragment !== '' && current?.kind === 'tool') {
        current.args += fragment;
        events.push({ type: 'content_block_delta', index: current.index, delta: { type: 'input_json_delta', partial_json: fragment } });
      }
    }
    if (choice.finish_reason) this.#finish = choice.finish_reason;
    return events;
  }

  end(): AnthropicStreamEvent[] {
    const events: AnthropicStreamEvent[] = [];
    if (!this.#started) events.push(this.#start('', this.#requestedModel, undefined));
    this.#close(events);
    const stopReason = this.#refusal !== '' ? 'refusal' : toStopReason(this.#finish, this.#toolCalls > 0);
    events.push({
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null, stop_details: stopDetailsOf(stopReason, this.#refusal || null), container: null },
      usage: toAnthropicDeltaUsage(this.#usage),
    });
    events.push({ type: 'message_stop' });
    return events;
  }

  #start(id: string, model: string, usage: CompletionUsage | undefined): AnthropicStreamEvent {
    this.#started = true;
    return {
      type: 'message_start',
      message: {
        id: messageIdOf(id),
        type: 'message',
        role: 'assistant',
        model: model || this.#requestedModel,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        stop_details: null,
        usage: toAnthropicUsage(usage),
        container: null,
        diagnostics: null,
      },
    };
  }

  #ensure(events: AnthropicStreamEvent[], kind: 'text' | 'thinking', block: () => AnthropicContentBlock): void {
    if (this.#open?.kind === kind) return;
    this.#close(events);
    this.#open = { kind, index: this.#blocks };
    events.push({ type: 'content_block_start', index: this.#blocks++, content_block: block() });
  }

  #close(events: AnthropicStreamEvent[]): void {
    const open = this.#open;
    if (!open) return;
    this.#open = undefined;
    if (open.kind === 'tool') {
      // Checked whole before the block ends, as the non-stream answer is: a broken call is an error, not an input.
      toolInput(open.name, open.args);
      this.#closedTools.add(open.toolIndex);
    }
    events.push({ type: 'content_block_stop', index: open.index });
  }
}

/** The events of a streamed answer, as the gateway's chunks arrive. */
export async function* toAnthropicEvents(chunks: AsyncIterable<ChatCompletionChunk>, requestedModel: string): AsyncGenerator<AnthropicStreamEvent, void, undefined> {
  const translator = new EventTranslator(requestedModel);
  for await (const chunk of chunks) yield* translator.push(chunk);
  yield* translator.end();
}
