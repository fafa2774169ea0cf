import type { ChatCompletion, ChatCompletionChunk, CreateEmbeddingResponse } from '@switchyard/core';
import type { CallContext, Capabilities, ChatRequest, EmbeddingsRequest, ProviderAdapter } from '@switchyard/core/adapter';

export interface ScriptedAdapterOptions {
  provider?: string;
  capabilities?: Partial<Capabilities>;
  chat?: (request: ChatRequest, call: CallContext) => Promise<ChatCompletion> | ChatCompletion;
  /** Yield chunks; throw to fail (before the first chunk: the attempt fails; after: the stream is cut). */
  stream?: (request: ChatRequest, call: CallContext) => AsyncIterable<ChatCompletionChunk>;
  embed?: (request: EmbeddingsRequest, call: CallContext) => Promise<CreateEmbeddingResponse> | CreateEmbeddingResponse;
}

export interface ScriptedAdapter extends ProviderAdapter {
  /** Every request the adapter received, in order. */
  readonly calls: Array<{ operation: 'chat' | 'stream' | 'embed'; params: unknown; call: CallContext }>;
}

/**
 * An in-memory provider adapter for unit tests of middleware and routing: no HTTP, the
 * test scripts each answer. Use the mock servers to test real SDK clients instead.
 */
export function scriptedAdapter(options: ScriptedAdapterOptions): ScriptedAdapter {
  const calls: ScriptedAdapter['calls'] = [];
  const missing = (what: string) => new Error(`scriptedAdapter: no ${what} script was given`);
  const adapter: ScriptedAdapter = {
    provider: options.provider ?? 'scripted',
    capabilities: {
      stream: true,
      tools: true,
      images: true,
      jsonSchema: true,
      embeddings: options.embed !== undefined,
      reasoning: true,
      ...options.capabilities,
    },
    calls,
    async chat(request, call) {
      calls.push({ operation: 'chat', params: request.params, call });
      if (!options.chat) throw missing('chat');
      return options.chat(request, call);
    },
    async *stream(request, call) {
      calls.push({ operation: 'stream', params: request.params, call });
      if (!options.stream) throw missing('stream');
      yield* options.stream(request, call);
    },
  };
  if (options.embed) {
    const embed = options.embed;
    adapter.embed = async (request, call) => {
      calls.push({ operation: 'embed', params: request.params, call });
      return embed(request, call);
    };
  }
  return adapter;
}

/** A minimal chat completion for scripts. */
export function completionOf(content: string, usage = { prompt_tokens: 3, completion_tokens: 2 }): ChatCompletion {
  return {
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: 'scripted-model',
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** Stream chunks for scripts: one per piece of text, a finish chunk, then a usage chunk. */
export function chunksOf(pieces: readonly string[], usage = { prompt_tokens: 3, completion_tokens: pieces.length }): ChatCompletionChunk[] {
  const base = { id: 'chatcmpl-scripted', object: 'chat.completion.chunk' as const, created: 1_700_000_000, model: 'scripted-model' };
  return [
    ...pieces.map((content) => ({ ...base, choices: [{ index: 0, delta: { content }, finish_reason: null }] })),
    { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' as const }] },
    { ...base, choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } },
  ];
}
