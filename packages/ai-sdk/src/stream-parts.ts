// The gateway's OpenAI-shaped stream chunks as the AI SDK's stream parts (text, reasoning, tool input, finish).
import type { LanguageModelV4FinishReason, LanguageModelV4StreamPart, LanguageModelV4Usage } from '@ai-sdk/provider';
import type { ChatCompletionChunk, CompletionUsage } from '@switchyard/core';
import { mapFinishReason } from './map-finish-reason.js';
import { usageFromCompletion } from './map-usage.js';

interface OpenToolCall {
  id: string;
  name: string;
  arguments: string;
}


/**
 * Turns chunks into parts as they come. Text and reasoning come in blocks (one opens on the first delta
 * of its kind and closes when the other kind starts, or at the end; ids `text-<n>`, `reasoning-<n>`); tool calls are keyed by
 * OpenAI's `index`: the first delta of an index starts one (its `id` and name), later deltas
 * add argument text, and each ends, with its `tool-call`, when the stream ends.
 */
export class StreamTranslator {
  #metadataSent = false;
  /** The open text block's id, e.g. `text-0`; `undefined` when none is open. */
  #textId: string | undefined;
  #reasoningId: string | undefined;
  #blocks = 0;
  #refused = false;
  #rawFinishReason: string | null = null;
  #usage: CompletionUsage | undefined;
  readonly #toolCalls = new Map<number, OpenToolCall>();
  readonly #generateId: () => string;

  constructor(generateId: () => string) {
    this.#generateId = generateId;
  }

  /** Whether the provider reported usage in the stream. */
  get usage(): CompletionUsage | undefined {
    return this.#usage;
  }

  translate(chunk: ChatCompletionChunk, out: LanguageModelV4StreamPart[]): void {
    if (!this.#metadataSent) {
      this.#metadataSent = true;
      out.push({ type: 'response-metadata', id: chunk.id, modelId: chunk.model, timestamp: new Date(chunk.created * 1000) });
    }
    if (chunk.usage) this.#usage = chunk.usage;
    // The gateway asks for one choice (no `n`); a provider's extra choices are not the AI SDK's to see.
    const choice = chunk.choices.find((candidate) => candidate.index === 0);
    if (!choice) return;
    const delta = choice.delta;
    if (delta.reasoning_content) {
      this.#closeText(out);
      if (this.#reasoningId === undefined) {
        this.#reasoningId = `reasoning-${this.#blocks++}`;
        out.push({ type: 'reasoning-start', id: this.#reasoningId });
      }
      out.push({ type: 'reasoning-delta', id: this.#reasoningId, delta: delta.reasoning_content });
    }
    const text = (delta.content ?? '') + (delta.refusal ?? '');
    if (delta.refusal) this.#refused = true;
    if (text !== '') {
      this.#closeReasoning(out);
      if (this.#textId === undefined) {
        this.#textId = `text-${this.#blocks++}`;
        out.push({ type: 'text-start', id: this.#textId });
      }
      out.push({ type: 'text-delta', id: this.#textId, delta: text });
    }
    for (const call of delta.tool_calls ?? []) {
      this.#closeReasoning(out);
      let open = this.#toolCalls.get(call.index);
      if (!open) {
        open = { id: call.id ?? this.#generateId(), name: call.function?.name ?? '', arguments: '' };
        this.#toolCalls.set(call.index, open);
        out.push({ type: 'tool-input-start', id: open.id, toolName: open.name });
      }
      const piece = call.function?.arguments;
      if (piece) {
        open.arguments += piece;
        out.push({ type: 'tool-input-delta', id: open.id, delta: piece });
      }
    }
    if (choice.finish_reason) this.#rawFinishReason = choice.finish_reason;
  }

  /** Closes what is open and ends each tool call with its `tool-call` (in index order). */
  end(out: LanguageModelV4StreamPart[]): void {
    this.#closeReasoning(out);
    this.#closeText(out);
    for (const index of [...this.#toolCalls.keys()].sort((a, b) => a - b)) {
      const call = this.#toolCalls.get(index);
      if (!call) continue;
      out.push({ type: 'tool-input-end', id: call.id });
      // A call without arguments (a tool that takes none) is the empty object.
      out.push({ type: 'tool-call', toolCallId: call.id, toolName: call.name, input: call.arguments });
    }
    this.#toolCalls.clear();
  }

  finishReason(): LanguageModelV4FinishReason {
    return mapFinishReason(this.#rawFinishReason, this.#refused);
  }

  streamUsage(): LanguageModelV4Usage | undefined {
    return this.#usage ? usageFromCompletion(this.#usage) : undefined;
  }

  #closeText(out: LanguageModelV4StreamPart[]): void {
    if (this.#textId === undefined) return;
    out.push({ type: 'text-end', id: this.#textId });
    this.#textId = undefined;
  }

  #closeReasoning(out: LanguageModelV4StreamPart[]): void {
    if (this.#reasoningId === undefined) return;
    out.push({ type: 'reasoning-end', id: this.#reasoningId });
    this.#reasoningId = undefined;
  }
}
