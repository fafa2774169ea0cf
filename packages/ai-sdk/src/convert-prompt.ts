// Translates the AI SDK's prompt (LanguageModelV4Prompt) into the gateway's OpenAI-shaped messages.
import { UnsupportedFunctionalityError, type LanguageModelV4FilePart, type LanguageModelV4Prompt, type LanguageModelV4ToolResultOutput, type SharedV4Warning } from '@ai-sdk/provider';
import type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionContentPartText,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from '@switchyard/core';
import { detectImageMediaType, toBase64 } from './data-content.js';

export interface ConvertedPrompt {
  messages: ChatCompletionMessageParam[];
  warnings: SharedV4Warning[];
}

export function convertPrompt(prompt: LanguageModelV4Prompt): ConvertedPrompt {
  const messages: ChatCompletionMessageParam[] = [];
  const warnings: SharedV4Warning[] = [];
  for (const message of prompt) {
    switch (message.role) {
      case 'system':
        messages.push({ role: 'system', content: message.content });
        break;
      case 'user': {
        const [only] = message.content;
        if (message.content.length === 1 && only?.type === 'text') {
          messages.push({ role: 'user', content: only.text });
          break;
        }
        messages.push({ role: 'user', content: message.content.map((part, index) => (part.type === 'text' ? { type: 'text', text: part.text } : userFilePart(part, index))) });
        break;
      }
      case 'assistant':
        messages.push(assistantMessage(message.content, warnings));
        break;
      case 'tool':
        for (const part of message.content) {
          // Approval responses answer provider-executed tools, which the gateway does not run.
          if (part.type === 'tool-approval-response') continue;
          messages.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolResultContent(part.output) });
        }
        break;
    }
  }
  return { messages, warnings };
}

type AssistantContent = Extract<LanguageModelV4Prompt[number], { role: 'assistant' }>['content'];

function assistantMessage(content: AssistantContent, warnings: SharedV4Warning[]): ChatCompletionAssistantMessageParam {
  let text = '';
  let reasoning = '';
  const toolCalls: ChatCompletionMessageToolCall[] = [];
  for (const part of content) {
    switch (part.type) {
      case 'text':
        text += part.text;
        break;
      case 'reasoning':
        reasoning += part.text;
        break;
      case 'tool-call':
        toolCalls.push({ id: part.toolCallId, type: 'function', function: { name: part.toolName, arguments: toolCallArguments(part.input) } });
        break;
      default:
        // Files, reasoning files, custom parts and provider-executed tool results have no place in an OpenAI assistant message.
        warnings.push({ type: 'unsupported', feature: `assistant message part '${part.type}'`, details: 'The part was left out of the request.' });
    }
  }
  const message: ChatCompletionAssistantMessageParam = { role: 'assistant', content: toolCalls.length > 0 && text === '' ? null : text };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  return message;
}

/** A tool call's input as OpenAI's `arguments` string: the AI SDK hands over the parsed value (or, from some sources, the JSON text). */
function toolCallArguments(input: unknown): string {
  if (typeof input === 'string') return input;
  return JSON.stringify(input ?? {});
}

function toolResultContent(output: LanguageModelV4ToolResultOutput): string | ChatCompletionContentPartText[] {
  switch (output.type) {
    case 'text':
      return output.value;
    case 'json':
      return JSON.stringify(output.value);
    case 'error-text':
    case 'error-json':
      // Marked as an error, so that the model can tell a failed tool from a result.
      return JSON.stringify({ error: output.value });
    case 'execution-denied':
      return output.reason ?? 'The tool call was not executed: the user denied it.';
    case 'content':
      if (output.value.every((part) => part.type === 'text')) return output.value.map((part) => ({ type: 'text', text: part.text }));
      throw new UnsupportedFunctionalityError({ functionality: 'tool results with file or custom content parts (OpenAI tool messages hold text only)' });
  }
}

function userFilePart(part: LanguageModelV4FilePart, index: number): ChatCompletionContentPart {
  const data = part.data;
  if (data.type === 'reference') throw new UnsupportedFunctionalityError({ functionality: 'file parts given by provider reference' });
  if (data.type === 'text') throw new UnsupportedFunctionalityError({ functionality: 'inline text file parts (send the text as a text part)' });
  const [topLevel, subtype] = part.mediaType.split('/');
  if (topLevel === 'image') {
    if (data.type === 'url') return { type: 'image_url', image_url: { url: data.url.toString() } };
    const mediaType = subtype && subtype !== '*' ? part.mediaType : detectImageMediaType(data.data);
    if (!mediaType) throw new UnsupportedFunctionalityError({ functionality: 'image parts whose image type is not given and not recognised (give a full media type such as image/png)' });
    return { type: 'image_url', image_url: { url: `data:${mediaType};base64,${toBase64(data.data)}` } };
  }
  if (data.type === 'url') throw new UnsupportedFunctionalityError({ functionality: `${part.mediaType} file parts given by URL (only images may be URLs)` });
  if (topLevel === 'audio') {
    const format = subtype === 'wav' ? 'wav' : subtype === 'mp3' || subtype === 'mpeg' ? 'mp3' : undefined;
    if (!format) throw new UnsupportedFunctionalityError({ functionality: `audio parts of media type ${part.mediaType} (wav and mp3 are supported)` });
    return { type: 'input_audio', input_audio: { data: toBase64(data.data), format } };
  }
  if (part.mediaType === 'application/pdf') {
    return { type: 'file', file: { filename: part.filename ?? `part-${index}.pdf`, file_data: `data:application/pdf;base64,${toBase64(data.data)}` } };
  }
  throw new UnsupportedFunctionalityError({ functionality: `file parts of media type ${part.mediaType} (images, wav/mp3 audio and PDF are supported)` });
}
