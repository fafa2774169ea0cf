import type { ChatCompletionChunk, ChatCompletionChunkDelta } from '../contract/chat-chunk.js';
import type { ChatCompletion } from '../contract/chat-completion.js';

type Choice = ChatCompletion['choices'][number];
type ChunkChoice = ChatCompletionChunk['choices'][number];

/**
 * The stream a cached completion replays as: per choice, one chunk with the role and the
 * whole text (content, refusal, reasoning, with the logprobs), one chunk per tool call
 * (id, type, name and the whole arguments), one chunk with the finish reason; then the usage
 * chunk (`choices: []`), which the gateway's stream wrapper passes on only to a caller who
 * asked for `stream_options.include_usage`. Added up (`CompletionAssembler`), it gives the
 * completion back. The chunks are new objects made from `completion`, which the caller of
 * this function must not share.
 */
export function chunksFromCompletion(completion: ChatCompletion): ChatCompletionChunk[] {
  const base = {
    id: completion.id,
    object: 'chat.completion.chunk' as const,
    created: completion.created,
    model: completion.model,
    ...(completion.service_tier == null ? {} : { service_tier: completion.service_tier }),
    ...(completion.system_fingerprint === undefined ? {} : { system_fingerprint: completion.system_fingerprint }),
  };
  const chunks: ChatCompletionChunk[] = [];
  const push = (choice: ChunkChoice) => chunks.push({ ...base, choices: [choice] });
  for (const choice of completion.choices) {
    push({ index: choice.index, delta: firstDelta(choice), finish_reason: null, ...(choice.logprobs ? { logprobs: choice.logprobs } : {}) });
    const calls = choice.message.tool_calls ?? [];
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i] as NonNullable<typeof calls>[number];
      const delta =
        call.type === 'custom'
          ? { index: i, id: call.id, type: call.type, custom: { name: call.custom.name, input: call.custom.input } }
          : { index: i, id: call.id, type: call.type, function: { name: call.function.name, arguments: call.function.arguments } };
      push({ index: choice.index, delta: { tool_calls: [delta] }, finish_reason: null });
    }
    push({ index: choice.index, delta: {}, finish_reason: choice.finish_reason });
  }
  if (completion.usage) chunks.push({ ...base, choices: [], usage: completion.usage });
  // The moderation results describe the whole answer: they come with its last chunk.
  if (completion.moderation != null) {
    const last = chunks[chunks.length - 1] as ChatCompletionChunk;
    last.moderation = completion.moderation;
  }
  return chunks;
}

function firstDelta(choice: Choice): ChatCompletionChunkDelta {
  const message = choice.message;
  const delta: ChatCompletionChunkDelta = { role: 'assistant' };
  if (message.content !== null) delta.content = message.content;
  if (message.refusal !== null) delta.refusal = message.refusal;
  if (message.reasoning_content != null) delta.reasoning_content = message.reasoning_content;
  if (message.reasoning_details) delta.reasoning_details = message.reasoning_details;
  if (message.function_call) delta.function_call = { name: message.function_call.name, arguments: message.function_call.arguments };
  return delta;
}
