// Span attributes read from a call's params: the GenAI convention's `gen_ai.request.*` (and `gen_ai.output.type`), set when a span starts.
import type { Attributes } from '@opentelemetry/api';
import { GenAi } from './gen-ai-names.js';

type Params = Readonly<Record<string, unknown>>;

/**
 * Adds the request attributes `params` gives to `into`. The request span starts before
 * validation, so `params` may be anything: only values of the documented types are taken, and a
 * getter that throws leaves the rest out (validation reports it).
 */
export function addRequestAttributes(operation: 'chat' | 'embeddings', params: unknown, into: Attributes): void {
  if (typeof params !== 'object' || params === null) return;
  try {
    if (operation === 'chat') addChat(params as Params, into);
    else addEmbeddings(params as Params, into);
  } catch {
    // A throwing getter: validation rejects the call with the reason; the span keeps what it has.
  }
}

function addChat(params: Params, into: Attributes): void {
  const maxTokens = params.max_completion_tokens ?? params.max_tokens;
  if (isNumber(maxTokens)) into[GenAi.requestMaxTokens] = maxTokens;
  if (isNumber(params.temperature)) into[GenAi.requestTemperature] = params.temperature;
  if (isNumber(params.top_p)) into[GenAi.requestTopP] = params.top_p;
  if (isNumber(params.frequency_penalty)) into[GenAi.requestFrequencyPenalty] = params.frequency_penalty;
  if (isNumber(params.presence_penalty)) into[GenAi.requestPresencePenalty] = params.presence_penalty;
  if (isNumber(params.seed)) into[GenAi.requestSeed] = params.seed;
  // The convention sets the choice count only when it is not 1.
  if (isNumber(params.n) && params.n !== 1) into[GenAi.requestChoiceCount] = params.n;
  const stop = params.stop;
  if (typeof stop === 'string') into[GenAi.requestStopSequences] = [stop];
  else if (Array.isArray(stop) && stop.every((item) => typeof item === 'string')) into[GenAi.requestStopSequences] = stop as string[];
  const format = params.response_format;
  if (typeof format === 'object' && format !== null) {
    const type = (format as { type?: unknown }).type;
    if (type === 'json_object' || type === 'json_schema') into[GenAi.outputType] = 'json';
    else if (type === 'text') into[GenAi.outputType] = 'text';
  }
  // The convention records a tier the caller chose, not the default.
  if (typeof params.service_tier === 'string' && params.service_tier !== 'auto') into[GenAi.openaiRequestServiceTier] = params.service_tier;
}

function addEmbeddings(params: Params, into: Attributes): void {
  if (typeof params.encoding_format === 'string') into[GenAi.requestEncodingFormats] = [params.encoding_format];
  if (isNumber(params.dimensions)) into[GenAi.embeddingsDimensionCount] = params.dimensions;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
