import {
  InvalidRequestError,
  UnsupportedFeatureError,
  type ChatCompletionContentPart,
  type ChatCompletionContentPartText,
  type ChatCompletionCreateParams,
  type ChatCompletionMessageParam,
  type ChatCompletionToolChoiceOption,
} from '@switchyard/core';
import type { CallWarning } from '@switchyard/core/adapter';
import { droppedParams } from './dropped-params.js';
import type { GeminiContent, GeminiGenerationConfig, GeminiPart, GeminiRequest } from './gemini-wire.js';
import type { ImageFetchOptions } from './image-fetch-options.js';
import { countImageUrls, RequestImages } from './request-images.js';
import { convertToGeminiSchema, type GeminiSchema } from './to-gemini-schema.js';

export type { ImageFetchOptions } from './image-fetch-options.js';

/** Thinking budgets (tokens) per `reasoning_effort`; `none` turns thinking off. */
export const DEFAULT_GEMINI_THINKING_BUDGETS = {
  minimal: 512,
  low: 1_024,
  medium: 8_192,
  high: 24_576,
  xhigh: 32_768,
  max: 32_768,
} as const;

export type GeminiThinkingBudgets = Record<keyof typeof DEFAULT_GEMINI_THINKING_BUDGETS, number>;

export interface GeminiTranslationOptions {
  images: ImageFetchOptions;
  thinkingBudgets: GeminiThinkingBudgets;
  signal: AbortSignal | undefined;
}

function refuseUnsupported(params: ChatCompletionCreateParams): void {
  const refuse = (feature: string, why: string) => {
    throw new UnsupportedFeatureError(feature, `Gemini does not support '${feature}' through Switchyard: ${why}`);
  };
  if (params.logprobs || params.top_logprobs) refuse('logprobs', 'token probabilities are not mapped back.');
  if (params.logit_bias && Object.keys(params.logit_bias).length > 0) refuse('logit_bias', 'it cannot bias tokens.');
  if (params.audio || params.modalities?.includes('audio')) refuse('audio', 'audio output is not mapped.');
  if (params.prediction) refuse('prediction', 'it has no predicted outputs.');
  if (params.web_search_options) refuse('web_search_options', "use Gemini's Google Search tool through its own SDK.");
  if (params.functions || params.function_call) refuse('functions', "use 'tools' instead of the legacy 'functions'.");
  if (params.parallel_tool_calls === false) refuse('parallel_tool_calls', 'it cannot be told to call one tool at a time.');
}

/** A Gemini request, and what the translation left out or changed on the way (for `CallContext.warn`). */
export interface GeminiTranslation {
  request: GeminiRequest;
  warnings: CallWarning[];
}

/** OpenAI params to a Gemini `generateContent` request. Async: http(s) images are fetched and inlined. */
export async function toGeminiRequest(params: ChatCompletionCreateParams, options: GeminiTranslationOptions): Promise<GeminiRequest> {
  return (await translateGeminiRequest(params, options)).request;
}

/** `toGeminiRequest`, with a warning for each parameter dropped and each schema made looser. */
export async function translateGeminiRequest(params: ChatCompletionCreateParams, options: GeminiTranslationOptions): Promise<GeminiTranslation> {
  refuseUnsupported(params);
  const images = new RequestImages(options.images, options.signal, countImageUrls(params.messages));
  const warnings = droppedParams(params);
  try {
    return { request: await translate(params, options, images, warnings), warnings };
  } finally {
    // A failure elsewhere in the request leaves no download running.
    images.close();
  }
}

/** A JSON schema as Gemini takes it; keywords it had to leave out become one warning on `param`. */
function geminiSchema(jsonSchema: Record<string, unknown>, param: string, warnings: CallWarning[]): GeminiSchema {
  const { schema, dropped } = convertToGeminiSchema(jsonSchema);
  const names = [...dropped.named, ...(dropped.unrecognised > 0 ? [`${dropped.unrecognised} unrecognised keyword${dropped.unrecognised === 1 ? '' : 's'}`] : [])];
  if (names.length > 0) {
    warnings.push({
      code: 'parameter_adjusted',
      param,
      message: `JSON schema keywords Gemini does not support were removed (${names.join(', ')}); the schema sent is looser than the one given.`,
    });
  }
  return schema;
}

async function translate(
  params: ChatCompletionCreateParams,
  options: GeminiTranslationOptions,
  images: RequestImages,
  warnings: CallWarning[],
): Promise<GeminiRequest> {
  const request: GeminiRequest = { contents: [] };
  const system: GeminiPart[] = [];
  const toolNames = new Map<string, string>(); // tool_call_id -> function name, for functionResponse
  const push = (role: GeminiContent['role'], parts: GeminiPart[]) => {
    if (parts.length === 0) return;
    const last = request.contents.at(-1);
    if (last && last.role === role) last.parts.push(...parts);
    else request.contents.push({ role, parts });
  };

  for (const [index, message] of params.messages.entries()) {
    const path = `messages.${index}`;
    switch (message.role) {
      case 'system':
      case 'developer':
        system.push(...textParts(message.content));
        break;
      case 'user':
        push('user', await userParts(message.content, path, images));
        break;
      case 'assistant':
        push('model', modelParts(message, path, toolNames));
        break;
      case 'tool': {
        const name = toolNames.get(message.tool_call_id);
        if (!name) {
          throw new InvalidRequestError(`${path}: no earlier assistant tool call has id '${message.tool_call_id}'; Gemini needs the function name.`, [
            { path: `${path}.tool_call_id`, message: 'does not match an earlier tool call' },
          ]);
        }
        push('user', [{ functionResponse: { name, response: toolResponse(textOf(message.content)) } }]);
        break;
      }
      case 'function':
        throw new UnsupportedFeatureError('function_messages', `${path}: legacy 'function' messages are not mapped; use tools and 'tool' messages.`);
    }
  }
  if (system.length > 0) request.systemInstruction = { role: 'user', parts: system };

  if (params.tools?.length) {
    request.tools = [
      {
        functionDeclarations: params.tools.map((tool, i) => {
          if (tool.type !== 'function') throw new UnsupportedFeatureError('custom_tools', `tools.${i}: custom (free-form) tools have no Gemini equivalent.`);
          const fn = tool.function;
          return {
            name: fn.name,
            ...(fn.description === undefined ? {} : { description: fn.description }),
            ...(fn.parameters && Object.keys(fn.parameters).length > 0 ? { parameters: geminiSchema(fn.parameters, `tools[${i}].function.parameters`, warnings) } : {}),
          };
        }),
      },
    ];
    const mode = toolConfig(params.tool_choice);
    if (mode) request.toolConfig = { functionCallingConfig: mode };
  }

  const generation = generationConfig(params, options, warnings);
  if (Object.keys(generation).length > 0) request.generationConfig = generation;
  return request;
}

function generationConfig(params: ChatCompletionCreateParams, options: GeminiTranslationOptions, warnings: CallWarning[]): GeminiGenerationConfig {
  const config: GeminiGenerationConfig = {};
  const set = <K extends keyof GeminiGenerationConfig>(key: K, value: GeminiGenerationConfig[K] | null | undefined) => {
    if (value !== undefined && value !== null) config[key] = value;
  };
  set('temperature', params.temperature);
  set('topP', params.top_p);
  set('topK', params.top_k);
  set('candidateCount', params.n);
  set('maxOutputTokens', params.max_completion_tokens ?? params.max_tokens);
  set('seed', params.seed);
  set('presencePenalty', params.presence_penalty);
  set('frequencyPenalty', params.frequency_penalty);
  if (params.stop) config.stopSequences = typeof params.stop === 'string' ? [params.stop] : params.stop;
  const format = params.response_format;
  if (format?.type === 'json_object') config.responseMimeType = 'application/json';
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json';
    if (format.json_schema.schema) config.responseSchema = geminiSchema(format.json_schema.schema, 'response_format.json_schema.schema', warnings);
  }
  const effort = params.reasoning_effort;
  if (effort === 'none') config.thinkingConfig = { thinkingBudget: 0 };
  else if (effort) config.thinkingConfig = { thinkingBudget: options.thinkingBudgets[effort], includeThoughts: true };
  return config;
}

function toolConfig(choice: ChatCompletionToolChoiceOption | undefined): NonNullable<GeminiRequest['toolConfig']>['functionCallingConfig'] | undefined {
  if (choice === undefined) return undefined;
  if (choice === 'auto') return { mode: 'AUTO' };
  if (choice === 'none') return { mode: 'NONE' };
  if (choice === 'required') return { mode: 'ANY' };
  if (choice.type === 'function') return { mode: 'ANY', allowedFunctionNames: [choice.function.name] };
  if (choice.type === 'allowed_tools') {
    const names = choice.allowed_tools.tools.flatMap((tool) => {
      const fn = (tool as { function?: { name?: unknown } }).function;
      return typeof fn?.name === 'string' ? [fn.name] : [];
    });
    return { mode: choice.allowed_tools.mode === 'required' ? 'ANY' : 'AUTO', allowedFunctionNames: names };
  }
  throw new UnsupportedFeatureError('tool_choice', `tool_choice '${choice.type}' has no Gemini equivalent.`);
}

function textOf(content: string | ChatCompletionContentPartText[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('');
}

function textParts(content: string | ChatCompletionContentPartText[]): GeminiPart[] {
  const text = textOf(content);
  return text === '' ? [] : [{ text }];
}

/** Gemini wants an object as a function's response: JSON objects pass as they are, anything else is wrapped. */
function toolResponse(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
    return { result: value };
  } catch {
    return { result: text };
  }
}

async function userParts(content: string | ChatCompletionContentPart[], path: string, images: RequestImages): Promise<GeminiPart[]> {
  // Gemini rejects empty text parts.
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }];
  return Promise.all(
    content.map(async (part, i): Promise<GeminiPart> => {
      const where = `${path}.content.${i}`;
      switch (part.type) {
        case 'text':
          return { text: part.text };
        case 'image_url':
          return { inlineData: await images.inline(part.image_url.url, where) };
        case 'input_audio':
          return { inlineData: { mimeType: `audio/${part.input_audio.format}`, data: part.input_audio.data } };
        case 'file': {
          const match = /^data:([^;,]+);base64,(.*)$/s.exec(part.file.file_data ?? '');
          if (match) return { inlineData: { mimeType: match[1] as string, data: match[2] as string } };
          throw new UnsupportedFeatureError('file', `${where}: Gemini takes files as base64 data URLs in 'file_data'; OpenAI file ids cannot be sent.`);
        }
      }
    }),
  );
}

function modelParts(message: Extract<ChatCompletionMessageParam, { role: 'assistant' }>, path: string, toolNames: Map<string, string>): GeminiPart[] {
  const parts: GeminiPart[] = [];
  const signatures = new Map<string | undefined, string>();
  for (const detail of message.reasoning_details ?? []) if (detail.type === 'signature') signatures.set(detail.tool_call_id, detail.signature);
  const content = message.content;
  const text = typeof content === 'string' ? content : (content ?? []).map((part) => (part.type === 'text' ? part.text : part.refusal)).join('');
  if (text !== '') parts.push({ text });
  message.tool_calls?.forEach((call, i) => {
    if (call.type !== 'function') throw new UnsupportedFeatureError('custom_tools', `${path}.tool_calls.${i}: custom tool calls have no Gemini equivalent.`);
    toolNames.set(call.id, call.function.name);
    let args: unknown;
    try {
      args = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
    } catch {
      throw new InvalidRequestError(`${path}.tool_calls.${i}: function.arguments is not valid JSON.`, [
        { path: `${path}.tool_calls.${i}.function.arguments`, message: 'not valid JSON' },
      ]);
    }
    const signature = signatures.get(call.id);
    parts.push({ functionCall: { name: call.function.name, args: args as Record<string, unknown> }, ...(signature ? { thoughtSignature: signature } : {}) });
  });
  // A signature not tied to a call belongs to the turn's first part, where Gemini put it.
  const loose = signatures.get(undefined);
  if (loose && parts[0] && !parts[0].thoughtSignature) parts[0] = { ...parts[0], thoughtSignature: loose };
  return parts;
}
