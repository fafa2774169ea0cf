// The gateway's ChatCompletion as Anthropic's Message: blocks (thinking, text, tool_use), stop reason and usage, inverting the Anthropic adapter's mapping.
import type { ChatCompletion, FinishReason } from '../../contract/chat-completion.js';
import type { ReasoningDetail } from '../../contract/extensions.js';
import type { CompletionUsage } from '../../contract/shared-schemas.js';
import type {
  AnthropicContentBlock,
  AnthropicDeltaUsage,
  AnthropicMessage,
  AnthropicStopDetails,
  AnthropicStopReason,
  AnthropicUsage,
} from './anthropic-wire-types.js';

/** The answer cannot be put in Anthropic's shape without inventing something (a tool call whose arguments are no JSON object). */
export class UntranslatableAnswerError extends Error {
  override name = 'UntranslatableAnswerError';
}

/**
 * Anthropic counts `input_tokens` without the cache: OpenAI's `prompt_tokens` includes the
 * reads (`cached_tokens`) and writes (`cache_write_tokens`), so both are taken back out.
 */
export function toAnthropicUsage(usage: CompletionUsage | undefined): AnthropicUsage {
  const delta = toAnthropicDeltaUsage(usage);
  const write1h = Math.min(usage?.prompt_tokens_details?.cache_write_1h_tokens ?? 0, delta.cache_creation_input_tokens);
  return {
    input_tokens: delta.input_tokens,
    output_tokens: delta.output_tokens,
    cache_read_input_tokens: delta.cache_read_input_tokens,
    cache_creation_input_tokens: delta.cache_creation_input_tokens,
    cache_creation: { ephemeral_5m_input_tokens: delta.cache_creation_input_tokens - write1h, ephemeral_1h_input_tokens: write1h },
    output_tokens_details: delta.output_tokens_details,
    server_tool_use: null,
    service_tier: null,
    inference_geo: null,
    speed: null,
  };
}

export function toAnthropicDeltaUsage(usage: CompletionUsage | undefined): AnthropicDeltaUsage {
  const cacheRead = usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheWrite = usage?.prompt_tokens_details?.cache_write_tokens ?? 0;
  const reasoning = usage?.completion_tokens_details?.reasoning_tokens ?? 0;
  return {
    input_tokens: Math.max(0, (usage?.prompt_tokens ?? 0) - cacheRead - cacheWrite),
    output_tokens: usage?.completion_tokens ?? 0,
    cache_read_input_tokens: cacheRead,
    cache_creation_input_tokens: cacheWrite,
    // Thinking is part of output_tokens either way; its share is reported when it is known.
    output_tokens_details: reasoning > 0 ? { thinking_tokens: reasoning } : null,
    server_tool_use: null,
  };
}

/**
 * OpenAI's finish reasons to Anthropic's stop reasons. `stop` covers both a natural end and a
 * stop sequence, and no provider's OpenAI-shaped answer says which: it is `end_turn`.
 */
export function toStopReason(finish: FinishReason | null | undefined, hasToolCalls: boolean): AnthropicStopReason {
  if (hasToolCalls) return 'tool_use';
  switch (finish) {
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
    case 'function_call':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return 'end_turn';
  }
}

export function stopDetailsOf(stopReason: AnthropicStopReason, refusal: string | null | undefined): AnthropicStopDetails | null {
  return stopReason === 'refusal' ? { type: 'refusal', category: null, explanation: refusal ?? null } : null;
}

/** A tool call's arguments as Anthropic's `input`: a JSON object (empty arguments are `{}`), never a guess. */
export function toolInput(name: string, argumentsText: string): Record<string, unknown> {
  if (argumentsText.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(argumentsText);
  } catch {
    throw new UntranslatableAnswerError(`The model called tool '${name}' with arguments that are not valid JSON; an Anthropic tool_use block needs a JSON object as its input.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new UntranslatableAnswerError(`The model called tool '${name}' with arguments that are not a JSON object; an Anthropic tool_use block needs a JSON object as its input.`);
  }
  return value as Record<string, unknown>;
}

/** Reasoning as thinking blocks: signed details as they are; reasoning text with no signed detail as one unsigned block. */
export function thinkingBlocks(details: readonly ReasoningDetail[] | undefined, reasoningText: string | null | undefined): AnthropicContentBlock[] {
  const blocks: AnthropicContentBlock[] = [];
  for (const detail of details ?? []) {
    if (detail.type === 'thinking') blocks.push({ type: 'thinking', thinking: detail.thinking, signature: detail.signature ?? '' });
    else if (detail.type === 'redacted_thinking') blocks.push({ type: 'redacted_thinking', data: detail.data });
  }
  if (!blocks.some((block) => block.type === 'thinking') && reasoningText) blocks.unshift({ type: 'thinking', thinking: reasoningText, signature: '' });
  return blocks;
}

/** An Anthropic message id for the gateway's answer id (the provider's, kept recognisable). */
export function messageIdOf(id: string): string {
  return id.startsWith('msg_') ? id : `msg_${id}`;
}

export function toAnthropicMessage(completion: ChatCompletion): AnthropicMessage {
  const choice = completion.choices[0];
  const message = choice?.message;
  const content: AnthropicContentBlock[] = thinkingBlocks(message?.reasoning_details, message?.reasoning_content);
  if (message?.content) content.push({ type: 'text', text: message.content, citations: null });
  const toolCalls = message?.tool_calls ?? [];
  for (const call of toolCalls) {
    if (call.type !== 'function') throw new UntranslatableAnswerError(`The model made a custom (free-form) tool call '${call.custom.name}', which Anthropic's messages cannot carry.`);
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input: toolInput(call.function.name, call.function.arguments), caller: { type: 'direct' } });
  }
  // OpenAI refuses with `message.refusal` and finish reason `stop`; the Anthropic adapter with `content_filter`: both are Anthropic's `refusal`.
  const stopReason = message?.refusal ? 'refusal' : toStopReason(choice?.finish_reason, toolCalls.length > 0);
  return {
    id: messageIdOf(completion.id),
    type: 'message',
    role: 'assistant',
    model: completion.model,
    content,
    stop_reason: stopReason,
    stop_sequence: null,
    stop_details: stopDetailsOf(stopReason, message?.refusal),
    usage: toAnthropicUsage(completion.usage),
    container: null,
    diagnostics: null,
  };
}
