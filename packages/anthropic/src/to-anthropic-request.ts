import {
  InvalidRequestError,
  UnsupportedFeatureError,
  type ChatCompletionCreateParams,
  type ChatCompletionTool,
  type ChatCompletionToolChoiceOption,
} from '@switchyard/core';
import type { CallWarning } from '@switchyard/core/adapter';
import type Anthropic from '@anthropic-ai/sdk';
import { FALLBACK_MAX_TOKENS, MIN_THINKING_BUDGET, defaultMaxTokens, type ThinkingBudgets } from './model-catalog.js';
import { toAnthropicConversation } from './to-anthropic-messages.js';

/** How to read the answer back: set when `response_format` was mapped to a forced tool. */
export interface ResponsePlan {
  /** The tool whose input is the JSON answer, delivered as message content. */
  jsonTool: string | undefined;
  /** The schema was not an object and was wrapped in `{ value }`; unwrap it. */
  jsonWrapped: boolean;
}

/**
 * The Messages API body. The sampling fields left the SDK's types when Anthropic
 * deprecated them for new models; older models still take them, so they are sent when
 * the caller sets them, and a model that refuses them says so (a 400, never a silent drop).
 */
export type AnthropicRequestBody = Anthropic.MessageCreateParamsNonStreaming & {
  temperature?: number;
  top_p?: number;
  top_k?: number;
};

export interface AnthropicRequest {
  body: AnthropicRequestBody;
  plan: ResponsePlan;
  /** What the translation dropped, adjusted or filled in, for the adapter to report on the call. */
  warnings: CallWarning[];
}

export interface TranslationOptions {
  thinkingBudgets: ThinkingBudgets;
}

const JSON_TOOL = 'json_response';

/** OpenAI fields with no Anthropic counterpart that change the answer: refused, never dropped. */
function refuseUnsupported(params: ChatCompletionCreateParams): void {
  const refuse = (feature: string, why: string) => {
    throw new UnsupportedFeatureError(feature, `Anthropic does not support '${feature}': ${why}`);
  };
  if ((params.n ?? 1) !== 1) refuse('n', 'it returns one choice per call; make several calls.');
  if (params.seed !== undefined && params.seed !== null) refuse('seed', 'its sampling cannot be seeded.');
  if (params.logprobs || params.top_logprobs) refuse('logprobs', 'it returns no token probabilities.');
  if (params.frequency_penalty) refuse('frequency_penalty', 'it has no repetition penalties.');
  if (params.presence_penalty) refuse('presence_penalty', 'it has no repetition penalties.');
  if (params.logit_bias && Object.keys(params.logit_bias).length > 0) refuse('logit_bias', 'it cannot bias tokens.');
  if (params.audio || params.modalities?.includes('audio')) refuse('audio', 'it produces text only.');
  if (params.prediction) refuse('prediction', 'it has no predicted outputs.');
  if (params.web_search_options) refuse('web_search_options', "use Anthropic's web search tool through its own SDK.");
  if (params.functions || params.function_call) refuse('functions', "use 'tools' instead of the legacy 'functions'.");
}

/**
 * OpenAI-platform fields Anthropic has nothing to send for: left out (so that code written
 * for OpenAI keeps working), each reported as dropped. The reasons never quote the value.
 */
const DROPPED_FIELDS = {
  metadata: "Anthropic's metadata takes only a user id (sent from 'user')",
  store: 'Anthropic does not store completions',
  service_tier: "OpenAI's service tiers do not map onto Anthropic's",
  prompt_cache_key: 'Anthropic caches by cache_control breakpoints, not by key',
  prompt_cache_retention: 'Anthropic caches by cache_control breakpoints, with their own ttl',
  prompt_cache_options: 'Anthropic caches by cache_control breakpoints, with their own ttl',
  safety_identifier: 'Anthropic has no safety identifier',
  verbosity: 'Anthropic has no verbosity setting',
  moderation: 'Anthropic has no moderation option',
} as const satisfies Partial<Record<keyof ChatCompletionCreateParams, string>>;

function droppedFields(params: ChatCompletionCreateParams): CallWarning[] {
  const warnings: CallWarning[] = [];
  for (const [field, why] of Object.entries(DROPPED_FIELDS)) {
    const value: unknown = params[field as keyof typeof DROPPED_FIELDS];
    // `store: false` asks for what Anthropic does anyway: nothing is lost.
    if (value === undefined || value === null || (field === 'store' && value === false)) continue;
    warnings.push({ code: 'parameter_dropped', param: field, message: `'${field}' was not sent: ${why}.` });
  }
  const format = params.response_format;
  if (format?.type === 'json_schema' && format.json_schema.strict) {
    warnings.push({
      code: 'parameter_dropped',
      param: 'response_format.json_schema.strict',
      message: "'strict' was not sent: the schema is given to Anthropic as a tool's input schema, which the model follows without strict decoding.",
    });
  }
  return warnings;
}

export function toAnthropicRequest(params: ChatCompletionCreateParams, options: TranslationOptions): AnthropicRequest {
  refuseUnsupported(params);
  const warnings = droppedFields(params);
  const { system, messages } = toAnthropicConversation(params.messages);
  const explicit = params.max_completion_tokens ?? params.max_tokens ?? undefined;
  const catalogMax = defaultMaxTokens(params.model);
  let maxTokens = explicit ?? catalogMax;
  const body: AnthropicRequestBody = { model: params.model, max_tokens: maxTokens, messages };
  if (system.length > 0) body.system = system;

  const thinking = thinkingBudget(params, options);
  if (thinking !== undefined) {
    // Thinking counts against max_tokens; the answer needs room after it.
    const budget = explicit === undefined ? thinking : Math.min(thinking, explicit - 1);
    if (budget < MIN_THINKING_BUDGET) {
      throw new InvalidRequestError(
        `reasoning_effort needs max_tokens above ${MIN_THINKING_BUDGET} on Anthropic (thinking takes at least ${MIN_THINKING_BUDGET} tokens).`,
        [{ path: 'max_completion_tokens', message: `must exceed ${MIN_THINKING_BUDGET} when reasoning is on` }],
      );
    }
    if (explicit !== undefined && budget < thinking) {
      warnings.push({
        code: 'parameter_adjusted',
        param: 'reasoning_effort',
        message: `The thinking budget for reasoning_effort '${String(params.reasoning_effort)}' was lowered from ${thinking} to ${budget} tokens: Anthropic needs it below max_tokens (${explicit}).`,
      });
    }
    if (explicit === undefined) maxTokens = Math.max(maxTokens, budget + 1);
    body.max_tokens = maxTokens;
    body.thinking = { type: 'enabled', budget_tokens: budget };
  }
  if (explicit === undefined) {
    const source = maxTokens > catalogMax ? 'enough for the thinking budget and an answer' : `the model's maximum output per the model catalog, or ${FALLBACK_MAX_TOKENS} for a model it does not know`;
    warnings.push({
      code: 'parameter_defaulted',
      param: 'max_tokens',
      message: `max_tokens was not set and Anthropic requires it: ${maxTokens} was sent (${source}).`,
    });
  }

  if (params.stop) body.stop_sequences = typeof params.stop === 'string' ? [params.stop] : params.stop;
  if (params.temperature !== undefined && params.temperature !== null) body.temperature = params.temperature;
  if (params.top_p !== undefined && params.top_p !== null) body.top_p = params.top_p;
  if (params.top_k !== undefined && params.top_k !== null) body.top_k = params.top_k;
  if (params.user) body.metadata = { user_id: params.user };

  const tools = (params.tools ?? []).map(toAnthropicTool);
  const plan: ResponsePlan = { jsonTool: undefined, jsonWrapped: false };
  const format = params.response_format;
  let toolChoice = toAnthropicToolChoice(params.tool_choice, params.parallel_tool_calls);
  if (format && format.type !== 'text') {
    const schema = format.type === 'json_schema' ? (format.json_schema.schema ?? { type: 'object' }) : { type: 'object' };
    plan.jsonWrapped = schema.type !== 'object';
    plan.jsonTool = uniqueName(JSON_TOOL, tools);
    tools.push({
      name: plan.jsonTool,
      description:
        (format.type === 'json_schema' ? format.json_schema.description : undefined) ??
        'Give the final answer by calling this tool with it as the input.',
      input_schema: (plan.jsonWrapped
        ? { type: 'object', properties: { value: schema }, required: ['value'] }
        : schema) as Anthropic.Tool.InputSchema,
    });
    // With other tools, or while thinking (which forbids forcing a tool), the model chooses.
    if (tools.length === 1 && !body.thinking) toolChoice = { type: 'tool', name: plan.jsonTool };
    else if (tools.length === 1) {
      toolChoice = { type: 'auto' };
      warnings.push({
        code: 'parameter_adjusted',
        param: 'response_format',
        message: 'The JSON answer tool is offered, not forced: Anthropic cannot force a tool while thinking, so the model may answer in plain text.',
      });
    }
  }
  if (tools.length > 0) body.tools = tools;
  if (toolChoice && tools.length > 0) body.tool_choice = toolChoice;
  return { body, plan, warnings };
}

function thinkingBudget(params: ChatCompletionCreateParams, options: TranslationOptions): number | undefined {
  const effort = params.reasoning_effort;
  if (effort === undefined || effort === null || effort === 'none') return undefined;
  return options.thinkingBudgets[effort];
}

function toAnthropicTool(tool: ChatCompletionTool, index: number): Anthropic.Tool {
  if (tool.type !== 'function') {
    throw new UnsupportedFeatureError('custom_tools', `tools.${index}: custom (free-form) tools have no Anthropic equivalent.`);
  }
  const fn = tool.function;
  return {
    name: fn.name,
    ...(fn.description === undefined ? {} : { description: fn.description }),
    input_schema: (fn.parameters ?? { type: 'object', properties: {} }) as Anthropic.Tool.InputSchema,
    ...(fn.strict ? { strict: true } : {}),
    ...(tool.cache_control ? { cache_control: tool.cache_control } : {}),
  };
}

function toAnthropicToolChoice(
  choice: ChatCompletionToolChoiceOption | undefined,
  parallel: boolean | undefined,
): Anthropic.ToolChoice | undefined {
  const noParallel = parallel === false ? { disable_parallel_tool_use: true } : {};
  if (choice === undefined) return parallel === false ? { type: 'auto', ...noParallel } : undefined;
  if (choice === 'auto') return { type: 'auto', ...noParallel };
  if (choice === 'required') return { type: 'any', ...noParallel };
  if (choice === 'none') return { type: 'none' };
  if (choice.type === 'function') return { type: 'tool', name: choice.function.name, ...noParallel };
  throw new UnsupportedFeatureError('tool_choice', `tool_choice '${choice.type}' has no Anthropic equivalent; use auto, none, required or a named function.`);
}

function uniqueName(base: string, tools: readonly Anthropic.Tool[]): string {
  let name = base;
  for (let i = 2; tools.some((tool) => tool.name === name); i++) name = `${base}_${i}`;
  return name;
}
