import type { ChatCompletion, ChatCompletionMessageToolCall, ReasoningDetail } from '@switchyard/core';
import type { WireMessage } from './anthropic-wire-schemas.js';
import { toCompletionUsage, toFinishReason } from './from-anthropic-usage.js';
import type { ResponsePlan } from './to-anthropic-request.js';

/** The forced JSON tool's input, as the text answer the caller asked for. */
export function jsonAnswer(input: unknown, plan: ResponsePlan): string {
  const value = plan.jsonWrapped && typeof input === 'object' && input !== null ? (input as { value?: unknown }).value : input;
  return JSON.stringify(value ?? {});
}

export function fromAnthropicMessage(message: WireMessage, plan: ResponsePlan, created: number): ChatCompletion {
  let text = '';
  let reasoning = '';
  const details: ReasoningDetail[] = [];
  const toolCalls: ChatCompletionMessageToolCall[] = [];
  for (const block of message.content) {
    switch (block.type) {
      case 'text':
        text += block.text ?? '';
        break;
      case 'thinking':
        reasoning += block.thinking ?? '';
        details.push({ type: 'thinking', thinking: block.thinking ?? '', ...(block.signature ? { signature: block.signature } : {}) });
        break;
      case 'redacted_thinking':
        details.push({ type: 'redacted_thinking', data: block.data ?? '' });
        break;
      case 'tool_use':
        if (block.name === plan.jsonTool) text += jsonAnswer(block.input, plan);
        else toolCalls.push({ id: block.id ?? '', type: 'function', function: { name: block.name ?? '', arguments: JSON.stringify(block.input ?? {}) } });
        break;
      default:
      // Server tool results and future block types carry nothing the OpenAI shape has.
    }
  }
  const finishReason = toFinishReason(message.stop_reason, toolCalls.length > 0);
  return {
    id: message.id,
    object: 'chat.completion',
    created,
    model: message.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: text === '' && (toolCalls.length > 0 || finishReason === 'content_filter') ? null : text,
          refusal: finishReason === 'content_filter' ? (message.stop_details?.explanation ?? 'The model declined to answer.') : null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
          ...(details.length > 0 ? { reasoning_details: details } : {}),
        },
        finish_reason: finishReason,
        logprobs: null,
      },
    ],
    usage: toCompletionUsage(message.usage),
  };
}
