import type { ChatCompletionChunk } from '@switchyard/core';

type Choice = ChatCompletionChunk['choices'][number];

/**
 * OpenAI streams a function call without arguments as `"{}"`; some OpenAI-compatible
 * servers send `""` (or nothing), which `JSON.parse` rejects. This notes each call's
 * argument text as the chunks pass and, when a choice finishes with a call whose arguments
 * stayed empty, gives the chunk to send just before the finish: that call's `"{}"`.
 */
export class EmptyToolArguments {
  /** Per choice index: each function call's index, and whether any argument text came. */
  #calls: Map<number, Map<number, boolean>> | undefined;

  /** The chunk to send before `chunk`, if `chunk` finishes a choice holding an argument-less call. */
  before(chunk: ChatCompletionChunk): ChatCompletionChunk | undefined {
    let fixes: Choice[] | undefined;
    for (const choice of chunk.choices) {
      const deltas = choice.delta.tool_calls;
      if (deltas) for (const delta of deltas) this.#note(choice.index, delta);
      if (!choice.finish_reason || !this.#calls) continue;
      const calls = this.#calls.get(choice.index);
      this.#calls.delete(choice.index);
      const empty = calls ? [...calls].filter(([, hasArguments]) => !hasArguments).map(([index]) => index) : [];
      if (empty.length === 0) continue;
      (fixes ??= []).push({
        index: choice.index,
        delta: { tool_calls: empty.map((index) => ({ index, function: { arguments: '{}' } })) },
        finish_reason: null,
        logprobs: null,
      });
    }
    if (!fixes) return undefined;
    const { usage: _usage, choices: _choices, ...rest } = chunk;
    return { ...rest, choices: fixes };
  }

  #note(choice: number, delta: NonNullable<Choice['delta']['tool_calls']>[number]): void {
    // Custom tools carry `custom.input`, free text that may well be empty.
    if (delta.type === 'custom' || delta.custom) return;
    const all = (this.#calls ??= new Map<number, Map<number, boolean>>());
    let calls = all.get(choice);
    if (!calls) all.set(choice, (calls = new Map()));
    const hasArguments = (delta.function?.arguments ?? '') !== '';
    calls.set(delta.index, (calls.get(delta.index) ?? false) || hasArguments);
  }
}
