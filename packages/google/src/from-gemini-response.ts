import {
  ContentFilterError,
  ProviderError,
  type ChatCompletion,
  type ChatCompletionMessageToolCall,
  type CompletionUsage,
  type FinishReason,
  type ReasoningDetail,
} from '@switchyard/core';
import type { WireCandidate, WireResponse, WireUsage } from './gemini-wire.js';

export interface ResponseScope {
  provider: string;
  model: string;
}

const CONTENT_FILTER = new Set(['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']);
const BROKEN_CALL = new Set(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS']);

/**
 * Gemini's finish reason in OpenAI's terms. `STOP` with function calls is `tool_calls`;
 * safety stops are `content_filter`; a malformed function call is an error, never a
 * silent stop.
 */
export function toFinishReason(reason: string, hasToolCalls: boolean, scope: ResponseScope): FinishReason {
  if (BROKEN_CALL.has(reason)) {
    throw new ProviderError(`${scope.provider}/${scope.model} produced a function call it could not complete (${reason}).`, {
      ...scope,
      retryable: true,
      providerCode: reason.toLowerCase(),
    });
  }
  if (reason === 'MAX_TOKENS') return 'length';
  if (CONTENT_FILTER.has(reason)) return 'content_filter';
  return hasToolCalls ? 'tool_calls' : 'stop';
}

/** A prompt Gemini refused outright comes back with no candidates and a block reason. */
export function throwIfBlocked(response: WireResponse, scope: ResponseScope): void {
  const reason = response.promptFeedback?.blockReason;
  if (!reason || (response.candidates?.length ?? 0) > 0) return;
  const detail = response.promptFeedback?.blockReasonMessage;
  throw new ContentFilterError(reason, `${scope.provider}/${scope.model} blocked the prompt (${reason})${detail ? `: ${detail}` : ''}.`, scope);
}

/**
 * `promptTokenCount` already includes cached tokens; thoughts are counted apart from the
 * candidates, so OpenAI's `completion_tokens` is their sum and `reasoning_tokens` the thoughts.
 */
export function toCompletionUsage(usage: WireUsage | null | undefined): CompletionUsage {
  const prompt = (usage?.promptTokenCount ?? 0) + (usage?.toolUsePromptTokenCount ?? 0);
  const thoughts = usage?.thoughtsTokenCount ?? 0;
  const completion = (usage?.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage?.totalTokenCount ?? prompt + completion,
    prompt_tokens_details: { cached_tokens: usage?.cachedContentTokenCount ?? 0 },
    completion_tokens_details: { reasoning_tokens: thoughts },
  };
}

/**
 * Gemini gives function calls no ids; these are derived from the response and the call's
 * position, so the same answer always yields the same ids, and a tool result is matched
 * back to its call through the assistant message that carries both.
 */
export function toolCallId(responseId: string, choice: number, call: number): string {
  let hash = 2166136261;
  for (const char of `${responseId}:${choice}:${call}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return `call_${hash.toString(36)}${call}`;
}

export function fromGeminiResponse(response: WireResponse, scope: ResponseScope, created: number): ChatCompletion {
  throwIfBlocked(response, scope);
  const id = response.responseId ?? `gemini-${created}`;
  const candidates: WireCandidate[] = response.candidates ?? [];
  return {
    id,
    object: 'chat.completion',
    created,
    model: response.modelVersion ?? scope.model,
    choices: candidates.map((candidate, position) => {
      const index = candidate.index ?? position;
      let text = '';
      let reasoning = '';
      const details: ReasoningDetail[] = [];
      const toolCalls: ChatCompletionMessageToolCall[] = [];
      for (const part of candidate.content?.parts ?? []) {
        let callId: string | undefined;
        if (part.functionCall) {
          callId = toolCallId(id, index, toolCalls.length);
          toolCalls.push({ id: callId, type: 'function', function: { name: part.functionCall.name ?? '', arguments: JSON.stringify(part.functionCall.args ?? {}) } });
        } else if (part.thought) reasoning += part.text ?? '';
        else text += part.text ?? '';
        if (part.thoughtSignature) details.push({ type: 'signature', signature: part.thoughtSignature, ...(callId ? { tool_call_id: callId } : {}) });
      }
      const finishReason = toFinishReason(candidate.finishReason ?? 'STOP', toolCalls.length > 0, scope);
      return {
        index,
        message: {
          role: 'assistant' as const,
          content: text === '' && toolCalls.length > 0 ? null : text,
          refusal: null,
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
          ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
          ...(details.length > 0 ? { reasoning_details: details } : {}),
        },
        finish_reason: finishReason,
        logprobs: null,
      };
    }),
    usage: toCompletionUsage(response.usageMetadata),
  };
}
