// Turns the AI SDK's call options into the gateway's OpenAI-shaped chat params, with the spec's warnings.
import { UnsupportedFunctionalityError, type LanguageModelV4CallOptions, type SharedV4Warning } from '@ai-sdk/provider';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionTool, ChatCompletionToolChoiceOption, ResponseFormat } from '@switchyard/core';
import { convertPrompt } from './convert-prompt.js';
import { chatExtras, type SwitchyardProviderOptions } from './switchyard-options.js';

export interface PreparedRequest {
  params: ChatCompletionCreateParamsNonStreaming;
  warnings: SharedV4Warning[];
}

/** The AI SDK adds its own `user-agent` to every call; only headers the caller set deserve a warning. */
const SDK_HEADERS = new Set(['user-agent']);

export function prepareChatRequest(modelId: string, options: LanguageModelV4CallOptions, call: SwitchyardProviderOptions): PreparedRequest {
  const { messages, warnings } = convertPrompt(options.prompt);
  const params: ChatCompletionCreateParamsNonStreaming = { model: modelId, messages };
  if (options.maxOutputTokens !== undefined) params.max_tokens = options.maxOutputTokens;
  if (options.temperature !== undefined) params.temperature = options.temperature;
  if (options.topP !== undefined) params.top_p = options.topP;
  if (options.presencePenalty !== undefined) params.presence_penalty = options.presencePenalty;
  if (options.frequencyPenalty !== undefined) params.frequency_penalty = options.frequencyPenalty;
  if (options.stopSequences !== undefined && options.stopSequences.length > 0) params.stop = options.stopSequences;
  if (options.seed !== undefined) params.seed = options.seed;
  if (options.topK !== undefined) {
    // Carried as the contract's `top_k` extension: the Anthropic and Gemini adapters map it, compatible servers use it; OpenAI itself has none.
    params.top_k = options.topK;
    warnings.push({ type: 'compatibility', feature: 'topK', details: "Sent as the gateway's top_k extension: Anthropic, Gemini and OpenAI-compatible servers that know it use it; OpenAI's own API has no top_k and may refuse it." });
  }
  if (options.reasoning !== undefined && options.reasoning !== 'provider-default') params.reasoning_effort = options.reasoning;
  const responseFormat = toResponseFormat(options.responseFormat, call.strictJsonSchema);
  if (responseFormat) params.response_format = responseFormat;
  const tools = toTools(options.tools, warnings);
  if (tools) {
    params.tools = tools;
    const choice = toToolChoice(options.toolChoice);
    if (choice) params.tool_choice = choice;
  }
  Object.assign(params, chatExtras(call));
  const callerHeaders = Object.entries(options.headers ?? {}).filter(([name, value]) => value !== undefined && !SDK_HEADERS.has(name.toLowerCase()));
  if (callerHeaders.length > 0) {
    warnings.push({ type: 'unsupported', feature: 'headers', details: 'The gateway runs in process and sends no HTTP request of its own: headers are ignored. Use providerOptions.switchyard.metadata to label a call.' });
  }
  return { params, warnings };
}

function toResponseFormat(format: LanguageModelV4CallOptions['responseFormat'], strict: boolean | undefined): ResponseFormat | undefined {
  if (!format || format.type === 'text') return undefined;
  if (!format.schema) return { type: 'json_object' };
  return {
    type: 'json_schema',
    json_schema: {
      // OpenAI requires a name; 'response' is what an unnamed schema is called.
      name: format.name ?? 'response',
      ...(format.description === undefined ? {} : { description: format.description }),
      schema: format.schema as Record<string, unknown>,
      ...(strict === undefined ? {} : { strict }),
    },
  };
}

function toTools(tools: LanguageModelV4CallOptions['tools'], warnings: SharedV4Warning[]): ChatCompletionTool[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  const converted: ChatCompletionTool[] = [];
  for (const tool of tools) {
    if (tool.type === 'provider') {
      warnings.push({ type: 'unsupported', feature: `provider-defined tool ${tool.id}`, details: 'The gateway offers function tools only; the tool was left out.' });
      continue;
    }
    converted.push({
      type: 'function',
      function: {
        name: tool.name,
        ...(tool.description === undefined ? {} : { description: tool.description }),
        parameters: tool.inputSchema as Record<string, unknown>,
        ...(tool.strict === undefined ? {} : { strict: tool.strict }),
      },
    });
  }
  return converted.length > 0 ? converted : undefined;
}

function toToolChoice(choice: LanguageModelV4CallOptions['toolChoice']): ChatCompletionToolChoiceOption | undefined {
  if (!choice) return undefined;
  switch (choice.type) {
    case 'auto':
    case 'none':
    case 'required':
      return choice.type;
    case 'tool':
      return { type: 'function', function: { name: choice.toolName } };
    default:
      throw new UnsupportedFunctionalityError({ functionality: `tool choice ${JSON.stringify(choice)}` });
  }
}
