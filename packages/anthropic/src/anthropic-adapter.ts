import {
  SdkClientPool,
  malformedResponse,
  readEventStream,
  truncatedStream,
  type CallContext,
  type Capabilities,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatRequest,
  type ErrorScope,
  type PooledKey,
  type ProviderAdapter,
} from '@switchyard/core';
import type Anthropic from '@anthropic-ai/sdk';
import { AnthropicStreamTranslator } from './anthropic-stream-translator.js';
import { wireMessageSchema } from './anthropic-wire-schemas.js';
import { fromAnthropicMessage } from './from-anthropic-message.js';
import { DEFAULT_THINKING_BUDGETS, type ThinkingBudgets } from './model-catalog.js';
import { normaliseAnthropicError } from './normalise-anthropic-error.js';
import { toAnthropicRequest } from './to-anthropic-request.js';

export interface AnthropicAdapterOptions {
  /** An `@anthropic-ai/sdk` client the app already has. */
  client: Anthropic;
  /** Provider family reported by the adapter (default `anthropic`). */
  provider?: string;
  /** Thinking budget (tokens) per `reasoning_effort`; defaults in `DEFAULT_THINKING_BUDGETS`. */
  thinkingBudgets?: Partial<ThinkingBudgets>;
  capabilities?: Partial<Capabilities>;
  /**
   * Several API keys for this provider: each call takes one by weight, and a key refused
   * (401/403) or rate-limited (429) rests for `keyCooldownMs` (or its Retry-After). The
   * client's own key is then unused; its other settings (base URL, headers) apply to all.
   */
  keys?: PooledKey[];
  keyCooldownMs?: number;
}

const ANTHROPIC_CAPABILITIES: Capabilities = {
  stream: true,
  tools: true,
  images: true,
  jsonSchema: true,
  embeddings: false,
  reasoning: true,
};

/** The gateway owns retries; the SDK's own would multiply them. */
const NO_SDK_RETRIES = 0;
/**
 * The gateway owns deadlines (through the call's signal). Giving the SDK an explicit
 * timeout also stops it refusing non-streamed calls with a large `max_tokens`.
 */
const SDK_TIMEOUT_MS = 60 * 60 * 1000;

const nowSeconds = () => Math.floor(Date.now() / 1000);

class AnthropicAdapter implements ProviderAdapter {
  readonly provider: string;
  readonly capabilities: Capabilities;
  readonly #clients: SdkClientPool<Anthropic>;
  readonly #budgets: ThinkingBudgets;

  constructor(options: AnthropicAdapterOptions) {
    this.#clients = new SdkClientPool(options.client, options.keys, options.keyCooldownMs);
    this.provider = options.provider ?? 'anthropic';
    this.capabilities = { ...ANTHROPIC_CAPABILITIES, ...options.capabilities };
    this.#budgets = { ...DEFAULT_THINKING_BUDGETS, ...options.thinkingBudgets };
  }

  #scope(model: string, call: CallContext): ErrorScope {
    return { provider: this.provider, model, secrets: this.#clients.secrets, signal: call.signal };
  }

  async chat(request: ChatRequest, call: CallContext): Promise<ChatCompletion> {
    const scope = this.#scope(request.params.model, call);
    const { body, plan } = toAnthropicRequest(request.params, { thinkingBudgets: this.#budgets });
    const { client, key } = this.#clients.lease();
    let message: unknown;
    try {
      message = await client.messages.create(body, { signal: call.signal, maxRetries: NO_SDK_RETRIES, timeout: SDK_TIMEOUT_MS });
    } catch (error) {
      throw this.#clients.blame(key, normaliseAnthropicError(error, scope));
    }
    const checked = wireMessageSchema.safeParse(message);
    if (!checked.success) throw malformedResponse(scope, 'the message has an unexpected shape');
    return fromAnthropicMessage(checked.data, plan, nowSeconds());
  }

  async *stream(request: ChatRequest, call: CallContext): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const scope = this.#scope(request.params.model, call);
    const { body, plan } = toAnthropicRequest(request.params, { thinkingBudgets: this.#budgets });
    const { client, key } = this.#clients.lease();
    let response: Response;
    try {
      // The raw body, parsed here: cheaper than the SDK's stream, and a cut stream is detectable.
      response = await client.messages
        .create({ ...body, stream: true }, { signal: call.signal, maxRetries: NO_SDK_RETRIES, timeout: SDK_TIMEOUT_MS })
        .asResponse();
    } catch (error) {
      throw this.#clients.blame(key, normaliseAnthropicError(error, scope));
    }
    if (!response.body) throw malformedResponse(scope, 'the stream response has no body');
    yield* readEventStream(response.body, new AnthropicStreamTranslator(plan, scope, nowSeconds()), {
      readError: (error) => normaliseAnthropicError(error, scope),
      truncated: () => truncatedStream(scope),
    });
  }
}

/** An adapter over an `@anthropic-ai/sdk` client: `anthropic({ client: new Anthropic() })`. */
export function anthropic(options: AnthropicAdapterOptions): ProviderAdapter {
  return new AnthropicAdapter(options);
}
