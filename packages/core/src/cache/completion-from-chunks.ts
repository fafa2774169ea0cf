import type { ChatCompletionChunk, ChatCompletionToolCallDelta } from '../contract/chat-chunk.js';
import type { ChatCompletion, ChatCompletionMessage, FinishReason } from '../contract/chat-completion.js';
import type { ChatCompletionMessageToolCall } from '../contract/chat-messages.js';
import type { ReasoningDetail } from '../contract/extensions.js';
import type { CompletionUsage } from '../contract/shared-schemas.js';

type Logprobs = NonNullable<ChatCompletion['choices'][number]['logprobs']>;
type TokenLogprob = NonNullable<Logprobs['content']>[number];

interface ToolCallParts {
  id: string | undefined;
  type: 'function' | 'custom';
  name: string;
  /** Arguments (function) or input (custom), as the pieces arrived. */
  input: string[];
}

/** One choice as its deltas add up. Strings are kept as pieces and joined once, at the end. */
class ChoiceParts {
  content: string[] | undefined;
  refusal: string[] | undefined;
  reasoning: string[] | undefined;
  reasoningDetails: ReasoningDetail[] | undefined;
  functionCall: { name: string; arguments: string[] } | undefined;
  readonly toolCalls = new Map<number, ToolCallParts>();
  logprobContent: TokenLogprob[] | undefined;
  logprobRefusal: TokenLogprob[] | undefined;
  finish: FinishReason | null = null;
}

/**
 * Adds a stream's chunks up into the completion the same request would have returned
 * (OpenAI's documented relation between the two: content, refusal and arguments are the
 * concatenation of their deltas, tool calls are keyed by `index`, the last chunk carries the
 * usage). Everything is copied as it arrives: the caller may change the chunks it is handed.
 * The cache stores this one form for both kinds of call.
 */
export class CompletionAssembler {
  #id = '';
  #created = 0;
  #model = '';
  #serviceTier: ChatCompletion['service_tier'];
  #fingerprint: string | undefined;
  #moderation: ChatCompletion['moderation'];
  #usage: CompletionUsage | undefined;
  readonly #choices = new Map<number, ChoiceParts>();
  /** Something the completion cannot hold, or a replay could not give back (audio). */
  unreplayable = false;

  add(chunk: ChatCompletionChunk): void {
    this.#id = chunk.id;
    this.#created = chunk.created;
    this.#model = chunk.model;
    if (chunk.service_tier != null) this.#serviceTier = chunk.service_tier;
    if (chunk.system_fingerprint !== undefined) this.#fingerprint = chunk.system_fingerprint;
    if (chunk.moderation != null) this.#moderation = copyJson(chunk.moderation);
    if (chunk.usage != null) this.#usage = copyJson(chunk.usage);
    for (const choice of chunk.choices) {
      let parts = this.#choices.get(choice.index);
      if (!parts) this.#choices.set(choice.index, (parts = new ChoiceParts()));
      const delta = choice.delta;
      if (typeof delta.content === 'string') (parts.content ??= []).push(delta.content);
      if (typeof delta.refusal === 'string') (parts.refusal ??= []).push(delta.refusal);
      if (typeof delta.reasoning_content === 'string') (parts.reasoning ??= []).push(delta.reasoning_content);
      if (delta.reasoning_details) (parts.reasoningDetails ??= []).push(...copyJson(delta.reasoning_details));
      if (delta.function_call) {
        const call = (parts.functionCall ??= { name: '', arguments: [] });
        if (delta.function_call.name) call.name += delta.function_call.name;
        if (delta.function_call.arguments) call.arguments.push(delta.function_call.arguments);
      }
      if (delta.tool_calls) for (const call of delta.tool_calls) addToolCall(parts, call);
      if (delta.audio) this.unreplayable = true;
      if (choice.logprobs) {
        if (choice.logprobs.content) (parts.logprobContent ??= []).push(...copyJson(choice.logprobs.content));
        if (choice.logprobs.refusal) (parts.logprobRefusal ??= []).push(...copyJson(choice.logprobs.refusal));
      }
      if (choice.finish_reason != null) parts.finish = choice.finish_reason;
    }
  }

  /**
   * The completion, once the stream has ended; `undefined` while a choice has no finish
   * reason (a stream that ended without one was cut short, whatever its transport said).
   */
  completion(): ChatCompletion | undefined {
    if (this.#choices.size === 0) return undefined;
    const choices: ChatCompletion['choices'] = [];
    for (const index of [...this.#choices.keys()].sort((a, b) => a - b)) {
      const parts = this.#choices.get(index) as ChoiceParts;
      if (parts.finish === null) return undefined;
      choices.push({ index, message: messageOf(parts), finish_reason: parts.finish, logprobs: logprobsOf(parts) });
    }
    return {
      id: this.#id,
      object: 'chat.completion',
      created: this.#created,
      model: this.#model,
      choices,
      ...(this.#serviceTier == null ? {} : { service_tier: this.#serviceTier }),
      ...(this.#fingerprint === undefined ? {} : { system_fingerprint: this.#fingerprint }),
      ...(this.#moderation == null ? {} : { moderation: this.#moderation }),
      ...(this.#usage === undefined ? {} : { usage: this.#usage }),
    };
  }
}

/** A copy of JSON data (what chunks are): cheaper than `structuredClone` for the small objects chunks carry. */
function copyJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function addToolCall(parts: ChoiceParts, delta: ChatCompletionToolCallDelta): void {
  let call = parts.toolCalls.get(delta.index);
  if (!call) parts.toolCalls.set(delta.index, (call = { id: undefined, type: delta.type ?? (delta.custom ? 'custom' : 'function'), name: '', input: [] }));
  if (delta.id) call.id = delta.id;
  if (delta.type) call.type = delta.type;
  const named = delta.function ?? delta.custom;
  if (named?.name) call.name += named.name;
  const input = delta.function?.arguments ?? delta.custom?.input;
  if (input) call.input.push(input);
}

function messageOf(parts: ChoiceParts): ChatCompletionMessage {
  const message: ChatCompletionMessage = {
    role: 'assistant',
    content: parts.content ? parts.content.join('') : null,
    refusal: parts.refusal ? parts.refusal.join('') : null,
  };
  if (parts.toolCalls.size > 0) {
    const calls: ChatCompletionMessageToolCall[] = [];
    for (const index of [...parts.toolCalls.keys()].sort((a, b) => a - b)) {
      const call = parts.toolCalls.get(index) as ToolCallParts;
      const id = call.id ?? '';
      const input = call.input.join('');
      calls.push(call.type === 'custom' ? { id, type: 'custom', custom: { name: call.name, input } } : { id, type: 'function', function: { name: call.name, arguments: input } });
    }
    message.tool_calls = calls;
  }
  if (parts.functionCall) message.function_call = { name: parts.functionCall.name, arguments: parts.functionCall.arguments.join('') };
  if (parts.reasoning) message.reasoning_content = parts.reasoning.join('');
  if (parts.reasoningDetails) message.reasoning_details = parts.reasoningDetails;
  return message;
}

function logprobsOf(parts: ChoiceParts): Logprobs | null {
  if (!parts.logprobContent && !parts.logprobRefusal) return null;
  return { content: parts.logprobContent ?? null, refusal: parts.logprobRefusal ?? null };
}
