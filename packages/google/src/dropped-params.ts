import type { ChatCompletionCreateParams, EmbeddingCreateParams } from '@switchyard/core';
import type { CallWarning } from '@switchyard/core/adapter';

/**
 * Top-level parameters with no Gemini equivalent that `toGeminiRequest` leaves out without
 * refusing the request: OpenAI-platform bookkeeping, and `verbosity`, which no Gemini setting matches.
 */
const UNSENT_PARAMS = [
  'user',
  'metadata',
  'store',
  'service_tier',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
  'prompt_cache_options',
  'verbosity',
  'moderation',
] as const satisfies readonly (keyof ChatCompletionCreateParams)[];

const dropped = (param: string, why: string): CallWarning => ({ code: 'parameter_dropped', param, message: `'${param}' was not sent: ${why}` });
const NO_EQUIVALENT = 'Gemini has no equivalent.';
const isSet = (value: unknown) => value !== undefined && value !== null;

/**
 * What of `params` the Gemini request will not carry, one `parameter_dropped` warning each.
 * Values never appear in the messages, only parameter paths. `cache_control` and
 * `prompt_cache_breakpoint` are not listed: they are hints that providers caching on their own
 * ignore by design. Neither is `reasoning_content` (Gemini takes thoughts back as signatures
 * only) nor `response_format.json_schema.name`, an identifier.
 */
export function droppedParams(params: ChatCompletionCreateParams): CallWarning[] {
  const warnings: CallWarning[] = [];
  // `store: false` asks for what Gemini does anyway: nothing is lost, so nothing to report.
  for (const param of UNSENT_PARAMS) if (param === 'store' ? params.store === true : isSet(params[param])) warnings.push(dropped(param, NO_EQUIVALENT));
  if (isSet(params.max_tokens) && isSet(params.max_completion_tokens)) {
    warnings.push(dropped('max_tokens', "'max_completion_tokens' is sent as maxOutputTokens instead."));
  }

  params.messages.forEach((message, i) => {
    const at = `messages[${i}]`;
    if (message.role !== 'tool' && message.role !== 'function' && message.name) warnings.push(dropped(`${at}.name`, 'Gemini turns have no participant names.'));
    if (message.role === 'assistant') {
      if (message.refusal) warnings.push(dropped(`${at}.refusal`, "Gemini turns have no refusal; only 'content' is sent."));
      if (message.audio) warnings.push(dropped(`${at}.audio`, NO_EQUIVALENT));
      if (message.function_call) warnings.push(dropped(`${at}.function_call`, "legacy function calls are not mapped; use 'tool_calls'."));
    }
    if (message.role !== 'user' || typeof message.content === 'string') return;
    message.content.forEach((part, j) => {
      if (part.type === 'image_url' && part.image_url.detail !== undefined && part.image_url.detail !== 'auto') {
        warnings.push(dropped(`${at}.content[${j}].image_url.detail`, 'Gemini sets no resolution per image.'));
      }
      if (part.type === 'file' && part.file.filename !== undefined) {
        warnings.push(dropped(`${at}.content[${j}].file.filename`, 'Gemini takes inline data without a name.'));
      }
    });
  });

  params.tools?.forEach((tool, i) => {
    if (tool.type === 'function' && tool.function.strict === true) {
      warnings.push(dropped(`tools[${i}].function.strict`, "Gemini's function declarations have no strict mode."));
    }
  });
  const choice = params.tool_choice;
  if (choice !== undefined && !params.tools?.length) warnings.push(dropped('tool_choice', 'the request has no tools.'));
  else if (typeof choice === 'object' && choice.type === 'allowed_tools') {
    choice.allowed_tools.tools.forEach((tool, i) => {
      const fn = (tool as { function?: { name?: unknown } }).function;
      if (typeof fn?.name !== 'string') warnings.push(dropped(`tool_choice.allowed_tools.tools[${i}]`, 'only function tools can be allowed by name.'));
    });
  }
  const format = params.response_format;
  if (format?.type === 'json_schema' && format.json_schema.description !== undefined) {
    warnings.push(dropped('response_format.json_schema.description', "Gemini's response schema has no description of its own."));
  }
  return warnings;
}

/** The same for an embeddings request: Gemini's embedding calls take no end-user id. */
export function droppedEmbeddingParams(params: EmbeddingCreateParams): CallWarning[] {
  return isSet(params.user) ? [dropped('user', NO_EQUIVALENT)] : [];
}
