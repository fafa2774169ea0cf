import {
  InvalidRequestError,
  UnsupportedFeatureError,
  type CacheControl,
  type ChatCompletionContentPart,
  type ChatCompletionContentPartText,
  type ChatCompletionMessageParam,
} from '@switchyard/core';
import type Anthropic from '@anthropic-ai/sdk';

type Block = Anthropic.ContentBlockParam;
type ImageMediaType = Anthropic.Base64ImageSource['media_type'];

const IMAGE_TYPES: ReadonlySet<string> = new Set<ImageMediaType>(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

export interface AnthropicConversation {
  system: Anthropic.TextBlockParam[];
  messages: Anthropic.MessageParam[];
}

/**
 * OpenAI messages to Anthropic's: system and developer messages become the top-level
 * `system`; tool results become `tool_result` blocks in a user turn; consecutive turns of
 * one role merge, since Anthropic wants user and assistant to alternate.
 */
export function toAnthropicConversation(messages: readonly ChatCompletionMessageParam[]): AnthropicConversation {
  const system: Anthropic.TextBlockParam[] = [];
  const turns: Anthropic.MessageParam[] = [];
  const push = (role: 'user' | 'assistant', blocks: Block[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last && last.role === role) (last.content as Block[]).push(...blocks);
    else turns.push({ role, content: blocks });
  };

  messages.forEach((message, index) => {
    const path = `messages.${index}`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...withCacheControl(textBlocks(message.content), message.cache_control));
        return;
      case 'user':
        push('user', withCacheControl(userBlocks(message.content, path), message.cache_control));
        return;
      case 'assistant':
        push('assistant', withCacheControl(assistantBlocks(message, path), message.cache_control));
        return;
      case 'tool':
        push('user', [
          withCacheControl(
            [{ type: 'tool_result', tool_use_id: message.tool_call_id, content: textBlocks(message.content) }],
            message.cache_control,
          )[0] as Block,
        ]);
        return;
      case 'function':
        throw new UnsupportedFeatureError('function_messages', `${path}: legacy 'function' messages have no Anthropic equivalent; use tools and 'tool' messages.`);
    }
  });
  return { system, messages: turns };
}

function textBlocks(content: string | ChatCompletionContentPartText[]): Anthropic.TextBlockParam[] {
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }];
  return content.map((part) => withCache({ type: 'text', text: part.text }, part.cache_control));
}

function userBlocks(content: string | ChatCompletionContentPart[], path: string): Block[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, i): Block => {
    const where = `${path}.content.${i}`;
    switch (part.type) {
      case 'text':
        return withCache({ type: 'text', text: part.text }, part.cache_control);
      case 'image_url':
        return withCache(imageBlock(part.image_url.url, where), part.cache_control);
      case 'file':
        return documentBlock(part.file, where);
      case 'input_audio':
        throw new UnsupportedFeatureError('input_audio', `${where}: Anthropic models take no audio input.`);
    }
  });
}

function imageBlock(url: string, where: string): Anthropic.ImageBlockParam {
  if (url.startsWith('data:')) {
    const { mediaType, data } = parseDataUrl(url, where);
    if (!IMAGE_TYPES.has(mediaType)) {
      throw new UnsupportedFeatureError('image_url', `${where}: Anthropic accepts JPEG, PNG, GIF and WebP images, not ${mediaType}.`);
    }
    return { type: 'image', source: { type: 'base64', media_type: mediaType as ImageMediaType, data } };
  }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } };
  throw new UnsupportedFeatureError('image_url', `${where}: only http(s) and base64 data URLs can be sent to Anthropic.`);
}

function documentBlock(file: { file_data?: string | undefined; file_id?: string | undefined }, where: string): Block {
  if (file.file_data?.startsWith('data:')) {
    const { mediaType, data } = parseDataUrl(file.file_data, where);
    if (mediaType === 'application/pdf') return { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data } };
  }
  throw new UnsupportedFeatureError('file', `${where}: Anthropic takes files as base64 PDF data URLs in 'file_data'; OpenAI file ids cannot be sent.`);
}

function parseDataUrl(url: string, where: string): { mediaType: string; data: string } {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (!match) throw new InvalidRequestError(`${where}: a data URL must look like data:<type>;base64,<data>.`, [{ path: where, message: 'malformed data URL' }]);
  return { mediaType: (match[1] as string).toLowerCase(), data: match[2] as string };
}

function assistantBlocks(message: Extract<ChatCompletionMessageParam, { role: 'assistant' }>, path: string): Block[] {
  const blocks: Block[] = [];
  // Signed thinking must come back first and unchanged, or Anthropic rejects the turn.
  for (const detail of message.reasoning_details ?? []) {
    if (detail.type === 'thinking' && detail.signature) blocks.push({ type: 'thinking', thinking: detail.thinking, signature: detail.signature });
    else if (detail.type === 'redacted_thinking') blocks.push({ type: 'redacted_thinking', data: detail.data });
  }
  const content = message.content;
  if (typeof content === 'string') {
    if (content !== '') blocks.push({ type: 'text', text: content });
  } else if (content) {
    for (const part of content) {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (text !== '') blocks.push(withCache({ type: 'text', text }, part.type === 'text' ? part.cache_control : undefined));
    }
  }
  message.tool_calls?.forEach((call, i) => {
    if (call.type !== 'function') {
      throw new UnsupportedFeatureError('custom_tools', `${path}.tool_calls.${i}: custom tool calls have no Anthropic equivalent.`);
    }
    blocks.push({ type: 'tool_use', id: call.id, name: call.function.name, input: parseArguments(call.function.arguments, `${path}.tool_calls.${i}`) });
  });
  return blocks;
}

function parseArguments(text: string, where: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new InvalidRequestError(`${where}: function.arguments must be a JSON object to send to Anthropic.`, [
    { path: `${where}.function.arguments`, message: 'not a JSON object' },
  ]);
}

function withCache<T extends Block>(block: T, cacheControl: CacheControl | undefined): T {
  return cacheControl ? { ...block, cache_control: cacheControl } : block;
}

/** A message-level `cache_control` marks the message's last block, as Anthropic defines breakpoints. */
function withCacheControl<T extends Block>(blocks: T[], cacheControl: CacheControl | undefined): T[] {
  if (!cacheControl || blocks.length === 0) return blocks;
  const last = blocks.length - 1;
  return blocks.map((block, i) => (i === last ? withCache(block, cacheControl) : block));
}
