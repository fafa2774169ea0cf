// Anthropic `messages.create` params to the gateway's OpenAI-shaped chat params: system, messages and their blocks, tools, tool choice, sampling, thinking.
import type { z } from 'zod';
import type { ChatCompletionContentPart, ChatCompletionContentPartText, ChatCompletionMessageParam } from '../../contract/chat-messages.js';
import type { ChatCompletionCreateParams, ChatCompletionTool, ChatCompletionToolChoiceOption } from '../../contract/chat-params.js';
import type { ReasoningDetail } from '../../contract/extensions.js';
import { InvalidRequestError, UnsupportedFeatureError } from '../../errors/errors.js';
import {
  TRANSLATED_BLOCK_TYPES,
  customToolSchema,
  messageCreateParamsSchema,
  type ContentBlockInput,
  type MessageCreateParamsInput,
  type MessageParamInput,
  type ToolChoiceInput,
} from './anthropic-request-schema.js';

/**
 * The thinking budget each `reasoning_effort` stands for in the Anthropic adapter
 * (`DEFAULT_THINKING_BUDGETS` of @switchyard/anthropic, which core cannot import): a budget
 * becomes the largest effort whose budget fits in it, so that no provider thinks longer than asked.
 */
const EFFORT_BUDGETS = [
  ['max', 63_999],
  ['xhigh', 32_768],
  ['high', 16_384],
  ['medium', 8_192],
  ['low', 2_048],
  ['minimal', 1_024],
] as const;

type Effort = (typeof EFFORT_BUDGETS)[number][0];

/** What the request asked that the answer's translation needs back. */
export interface TranslatedRequest {
  params: ChatCompletionCreateParams;
  stream: boolean;
}

/** The caller's params, checked and translated; a field the gateway cannot carry throws an error naming it (a 400 to the caller). */
export function toGatewayParams(raw: unknown, model: string): TranslatedRequest {
  refuseUntranslatable(raw);
  const checked = messageCreateParamsSchema.safeParse(raw);
  if (!checked.success) throw invalidParams(checked.error);
  const input = checked.data;
  const params: ChatCompletionCreateParams = {
    model,
    messages: [...systemMessages(input.system), ...input.messages.flatMap((message, index) => toGatewayMessages(message, `messages.${index}`))],
    max_completion_tokens: input.max_tokens,
  };
  if (input.stop_sequences && input.stop_sequences.length > 0) params.stop = input.stop_sequences;
  if (input.temperature !== undefined) params.temperature = input.temperature;
  if (input.top_p !== undefined) params.top_p = input.top_p;
  if (input.top_k !== undefined) params.top_k = input.top_k;
  const userId = input.metadata?.user_id;
  if (userId) params.user = userId;
  if (input.service_tier) params.service_tier = input.service_tier === 'auto' ? 'auto' : 'default';
  const effort = reasoningEffort(input);
  if (effort !== undefined) params.reasoning_effort = effort;
  const format = input.output_config?.format;
  if (format) params.response_format = { type: 'json_schema', json_schema: { name: 'output', schema: format.schema, strict: true } };
  if (input.tools && input.tools.length > 0) params.tools = input.tools.map(toGatewayTool);
  if (input.tool_choice) applyToolChoice(params, input.tool_choice);
  const stream = input.stream === true;
  if (stream) {
    params.stream = true;
    // The usage chunk carries what message_delta reports.
    params.stream_options = { include_usage: true };
  }
  return { params, stream };
}

function systemMessages(system: MessageCreateParamsInput['system']): ChatCompletionMessageParam[] {
  if (system === undefined) return [];
  if (typeof system === 'string') return system === '' ? [] : [{ role: 'system', content: system }];
  return system.length === 0 ? [] : [{ role: 'system', content: system.map(textPart) }];
}

function textPart(block: { text: string; cache_control?: { type: 'ephemeral'; ttl?: '5m' | '1h' | undefined } | null | undefined }): ChatCompletionContentPartText {
  return block.cache_control ? { type: 'text', text: block.text, cache_control: block.cache_control } : { type: 'text', text: block.text };
}

function toGatewayMessages(message: MessageParamInput, path: string): ChatCompletionMessageParam[] {
  const blocks: ContentBlockInput[] = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
  if (message.role === 'system') return [{ role: 'system', content: blocks.map((block, i) => onlyText(block, `${path}.content.${i}`)) }];
  if (message.role === 'assistant') return [assistantMessage(blocks, path)];
  return userMessages(blocks, path);
}

function onlyText(block: ContentBlockInput, where: string): ChatCompletionContentPartText {
  if (block.type !== 'text') throw unsupported(where, `a system message takes text blocks only, not '${block.type}'`);
  return textPart(block);
}

/** Tool results become `tool` messages, the other blocks user messages between them, in their order. */
function userMessages(blocks: readonly ContentBlockInput[], path: string): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  let parts: ChatCompletionContentPart[] = [];
  const flush = () => {
    if (parts.length > 0) out.push({ role: 'user', content: parts });
    parts = [];
  };
  blocks.forEach((block, i) => {
    const where = `${path}.content.${i}`;
    switch (block.type) {
      case 'text':
        parts.push(textPart(block));
        return;
      case 'image':
        parts.push(imagePart(block, where));
        return;
      case 'document':
        parts.push(documentPart(block, where));
        return;
      case 'tool_result':
        flush();
        out.push(toolMessage(block, where));
        return;
      default:
        throw unsupported(where, `a user turn cannot carry a '${block.type}' block`);
    }
  });
  flush();
  return out;
}

const IMAGE_MEDIA_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

function imagePart(block: Extract<ContentBlockInput, { type: 'image' }>, where: string): ChatCompletionContentPart {
  const source = block.source;
  let url: string;
  if (source.type === 'base64') {
    if (!IMAGE_MEDIA_TYPES.has(source.media_type)) throw unsupported(`${where}.source.media_type`, `images must be JPEG, PNG, GIF or WebP, as Anthropic takes them`);
    url = `data:${source.media_type};base64,${source.data}`;
  } else {
    url = source.url;
  }
  return block.cache_control ? { type: 'image_url', image_url: { url }, cache_control: block.cache_control } : { type: 'image_url', image_url: { url } };
}

function documentPart(block: Extract<ContentBlockInput, { type: 'document' }>, where: string): ChatCompletionContentPart {
  if (block.cache_control) throw unsupported(`${where}.cache_control`, 'the gateway cannot mark a document as a cache breakpoint');
  if (block.source.type === 'text') {
    // A plain-text document is its text: sent as a text part, titled when it has a title.
    return { type: 'text', text: block.title ? `${block.title}\n\n${block.source.data}` : block.source.data };
  }
  return { type: 'file', file: { file_data: `data:application/pdf;base64,${block.source.data}`, ...(block.title ? { filename: block.title } : {}) } };
}

function toolMessage(block: Extract<ContentBlockInput, { type: 'tool_result' }>, where: string): ChatCompletionMessageParam {
  const content = block.content ?? '';
  const parts: ChatCompletionContentPartText[] =
    typeof content === 'string'
      ? [{ type: 'text', text: content }]
      : content.map((part, i) => {
          if (part.type !== 'text') throw unsupported(`${where}.content.${i}`, "a tool result can carry text only through the gateway (OpenAI's tool messages take no images)");
          return textPart(part);
        });
  // OpenAI's tool messages have no error flag: the model is told so in the result's first words.
  if (block.is_error) parts.unshift({ type: 'text', text: 'Error:' });
  const single = parts.length === 1 ? parts[0] : undefined;
  return {
    role: 'tool',
    tool_call_id: block.tool_use_id,
    content: single && !single.cache_control ? single.text : parts,
    ...(block.cache_control ? { cache_control: block.cache_control } : {}),
  };
}

function assistantMessage(blocks: readonly ContentBlockInput[], path: string): ChatCompletionMessageParam {
  const text: ChatCompletionContentPartText[] = [];
  const details: ReasoningDetail[] = [];
  let reasoning = '';
  const toolCalls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }> = [];
  blocks.forEach((block, i) => {
    const where = `${path}.content.${i}`;
    switch (block.type) {
      case 'text':
        text.push(textPart(block));
        return;
      case 'thinking':
        reasoning += block.thinking;
        details.push({ type: 'thinking', thinking: block.thinking, ...(block.signature ? { signature: block.signature } : {}) });
        return;
      case 'redacted_thinking':
        details.push({ type: 'redacted_thinking', data: block.data });
        return;
      case 'tool_use':
        if (block.cache_control) throw unsupported(`${where}.cache_control`, 'the gateway cannot mark a tool call as a cache breakpoint');
        toolCalls.push({ id: block.id, type: 'function', function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) } });
        return;
      default:
        throw unsupported(where, `an assistant turn cannot carry a '${block.type}' block`);
    }
  });
  const plain = text.every((part) => !part.cache_control);
  return {
    role: 'assistant',
    content: text.length === 0 ? null : plain ? text.map((part) => part.text).join('') : text,
    ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
    ...(reasoning !== '' ? { reasoning_content: reasoning } : {}),
    ...(details.length > 0 ? { reasoning_details: details } : {}),
  };
}

function toGatewayTool(tool: Record<string, unknown>, index: number): ChatCompletionTool {
  const where = `tools.${index}`;
  const type = tool['type'];
  if (type !== undefined && type !== null && type !== 'custom') {
    throw unsupported(`${where}.type`, `'${String(type)}' is one of Anthropic's server tools, which run on Anthropic's side and cannot be given to other providers; define a custom tool with input_schema instead`);
  }
  const checked = customToolSchema.safeParse(tool);
  if (!checked.success) throw invalidParams(checked.error, where);
  const custom = checked.data;
  return {
    type: 'function',
    function: {
      name: custom.name,
      ...(custom.description === undefined ? {} : { description: custom.description }),
      parameters: custom.input_schema,
      ...(custom.strict === undefined ? {} : { strict: custom.strict }),
    },
    ...(custom.cache_control ? { cache_control: custom.cache_control } : {}),
  };
}

function applyToolChoice(params: ChatCompletionCreateParams, choice: ToolChoiceInput): void {
  const toolChoice: ChatCompletionToolChoiceOption =
    choice.type === 'auto' ? 'auto' : choice.type === 'any' ? 'required' : choice.type === 'none' ? 'none' : { type: 'function', function: { name: choice.name } };
  params.tool_choice = toolChoice;
  if (choice.type !== 'none' && choice.disable_parallel_tool_use === true) params.parallel_tool_calls = false;
}

function reasoningEffort(input: MessageCreateParamsInput): Effort | 'xhigh' | 'max' | undefined {
  const thinking = input.thinking;
  const effort = input.output_config?.effort ?? undefined;
  if (thinking?.type === 'enabled') {
    if (effort) throw unsupported('output_config.effort', "give either thinking.budget_tokens or output_config.effort (with thinking: { type: 'adaptive' }), not both");
    return EFFORT_BUDGETS.find(([, budget]) => budget <= thinking.budget_tokens)?.[0] ?? 'minimal';
  }
  if (thinking?.type === 'adaptive') return effort ?? 'high';
  // Effort without thinking sets how hard the model works on its answer: the closest the gateway has is the same reasoning effort.
  return effort;
}

/** Block types and top-level fields outside what the schema translates, named before zod's generic message would. */
function refuseUntranslatable(raw: unknown): void {
  if (typeof raw !== 'object' || raw === null) throw new InvalidRequestError('messages.create() takes an object of params.', [{ path: '(root)', message: 'not an object' }]);
  const messages = (raw as { messages?: unknown }).messages;
  if (!Array.isArray(messages)) return;
  messages.forEach((message: unknown, m) => {
    const content = (message as { content?: unknown } | null)?.content;
    if (!Array.isArray(content)) return;
    content.forEach((block: unknown, b) => {
      const type = (block as { type?: unknown } | null)?.type;
      if (typeof type === 'string' && !(TRANSLATED_BLOCK_TYPES as readonly string[]).includes(type)) {
        throw unsupported(`messages.${m}.content.${b}.type`, `'${type}' blocks belong to Anthropic's server tools and features, and cannot be sent to other providers through the gateway`);
      }
    });
  });
}

function unsupported(path: string, why: string): UnsupportedFeatureError {
  return new UnsupportedFeatureError(path, `${path}: ${why}.`);
}

function invalidParams(error: z.ZodError, prefix?: string): InvalidRequestError {
  const issues = error.issues.map((issue) => {
    const path = [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.') || '(root)';
    if (issue.code === 'unrecognized_keys') {
      const fields = issue.keys.map((key) => (path === '(root)' ? key : `${path}.${key}`));
      return { path, message: `${fields.map((field) => `'${field}'`).join(', ')} cannot be translated for the gateway, so the call is refused rather than the field dropped` };
    }
    return { path, message: issue.message };
  });
  const first = issues[0];
  const summary = first ? (first.message.includes("'") ? first.message : `${first.path}: ${first.message}`) : 'invalid params';
  return new InvalidRequestError(`gateway.wrap(): ${summary}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}.`, issues);
}
