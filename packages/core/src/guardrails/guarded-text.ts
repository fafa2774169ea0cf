// The pieces of text a guardrail sees in a request or an answer, and how a changed piece is put back without touching the caller's objects.
import type { ChatCompletionContentPartText, ChatCompletionMessageParam } from '../contract/chat-messages.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../contract/embeddings.js';

/** The role of the message a piece of input comes from (`input` for an embeddings input). */
export type TextRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function' | 'input';

/** One piece of text: a message's content (or one text part of it), a tool call's arguments, an embeddings input. */
export interface GuardedText {
  readonly role: TextRole;
  /** `content` for text; `arguments` for a tool call's arguments (JSON text). */
  readonly field: 'content' | 'arguments';
  readonly text: string;
}

/** Where a piece came from, to put a changed one back. */
interface Location {
  /** Message (or embeddings input, or choice) index. */
  readonly at: number;
  /** Text part or tool call index; -1 for a plain string content. */
  readonly part: number;
}

/** The pieces of one request or answer, with where each came from. */
export interface TextPieces {
  readonly texts: GuardedText[];
  readonly locations: Location[];
}

/** Every text of a chat request's messages (content strings, text parts, assistant tool-call arguments) or an embeddings input. */
export function requestTexts(operation: 'chat' | 'embeddings', params: ChatCompletionCreateParams | EmbeddingCreateParams): TextPieces {
  const texts: GuardedText[] = [];
  const locations: Location[] = [];
  const add = (role: TextRole, field: GuardedText['field'], text: string, at: number, part: number) => {
    texts.push({ role, field, text });
    locations.push({ at, part });
  };
  if (operation === 'embeddings') {
    const input = (params as EmbeddingCreateParams).input;
    if (typeof input === 'string') add('input', 'content', input, 0, -1);
    else if (Array.isArray(input)) input.forEach((item, at) => typeof item === 'string' && add('input', 'content', item, at, -1));
    return { texts, locations };
  }
  (params as ChatCompletionCreateParams).messages.forEach((message, at) => {
    const content = message.content;
    if (typeof content === 'string') add(message.role, 'content', content, at, -1);
    else if (Array.isArray(content)) content.forEach((part, index) => part.type === 'text' && add(message.role, 'content', part.text, at, index));
    if (message.role === 'assistant' && message.tool_calls) {
      message.tool_calls.forEach((call, index) => call.type === 'function' && add('assistant', 'arguments', call.function.arguments, at, index));
    }
  });
  return { texts, locations };
}

/** The request with the pieces `changed` (by piece index) put back: copies along each changed path, the caller's objects untouched. */
export function withRequestTexts<P extends ChatCompletionCreateParams | EmbeddingCreateParams>(operation: 'chat' | 'embeddings', params: P, pieces: TextPieces, changed: ReadonlyMap<number, string>): P {
  if (operation === 'embeddings') {
    const embeddings = params as EmbeddingCreateParams;
    if (typeof embeddings.input === 'string') return { ...params, input: changed.get(0) ?? embeddings.input };
    const input = [...(embeddings.input as string[])];
    for (const [index, text] of changed) input[(pieces.locations[index] as Location).at] = text;
    return { ...params, input };
  }
  const messages: ChatCompletionMessageParam[] = [...(params as ChatCompletionCreateParams).messages];
  for (const [index, text] of changed) {
    const { at, part } = pieces.locations[index] as Location;
    const piece = pieces.texts[index] as GuardedText;
    const message = messages[at] as ChatCompletionMessageParam;
    if (piece.field === 'arguments' && message.role === 'assistant' && message.tool_calls) {
      const toolCalls = [...message.tool_calls];
      const call = toolCalls[part];
      if (call?.type === 'function') toolCalls[part] = { ...call, function: { ...call.function, arguments: text } };
      messages[at] = { ...message, tool_calls: toolCalls };
    } else if (part < 0) {
      messages[at] = { ...message, content: text } as ChatCompletionMessageParam;
    } else {
      const parts = [...(message.content as ChatCompletionContentPartText[])];
      parts[part] = { ...(parts[part] as ChatCompletionContentPartText), text };
      messages[at] = { ...message, content: parts } as ChatCompletionMessageParam;
    }
  }
  return { ...params, messages };
}

/** Every text of a completion's choices: the message content and each function tool call's arguments. */
export function answerTexts(completion: ChatCompletion): TextPieces {
  const texts: GuardedText[] = [];
  const locations: Location[] = [];
  completion.choices.forEach((choice, at) => {
    if (typeof choice.message.content === 'string') {
      texts.push({ role: 'assistant', field: 'content', text: choice.message.content });
      locations.push({ at, part: -1 });
    }
    choice.message.tool_calls?.forEach((call, part) => {
      if (call.type !== 'function') return;
      texts.push({ role: 'assistant', field: 'arguments', text: call.function.arguments });
      locations.push({ at, part });
    });
  });
  return { texts, locations };
}

/** The completion with the pieces `changed` put back, as copies. */
export function withAnswerTexts(completion: ChatCompletion, pieces: TextPieces, changed: ReadonlyMap<number, string>): ChatCompletion {
  const choices = [...completion.choices];
  for (const [index, text] of changed) {
    const { at, part } = pieces.locations[index] as Location;
    const choice = choices[at] as ChatCompletion['choices'][number];
    if (part < 0) {
      choices[at] = { ...choice, message: { ...choice.message, content: text } };
      continue;
    }
    const toolCalls = [...(choice.message.tool_calls ?? [])];
    const call = toolCalls[part];
    if (call?.type === 'function') toolCalls[part] = { ...call, function: { ...call.function, arguments: text } };
    choices[at] = { ...choice, message: { ...choice.message, tool_calls: toolCalls } };
  }
  return { ...completion, choices };
}
