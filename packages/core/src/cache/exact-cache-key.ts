import { hash } from 'node:crypto';
import type { Principal, RequestMetadata } from '../contract/call-options.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../contract/embeddings.js';
import type { Operation } from '../pipeline/middleware.js';
import { canonicalJson } from './canonical-json.js';
import type { ExactCacheKeyFields } from './exact-cache-options.js';

/**
 * Bumped whenever what goes into a key changes (a field left out, a default added), so that
 * entries written by another version in a shared Store are simply never found.
 */
const KEY_VERSION = 1;

/**
 * Request fields that do not change the answer, left out of the key: how it is delivered
 * (`stream`, `stream_options`: a stream hit and a completion hit share one entry), who asked
 * (`user`, `safety_identifier`: unless `keyFields.user`), what the provider keeps or bills
 * (`store`, `metadata`, `service_tier`, the prompt-cache hints). `model` is in the key as the
 * route the caller named, apart from the rest.
 */
const LEFT_OUT: Readonly<Record<Operation, ReadonlySet<string>>> = {
  chat: new Set([
    'model',
    'stream',
    'stream_options',
    'user',
    'safety_identifier',
    'metadata',
    'store',
    'service_tier',
    'prompt_cache_key',
    'prompt_cache_retention',
    'prompt_cache_options',
  ]),
  embeddings: new Set(['model', 'user']),
};

/**
 * Fields whose value is OpenAI's documented default, as canonical JSON: sending the default
 * and leaving the field out ask for the same answer, so both make the same key. Empty lists
 * and objects are treated the same way where OpenAI reads them as "none" (no tools, no stop
 * sequences, no bias). Fields whose default depends on the model (`reasoning_effort`) are not
 * here: they stay in the key as sent. docs/caching.md has this table for callers.
 */
const DEFAULTS: Readonly<Record<Operation, Readonly<Record<string, readonly string[]>>>> = {
  chat: {
    temperature: ['1'],
    top_p: ['1'],
    n: ['1'],
    presence_penalty: ['0'],
    frequency_penalty: ['0'],
    parallel_tool_calls: ['true'],
    logprobs: ['false'],
    response_format: ['{"type":"text"}'],
    modalities: ['["text"]'],
    verbosity: ['"medium"'],
    logit_bias: ['{}'],
    stop: ['[]'],
    tools: ['[]'],
    functions: ['[]'],
  },
  embeddings: {
    encoding_format: ['"float"'],
  },
};

/** What a key is made of, besides the params: the caller's identity, for the key fields asked for. */
export interface KeyRequest {
  readonly operation: Operation;
  readonly params: ChatCompletionCreateParams | EmbeddingCreateParams;
  readonly principal?: Principal | undefined;
  readonly metadata?: RequestMetadata | undefined;
}

/** The canonical text a key hashes: version, operation, route, the request's fields that change the answer, and the key fields asked for. */
export function canonicalRequest(request: KeyRequest, keyFields: ExactCacheKeyFields | undefined): string {
  const { operation, params } = request;
  const fields: Readonly<Record<string, unknown>> = params;
  return `[${KEY_VERSION},${JSON.stringify(operation)},${canonicalJson(params.model)},${canonicalParams(operation, fields)},${identity(request, keyFields)}]`;
}

/** The entry key of a request: the SHA-256 of its canonical text, in hex. */
export function exactCacheKey(request: KeyRequest, keyFields: ExactCacheKeyFields | undefined): string {
  return hash('sha256', canonicalRequest(request, keyFields), 'hex');
}

function canonicalParams(operation: Operation, fields: Readonly<Record<string, unknown>>): string {
  const leftOut = LEFT_OUT[operation];
  const defaults = DEFAULTS[operation];
  const keys = Object.keys(fields).sort();
  let text = '{';
  let first = true;
  for (const key of keys) {
    if (leftOut.has(key)) continue;
    const value = fields[key];
    // Null is how OpenAI's API says "not set" for its nullable fields.
    if (value === null || value === undefined) continue;
    const written = canonicalJson(value);
    if (defaults[key]?.includes(written)) continue;
    if (key === 'tool_choice' && isDefaultChoice(written, fields.tools)) continue;
    if (key === 'function_call' && isDefaultChoice(written, fields.functions)) continue;
    text += `${first ? '' : ','}${JSON.stringify(key)}:${written}`;
    first = false;
  }
  return `${text}}`;
}

/** `tool_choice` (and the older `function_call`) default to `"auto"` with tools and to `"none"` without. */
function isDefaultChoice(written: string, tools: unknown): boolean {
  const hasTools = Array.isArray(tools) && tools.length > 0;
  return written === (hasTools ? '"auto"' : '"none"');
}

function identity(request: KeyRequest, keyFields: ExactCacheKeyFields | undefined): string {
  if (!keyFields) return '{}';
  const parts: Record<string, unknown> = {};
  if (keyFields.user) parts.user = (request.params as { user?: unknown }).user ?? null;
  if (keyFields.principal) parts.principal = request.principal?.id ?? null;
  if (keyFields.metadata && keyFields.metadata.length > 0) {
    const metadata: Record<string, unknown> = {};
    for (const name of keyFields.metadata) metadata[name] = request.metadata?.[name] ?? null;
    parts.metadata = metadata;
  }
  return canonicalJson(parts);
}
