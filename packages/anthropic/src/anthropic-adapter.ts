import { type ChatCompletion, type ChatCompletionChunk } from '@switchyard/core';
import {
  endpointOf,
  type AdapterEndpoint,
  SdkClientPool,
  invalidClientError,
  malformedResponse,
  readBodyText,
  readEventStream,
  resolveResponseLimits,
  truncatedStream,
  type CallContext,
  type Capabilities,
  type ChatRequest,
  type ErrorScope,
  type PooledKey,
  type ProviderAdapter,
  type ResponseLimits,
} from '@switchyard/core/adapter';
import type Anthropic from '@anthropic-ai/sdk';
import { AnthropicStreamTranslator } from './anthropic-stream-translator.js';
import { wireMessageSchema } from './anthropic-wire-schemas.js';
import { fromAnthropicMessage } from './from-anthropic-message.js';
import { DEFAULT_THINKING_BUDGETS, type ThinkingBudgets } from './model-catalog.js';
import { normaliseAnthropicError } from './normalise-anthropic-error.js';
import { reportingResponse } from './report-anthropic-response.js';
import { toAnthropicRequest, type AnthropicRequest } from './to-anthropic-request.js';

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
  /**
   * Put the provider's own error text in error messages and events (scrubbed of keys and
   * tokens, at most 500 characters). Off by default: providers echo the prompt back in their
   * errors, so messages carry only the status and the error type.
   */
  exposeProviderMessages?: boolean;
  /**
   * How much of a response the adapter reads before it gives up with a non-retryable
   * `ResponseTooLargeError`: `maxEventBytes` for one stream event (default 16 MiB),
   * `maxBodyBytes` for a non-stream message body after decompression (default 64 MiB).
   * E.g. `limits: { maxEventBytes: 32 * 1024 * 1024 }`.
   */
  limits?: ResponseLimits;
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
  readonly endpoint: AdapterEndpoint | undefined;
  /** The app's client; a key pool's per-key copies are made inside the pool from it, and no app code holds them. */
  readonly clients: readonly object[];
  readonly #clients: SdkClientPool<Anthropic>;
  readonly #budgets: ThinkingBudgets;
  readonly #exposeProviderMessages: boolean;
  readonly #limits: Required<ResponseLimits>;

  constructor(options: AnthropicAdapterOptions) {
    if (!isAnthropicClient(options.client)) {
      throw invalidClientError('anthropic', 'an `@anthropic-ai/sdk` client', '`anthropic({ client: new Anthropic() })`', options.client);
    }
    this.#clients = new SdkClientPool(options.client, options.keys, options.keyCooldownMs);
    this.clients = [options.client];
    this.#exposeProviderMessages = options.exposeProviderMessages === true;
    this.#limits = resolveResponseLimits(options.limits);
    this.provider = options.provider ?? 'anthropic';
    this.endpoint = endpointOf(options.client.baseURL);
    this.capabilities = { ...ANTHROPIC_CAPABILITIES, ...options.capabilities };
    this.#budgets = { ...DEFAULT_THINKING_BUDGETS, ...options.thinkingBudgets };
  }

  #scope(model: string, call: CallContext): ErrorScope {
    return { provider: this.provider, model, secrets: this.#clients.secrets, signal: call.signal, exposeProviderMessages: this.#exposeProviderMessages };
  }

  /** The Messages API request, its translation warnings reported on the call. */
  #translate(request: ChatRequest, call: CallContext): AnthropicRequest {
    const translated = toAnthropicRequest(request.params, { thinkingBudgets: this.#budgets });
    for (const warning of translated.warnings) call.warn(warning);
    return translated;
  }

  async chat(request: ChatRequest, call: CallContext): Promise<ChatCompletion> {
    const scope = this.#scope(request.params.model, call);
    const { body, plan } = this.#translate(request, call);
    // The raw response, read here so that `limits.maxBodyBytes` applies: the SDK's own parse
    // reads any length. The call's signal (the gateway's deadline) still ends a stalled body.
    const text = await this.#clients.run(
      async (client) => {
        const startedAt = Date.now();
        const response = await reportingResponse(call, () =>
          client.messages.create(body, { signal: call.signal, maxRetries: NO_SDK_RETRIES, timeout: SDK_TIMEOUT_MS }).asResponse(),
        );
        return readBodyText(response, Math.max(0, startedAt + SDK_TIMEOUT_MS - Date.now()), { maxBytes: this.#limits.maxBodyBytes, source: scope });
      },
      (error) => normaliseAnthropicError(error, scope),
      call,
    );
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      throw malformedResponse(scope, 'the body is not JSON');
    }
    const checked = wireMessageSchema.safeParse(message);
    if (!checked.success) throw malformedResponse(scope, 'the message has an unexpected shape');
    return fromAnthropicMessage(checked.data, plan, nowSeconds());
  }

  async *stream(request: ChatRequest, call: CallContext): AsyncGenerator<ChatCompletionChunk, void, undefined> {
    const scope = this.#scope(request.params.model, call);
    const { body, plan } = this.#translate(request, call);
    // The raw body, parsed here: cheaper than the SDK's stream, and a cut stream is detectable.
    const response = await this.#clients.run(
      (client) =>
        reportingResponse(call, () =>
          client.messages.create({ ...body, stream: true }, { signal: call.signal, maxRetries: NO_SDK_RETRIES, timeout: SDK_TIMEOUT_MS }).asResponse(),
        ),
      (error) => normaliseAnthropicError(error, scope),
      call,
    );
    if (!response.body) throw malformedResponse(scope, 'the stream response has no body');
    // Usage is reported as it arrives, so that a stream cut short still records what it used.
    const translator = new AnthropicStreamTranslator(plan, scope, nowSeconds(), (usage) => call.usage(usage));
    yield* readEventStream(response.body, translator, {
      readError: (error) => normaliseAnthropicError(error, scope),
      truncated: () => truncatedStream(scope),
      maxEventBytes: this.#limits.maxEventBytes,
      source: scope,
    });
  }
}

/** What the adapter calls on the client; another provider's client (or none) has none of it. */
function isAnthropicClient(client: unknown): client is Anthropic {
  const candidate = client as Partial<Anthropic> | null | undefined;
  return typeof candidate?.messages?.create === 'function' && typeof candidate.withOptions === 'function';
}

/** An adapter over an `@anthropic-ai/sdk` client: `anthropic({ client: new Anthropic() })`. */
export function anthropic(options: AnthropicAdapterOptions): ProviderAdapter {
  return new AnthropicAdapter(options);
}
