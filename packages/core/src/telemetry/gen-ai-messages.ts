// The OpenAI-shaped messages and answers as the GenAI convention records content: `{ role, parts: [...] }` with text, tool call, tool call response, uri and blob parts.
// Only what the guardrails read is recorded (docs/guardrails.md): reasoning text, refusals and custom tool inputs are left out, so no unguarded text reaches a trace.
import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionMessageParam } from '../contract/chat-messages.js';

export type GenAiPart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string; name: string; arguments?: unknown }
  | { type: 'tool_call_response'; id: string; response: unknown }
  | { type: 'uri'; modality: 'image'; uri: string }
  | { type: 'blob'; modality: 'image' | 'audio' | 'file'; mime_type?: string; content: string };

export interface GenAiMessage {
  role: string;
  parts: GenAiPart[];
  name?: string;
  finish_reason?: string;
}

/** A text field of the caller's own (a redaction applies to answers, where restored values may be). */
type Redact = (text: string) => string;
const asIs: Redact = (text) => text;

/** The call's messages as sent (the request chain's, after the input guardrails). */
export function inputMessages(messages: readonly ChatCompletionMessageParam[]): GenAiMessage[] {
  return messages.map((message) => {
    const parts: GenAiPart[] = [];
    switch (message.role) {
      case 'system':
      case 'developer':
        pushText(parts, message.content);
        break;
      case 'user':
        if (typeof message.content === 'string') parts.push({ type: 'text', content: message.content });
        else
          for (const part of message.content) {
            if (part.type === 'text') parts.push({ type: 'text', content: part.text });
            else if (part.type === 'image_url') parts.push(imagePart(part.image_url.url));
            // Audio and file bytes are not content a trace should carry: their kind only.
            else if (part.type === 'input_audio') parts.push({ type: 'blob', modality: 'audio', mime_type: `audio/${part.input_audio.format}`, content: '' });
            else parts.push({ type: 'blob', modality: 'file', content: '' });
          }
        break;
      case 'assistant':
        if (typeof message.content === 'string') parts.push({ type: 'text', content: message.content });
        else if (message.content) for (const part of message.content) if (part.type === 'text') parts.push({ type: 'text', content: part.text });
        for (const call of message.tool_calls ?? []) {
          if (call.type === 'function') parts.push({ type: 'tool_call', id: call.id, name: call.function.name, arguments: parsedArguments(call.function.arguments) });
          else parts.push({ type: 'tool_call', id: call.id, name: call.custom.name });
        }
        break;
      case 'tool':
        parts.push({ type: 'tool_call_response', id: message.tool_call_id, response: typeof message.content === 'string' ? message.content : message.content.map((part) => part.text).join('') });
        break;
      case 'function':
        parts.push({ type: 'tool_call_response', id: message.name, response: message.content ?? '' });
        break;
    }
    const name = 'name' in message && typeof message.name === 'string' && message.role !== 'function' ? message.name : undefined;
    return name === undefined ? { role: message.role, parts } : { role: message.role, parts, name };
  });
}

/** A complete answer's choices, as the caller got them; `redact` is applied to every text the model wrote. */
export function outputMessages(completion: ChatCompletion, redact: Redact = asIs): GenAiMessage[] {
  return completion.choices.map((choice) => {
    const parts: GenAiPart[] = [];
    const message = choice.message;
    if (message.content) parts.push({ type: 'text', content: redact(message.content) });
    for (const call of message.tool_calls ?? []) {
      if (call.type === 'function') parts.push({ type: 'tool_call', id: call.id, name: call.function.name, arguments: parsedArguments(redact(call.function.arguments)) });
      else parts.push({ type: 'tool_call', id: call.id, name: call.custom.name });
    }
    return { role: 'assistant', parts, finish_reason: choice.finish_reason ?? 'error' };
  });
}

interface StreamedChoice {
  text: string;
  calls: Array<{ id: string; name: string; arguments: string }>;
  finish: string | undefined;
}

/** Puts a streamed answer back together, choice by choice, as it passes. */
export class StreamedOutput {
  readonly #choices: StreamedChoice[] = [];
  /** Once a choice holds this many characters it takes no more (the cap cuts far sooner). */
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  add(chunk: ChatCompletionChunk): void {
    for (const choice of chunk.choices) {
      const into = (this.#choices[choice.index] ??= { text: '', calls: [], finish: undefined });
      const delta = choice.delta;
      if (delta.content && into.text.length < this.#limit) into.text += delta.content;
      for (const call of delta.tool_calls ?? []) {
        const slot = (into.calls[call.index] ??= { id: '', name: '', arguments: '' });
        if (call.id) slot.id = call.id;
        if (call.function?.name) slot.name += call.function.name;
        if (call.function?.arguments && slot.arguments.length < this.#limit) slot.arguments += call.function.arguments;
      }
      if (choice.finish_reason) into.finish = choice.finish_reason;
    }
  }

  messages(redact: Redact = asIs): GenAiMessage[] {
    return Array.from(this.#choices, (choice) => {
      if (!choice) return { role: 'assistant', parts: [], finish_reason: 'error' };
      const parts: GenAiPart[] = [];
      if (choice.text) parts.push({ type: 'text', content: redact(choice.text) });
      for (const call of choice.calls) if (call) parts.push({ type: 'tool_call', id: call.id, name: call.name, arguments: parsedArguments(redact(call.arguments)) });
      // A stream cut before its finish chunk has no finish reason of its own.
      return { role: 'assistant', parts, finish_reason: choice.finish ?? 'error' };
    });
  }
}

function pushText(parts: GenAiPart[], content: string | ReadonlyArray<{ text: string }>): void {
  if (typeof content === 'string') parts.push({ type: 'text', content });
  else for (const part of content) parts.push({ type: 'text', content: part.text });
}

/** A URL is recorded as such; inline data (`data:` URLs) only by its media type, never its bytes. */
function imagePart(url: string): GenAiPart {
  if (!url.startsWith('data:')) return { type: 'uri', modality: 'image', uri: url };
  const mime = /^data:([^;,]+)/.exec(url)?.[1];
  return mime === undefined ? { type: 'blob', modality: 'image', content: '' } : { type: 'blob', modality: 'image', mime_type: mime, content: '' };
}

/** Tool arguments as the convention prefers them, an object, when they are valid JSON; otherwise the text as it came. */
function parsedArguments(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
