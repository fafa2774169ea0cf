import { type ChatCompletionChunk, type ChatCompletionChunkDelta, type FinishReason } from '@switchyard/core';
import { malformedResponse, type ErrorScope, type EventTranslator, type ServerSentEvent, type Usage } from '@switchyard/core/adapter';
import { wireEventSchema, type WireBlock, type WireEvent, type WireUsage } from './anthropic-wire-schemas.js';
import { jsonAnswer } from './from-anthropic-message.js';
import { mergeUsage, toCompletionUsage, toFinishReason, toUsage } from './from-anthropic-usage.js';
import { streamErrorFromEvent } from './normalise-anthropic-error.js';
import type { ResponsePlan } from './to-anthropic-request.js';

type BlockState =
  | { kind: 'text' }
  | { kind: 'thinking'; text: string; signature: string }
  | { kind: 'tool'; toolIndex: number; hasArguments: boolean }
  | { kind: 'json'; buffer: string }
  | { kind: 'ignored' };

/**
 * Anthropic's message events as OpenAI chunks: text and thinking deltas as content and
 * `reasoning_content`, each `tool_use` block as a tool call with its own `index` whose
 * `input_json_delta` fragments become `function.arguments` fragments, the stop reason and
 * final usage (input from `message_start`, cumulative totals from `message_delta`) at the end.
 * Each usage event is also passed to `reportUsage` as it arrives, so that a stream cut before
 * its end still tells what it consumed.
 */
export class AnthropicStreamTranslator implements EventTranslator<ChatCompletionChunk> {
  complete = false;
  ended = false;
  #id = '';
  #model: string;
  #usage: WireUsage | undefined;
  #toolCalls = 0;
  readonly #blocks = new Map<number, BlockState>();
  readonly #plan: ResponsePlan;
  readonly #scope: ErrorScope;
  readonly #created: number;
  readonly #reportUsage: (usage: Usage) => void;

  constructor(plan: ResponsePlan, scope: ErrorScope, created: number, reportUsage: (usage: Usage) => void = () => undefined) {
    this.#plan = plan;
    this.#scope = scope;
    this.#model = scope.model;
    this.#created = created;
    this.#reportUsage = reportUsage;
  }

  push(sse: ServerSentEvent): readonly ChatCompletionChunk[] {
    // Empty data is a keep-alive some proxies send: nothing to read.
    if (sse.data.trim() === '') return [];
    let data: unknown;
    try {
      data = JSON.parse(sse.data);
    } catch {
      throw malformedResponse(this.#scope, 'a stream event is not valid JSON');
    }
    const parsed = wireEventSchema.safeParse(data);
    if (!parsed.success) throw malformedResponse(this.#scope, 'a stream event has an unexpected shape');
    const event = parsed.data;
    switch (event.type) {
      case 'message_start':
        return this.#start(event);
      case 'content_block_start':
        return this.#blockStart(event.index ?? 0, event.content_block);
      case 'content_block_delta':
        return this.#blockDelta(event);
      case 'content_block_stop':
        return this.#blockStop(event.index ?? 0);
      case 'message_delta':
        return this.#messageDelta(event);
      case 'message_stop':
        this.ended = true;
        return [];
      case 'error':
        throw streamErrorFromEvent(event, this.#scope);
      default:
        return []; // ping, and event types added later
    }
  }

  #chunk(delta: ChatCompletionChunkDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, finish_reason: finishReason, logprobs: null }],
    };
  }

  #start(event: WireEvent): ChatCompletionChunk[] {
    this.#id = event.message?.id ?? this.#id;
    this.#model = event.message?.model ?? this.#model;
    if (event.message?.usage) this.#addUsage(event.message.usage);
    return [this.#chunk({ role: 'assistant', content: '' })];
  }

  #blockStart(index: number, block: WireBlock | undefined): ChatCompletionChunk[] {
    switch (block?.type) {
      case 'text':
        this.#blocks.set(index, { kind: 'text' });
        return block.text ? [this.#chunk({ content: block.text })] : [];
      case 'thinking':
        this.#blocks.set(index, { kind: 'thinking', text: block.thinking ?? '', signature: block.signature ?? '' });
        return block.thinking ? [this.#chunk({ reasoning_content: block.thinking })] : [];
      case 'redacted_thinking':
        this.#blocks.set(index, { kind: 'ignored' });
        return [this.#chunk({ reasoning_details: [{ type: 'redacted_thinking', data: block.data ?? '' }] })];
      case 'tool_use': {
        if (block.name === this.#plan.jsonTool) {
          this.#blocks.set(index, { kind: 'json', buffer: '' });
          return [];
        }
        const toolIndex = this.#toolCalls++;
        this.#blocks.set(index, { kind: 'tool', toolIndex, hasArguments: false });
        return [
          this.#chunk({
            tool_calls: [{ index: toolIndex, id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: '' } }],
          }),
        ];
      }
      default:
        this.#blocks.set(index, { kind: 'ignored' });
        return [];
    }
  }

  #blockDelta(event: WireEvent): ChatCompletionChunk[] {
    const state = this.#blocks.get(event.index ?? 0);
    const delta = event.delta as { type?: string; text?: string; thinking?: string; signature?: string; partial_json?: string } | undefined;
    if (!state || !delta) return [];
    switch (delta.type) {
      case 'text_delta':
        return delta.text ? [this.#chunk({ content: delta.text })] : [];
      case 'thinking_delta':
        if (state.kind !== 'thinking' || !delta.thinking) return [];
        state.text += delta.thinking;
        return [this.#chunk({ reasoning_content: delta.thinking })];
      case 'signature_delta':
        if (state.kind === 'thinking') state.signature += delta.signature ?? '';
        return [];
      case 'input_json_delta': {
        const fragment = delta.partial_json ?? '';
        if (fragment === '') return [];
        if (state.kind === 'tool') {
          state.hasArguments = true;
          return [this.#chunk({ tool_calls: [{ index: state.toolIndex, function: { arguments: fragment } }] })];
        }
        if (state.kind !== 'json') return [];
        // An unwrapped JSON answer streams as it comes; a wrapped one must be complete to unwrap.
        if (this.#plan.jsonWrapped) {
          state.buffer += fragment;
          return [];
        }
        return [this.#chunk({ content: fragment })];
      }
      default:
        return []; // citations and later delta types
    }
  }

  #blockStop(index: number): ChatCompletionChunk[] {
    const state = this.#blocks.get(index);
    // A call without arguments streams only an empty `partial_json`: send `{}`, as OpenAI does and as the whole message has.
    if (state?.kind === 'tool' && !state.hasArguments) return [this.#chunk({ tool_calls: [{ index: state.toolIndex, function: { arguments: '{}' } }] })];
    if (state?.kind === 'thinking') {
      return [this.#chunk({ reasoning_details: [{ type: 'thinking', thinking: state.text, ...(state.signature ? { signature: state.signature } : {}) }] })];
    }
    if (state?.kind === 'json' && this.#plan.jsonWrapped) {
      let input: unknown;
      try {
        input = JSON.parse(state.buffer || '{}');
      } catch {
        throw malformedResponse(this.#scope, 'the structured answer is not valid JSON');
      }
      return [this.#chunk({ content: jsonAnswer(input, this.#plan) })];
    }
    return [];
  }

  #addUsage(usage: WireUsage): void {
    this.#usage = mergeUsage(this.#usage, usage);
    this.#reportUsage(toUsage(this.#usage));
  }

  #messageDelta(event: WireEvent): ChatCompletionChunk[] {
    if (event.usage) this.#addUsage(event.usage);
    const stopReason = event.delta?.stop_reason;
    if (!stopReason || this.complete) return [];
    this.complete = true;
    const finish = this.#chunk({}, toFinishReason(stopReason, this.#toolCalls > 0));
    const usage: ChatCompletionChunk = { ...this.#chunk({}), choices: [], usage: toCompletionUsage(this.#usage ?? {}) };
    return [finish, usage];
  }
}
