// The gateway as a LanguageModelV4: doGenerate and doStream over `chat.completions.create`.
import {
  InvalidResponseDataError,
  type LanguageModelV4,
  type LanguageModelV4CallOptions,
  type LanguageModelV4Content,
  type LanguageModelV4FinishReason,
  type LanguageModelV4GenerateResult,
  type LanguageModelV4StreamPart,
  type LanguageModelV4StreamResult,
} from '@ai-sdk/provider';
import { AbortError, type CallMeta, type ChatCompletionChunk, type ChatCompletionCreateParamsStreaming } from '@switchyard/core';
import { callMetadata } from './call-metadata.js';
import { CHAT_URL, toAiSdkError } from './map-error.js';
import { mapFinishReason } from './map-finish-reason.js';
import { usageFromCompletion, usageFromMeta } from './map-usage.js';
import { prepareChatRequest } from './prepare-request.js';
import { StreamTranslator } from './stream-parts.js';
import { gatewayCallOptions, parseProviderOptions, PROVIDER_OPTIONS_KEY, type SwitchyardSettings } from './switchyard-options.js';
import type { SwitchyardClient } from './switchyard-client.js';

/** The last part: usage (the stream's, else what the gateway recorded), finish reason and the meta, complete once the stream has ended. */
async function finishPart(translator: StreamTranslator, meta: CallMeta, finishReason: LanguageModelV4FinishReason): Promise<LanguageModelV4StreamPart> {
  // The serving attempt, its cost and latency join the meta when the stream has ended.
  const finished = await meta.finished;
  return {
    type: 'finish',
    usage: translator.streamUsage() ?? usageFromMeta(finished.usage),
    finishReason,
    providerMetadata: { [PROVIDER_OPTIONS_KEY]: callMetadata(finished) },
  };
}

export const DEFAULT_SUPPORTED_URLS: Record<string, RegExp[]> = { 'image/*': [/^https?:\/\/.*$/] };

export class SwitchyardLanguageModel implements LanguageModelV4 {
  readonly specificationVersion = 'v4';
  readonly provider = 'switchyard.chat';
  /** The route name or `'<provider>/<model>'` the gateway resolves. */
  readonly modelId: string;
  readonly supportedUrls: Record<string, RegExp[]>;
  readonly #client: SwitchyardClient;
  readonly #settings: SwitchyardSettings;
  #ids = 0;

  constructor(modelId: string, client: SwitchyardClient, settings: SwitchyardSettings) {
    this.modelId = modelId;
    this.#client = client;
    this.#settings = settings;
    this.supportedUrls = settings.supportedUrls ?? DEFAULT_SUPPORTED_URLS;
  }

  #prepare(options: LanguageModelV4CallOptions) {
    const call = parseProviderOptions(options.providerOptions);
    const { params, warnings } = prepareChatRequest(this.modelId, options, call);
    return { params, warnings, callOptions: gatewayCallOptions(this.#settings, call, options.abortSignal) };
  }

  #errorContext(requestBody: unknown) {
    return { url: CHAT_URL, requestBody, aiSdkRetries: this.#settings.aiSdkRetries ?? false };
  }

  async doGenerate(options: LanguageModelV4CallOptions): Promise<LanguageModelV4GenerateResult> {
    const { params, warnings, callOptions } = this.#prepare(options);
    let result;
    try {
      result = await this.#client.chat.completions.create(params, callOptions).withMeta();
    } catch (error) {
      throw toAiSdkError(error, this.#errorContext(params));
    }
    const { data: completion, meta } = result;
    const choice = completion.choices[0];
    if (!choice) throw new InvalidResponseDataError({ data: completion, message: 'The gateway answered with no choices.' });
    const message = choice.message;
    const content: LanguageModelV4Content[] = [];
    if (message.reasoning_content) content.push({ type: 'reasoning', text: message.reasoning_content });
    if (message.content) content.push({ type: 'text', text: message.content });
    // A refusal is the answer's text (OpenAI sends it apart from `content`); the finish reason says why.
    if (message.refusal) content.push({ type: 'text', text: message.refusal });
    for (const call of message.tool_calls ?? []) {
      if (call.type === 'function') {
        content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.function.name, input: call.function.arguments });
      } else {
        content.push({ type: 'tool-call', toolCallId: call.id, toolName: call.custom.name, input: JSON.stringify(call.custom.input) });
      }
    }
    const finished = await meta.finished;
    return {
      content,
      finishReason: mapFinishReason(choice.finish_reason, Boolean(message.refusal)),
      usage: usageFromCompletion(completion.usage),
      providerMetadata: { [PROVIDER_OPTIONS_KEY]: callMetadata(finished) },
      request: { url: CHAT_URL, body: params },
      response: {
        id: completion.id,
        modelId: completion.model,
        timestamp: new Date(completion.created * 1000),
        ...(finished.response ? { headers: { ...finished.response.headers } } : {}),
        body: completion,
      },
      warnings,
    };
  }

  async doStream(options: LanguageModelV4CallOptions): Promise<LanguageModelV4StreamResult> {
    const prepared = this.#prepare(options);
    const { warnings, callOptions } = prepared;
    // Usage is always asked for: the finish part reports it whether or not the AI SDK's caller looks.
    const params: ChatCompletionCreateParamsStreaming = { ...prepared.params, stream: true, stream_options: { include_usage: true } };
    let chunks: AsyncIterable<ChatCompletionChunk>;
    let meta: CallMeta;
    try {
      ({ data: chunks, meta } = await this.#client.chat.completions.create(params, callOptions).withMeta());
    } catch (error) {
      throw toAiSdkError(error, this.#errorContext(params));
    }
    const iterator = chunks[Symbol.asyncIterator]();
    const translator = new StreamTranslator(() => `call-${this.#ids++}`);
    const includeRaw = options.includeRawChunks ?? false;
    const errorContext = this.#errorContext(params);
    let started = false;
    const stream = new ReadableStream<LanguageModelV4StreamPart>({
      async pull(controller) {
        const out: LanguageModelV4StreamPart[] = [];
        if (!started) {
          started = true;
          out.push({ type: 'stream-start', warnings });
        }
        // A pull must enqueue something, or the reader waiting on it would never be answered: read on past chunks that make no part (a usage chunk).
        while (out.length === 0) {
          let next: IteratorResult<ChatCompletionChunk>;
          try {
            next = await iterator.next();
          } catch (error) {
            if (error instanceof AbortError) {
              // Aborted by the caller: the stream fails with the abort, as a fetch body would.
              for (const part of out) controller.enqueue(part);
              controller.error(error);
              return;
            }
            translator.end(out);
            out.push({ type: 'error', error: toAiSdkError(error, errorContext) });
            out.push(await finishPart(translator, meta, { unified: 'error', raw: translator.finishReason().raw }));
            for (const part of out) controller.enqueue(part);
            controller.close();
            return;
          }
          if (next.done) {
            translator.end(out);
            out.push(await finishPart(translator, meta, translator.finishReason()));
            for (const part of out) controller.enqueue(part);
            controller.close();
            return;
          }
          if (includeRaw) out.push({ type: 'raw', rawValue: next.value });
          translator.translate(next.value, out);
        }
        for (const part of out) controller.enqueue(part);
      },
      async cancel() {
        // The consumer stopped reading: the gateway ends the call as abandoned and releases the provider's stream.
        await iterator.return?.();
      },
    });
    return { stream, request: { url: CHAT_URL, body: params } };
  }
}
