// One attempt's span and measurements: started with what a sampler needs, ended with the answer's id, model, finish reasons, usage and cost.
import { SpanKind, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { AttemptInfo } from '../pipeline/call-meta.js';
import type { AttemptContext, Result } from '../pipeline/middleware.js';
import { mapChunks } from '../pipeline/map-chunks.js';
import type { GatewayInstruments } from './gateway-instruments.js';
import { GenAi, Switchyard } from './gen-ai-names.js';
import { genAiProviderName } from './provider-name.js';
import { addRequestAttributes } from './request-attributes.js';
import { endStatus } from './span-status.js';

/** What the answer said of itself, for the span and the request span. */
export interface AnswerFacts {
  id?: string | undefined;
  model?: string | undefined;
  finishReasons?: string[] | undefined;
  serviceTier?: string | undefined;
  systemFingerprint?: string | undefined;
}

/** Why an attempt is made: the call's first, the same target again, or the next target. */
export interface AttemptReason {
  readonly kind: 'first' | 'retry' | 'fallback';
  /** The previous attempt's `error.type`. */
  readonly previousError?: string | undefined;
}

export class AttemptTelemetry {
  readonly span: Span | undefined;
  /** The convention's provider name (`openai`, `anthropic`, `gcp.gemini`). */
  readonly providerName: string;
  readonly answer: AnswerFacts = {};
  readonly #instruments: GatewayInstruments | undefined;
  readonly #metricAttributes: Attributes;
  readonly #now: () => number;
  readonly #chunkTimings: boolean;

  constructor(ctx: AttemptContext, region: string | undefined, reason: AttemptReason, tracer: Tracer | undefined, parent: Context, instruments: GatewayInstruments | undefined, now: () => number, chunkTimings = true) {
    const endpoint = ctx.adapter.endpoint;
    this.providerName = genAiProviderName(ctx.adapter.provider, endpoint?.address);
    this.#instruments = instruments;
    this.#chunkTimings = chunkTimings;
    this.#now = now;
    this.#metricAttributes = {
      [GenAi.operationName]: ctx.operation,
      [GenAi.providerName]: this.providerName,
      [GenAi.requestModel]: ctx.model,
      ...(endpoint ? { [GenAi.serverAddress]: endpoint.address, ...(endpoint.port === undefined ? {} : { [GenAi.serverPort]: endpoint.port }) } : {}),
    };
    if (!tracer) return;
    // Only what a sampler needs goes in at the start: the SDK cleans start attributes twice, later ones once.
    this.span = tracer.startSpan(`${ctx.operation} ${ctx.model}`, { kind: SpanKind.CLIENT, attributes: this.#metricAttributes }, parent);
    this.#started = { ctx, region, reason };
  }

  /** What the span records besides the sampler's attributes, known at the start. */
  readonly #started: { ctx: AttemptContext; region: string | undefined; reason: AttemptReason } | undefined;

  #startAttributes(into: Attributes): void {
    const started = this.#started;
    if (!started) return;
    const { ctx, region, reason } = started;
    into[Switchyard.provider] = ctx.provider;
    into[Switchyard.attempt] = ctx.attempt;
    into[Switchyard.attemptReason] = reason.kind;
    if (reason.previousError !== undefined) into[Switchyard.attemptPreviousError] = reason.previousError;
    if (region !== undefined) into[Switchyard.region] = region;
    if (ctx.request.stream) into[GenAi.requestStream] = true;
    addRequestAttributes(ctx.operation, ctx.params, into);
  }

  /** The attempt chain's answer: a completion's or embeddings' facts now, a stream's as its chunks pass. */
  observe(result: Result): Result {
    switch (result.kind) {
      case 'completion': {
        const completion = result.completion;
        this.answer.id = completion.id;
        this.answer.model = completion.model;
        this.answer.finishReasons = completion.choices.map((choice) => choice.finish_reason ?? 'error');
        if (typeof completion.service_tier === 'string') this.answer.serviceTier = completion.service_tier;
        if (typeof completion.system_fingerprint === 'string') this.answer.systemFingerprint = completion.system_fingerprint;
        return result;
      }
      case 'embeddings':
        this.answer.model = result.response.model;
        return result;
      case 'stream':
        // A span the sampler dropped, with no metrics to feed, needs nothing from the chunks.
        if (!(this.#instruments && this.#chunkTimings) && !this.span?.isRecording()) return result;
        return { kind: 'stream', stream: this.#watch(result.stream) };
    }
  }

  /** Reads each chunk's facts and, with metrics on, the time between chunks. */
  #watch(stream: AsyncIterable<ChatCompletionChunk>): AsyncIterable<ChatCompletionChunk> {
    const reasons: string[] = [];
    let last: number | undefined;
    const histogram = this.#chunkTimings ? this.#instruments?.timePerOutputChunk : undefined;
    return mapChunks(stream, {
      chunk: (chunk) => {
        if (histogram) {
          const now = this.#now();
          if (last !== undefined) histogram.record((now - last) / 1000, this.#metricAttributes);
          last = now;
        }
        this.answer.id ??= chunk.id;
        this.answer.model ??= chunk.model;
        if (typeof chunk.service_tier === 'string') this.answer.serviceTier = chunk.service_tier;
        if (typeof chunk.system_fingerprint === 'string') this.answer.systemFingerprint = chunk.system_fingerprint;
        for (const choice of chunk.choices) {
          if (!choice.finish_reason) continue;
          reasons[choice.index] = choice.finish_reason;
          this.answer.finishReasons = Array.from(reasons, (reason) => reason ?? 'error');
        }
        return chunk;
      },
    });
  }

  /** The attempt has ended: its answer, usage, cost and status on the span; its tokens and cost counted. */
  end(info: AttemptInfo, route: string): void {
    const usage = info.usage;
    const instruments = this.#instruments;
    if (instruments) {
      const attributes = this.answer.model === undefined ? this.#metricAttributes : { ...this.#metricAttributes, [GenAi.responseModel]: this.answer.model };
      if (usage) {
        instruments.tokenUsage.record(usage.inputTokens, { ...attributes, [GenAi.tokenType]: 'input' });
        instruments.tokenUsage.record(usage.outputTokens, { ...attributes, [GenAi.tokenType]: 'output' });
      }
      const usd = info.cost?.usd;
      if (typeof usd === 'number' && usd > 0) instruments.cost.add(usd, { ...attributes, [Switchyard.provider]: info.provider, [Switchyard.route]: route });
    }
    const span = this.span;
    if (!span) return;
    if (!span.isRecording()) {
      span.end();
      return;
    }
    const answer = this.answer;
    const attributes: Attributes = { [Switchyard.outcome]: info.outcome };
    this.#startAttributes(attributes);
    if (answer.id !== undefined) attributes[GenAi.responseId] = answer.id;
    if (answer.model !== undefined) attributes[GenAi.responseModel] = answer.model;
    if (answer.finishReasons !== undefined) attributes[GenAi.responseFinishReasons] = answer.finishReasons;
    if (answer.serviceTier !== undefined) attributes[GenAi.openaiResponseServiceTier] = answer.serviceTier;
    if (answer.systemFingerprint !== undefined) attributes[GenAi.openaiResponseSystemFingerprint] = answer.systemFingerprint;
    if (usage) {
      attributes[GenAi.usageInputTokens] = usage.inputTokens;
      attributes[GenAi.usageOutputTokens] = usage.outputTokens;
      if (usage.cachedInputTokens > 0) attributes[GenAi.usageCacheReadInputTokens] = usage.cachedInputTokens;
      if (usage.cacheWriteInputTokens > 0) attributes[GenAi.usageCacheCreationInputTokens] = usage.cacheWriteInputTokens;
      if (usage.reasoningTokens > 0) attributes[GenAi.usageReasoningOutputTokens] = usage.reasoningTokens;
    }
    const cost = info.cost;
    if (cost && typeof cost.usd === 'number') attributes[Switchyard.costUsd] = cost.usd;
    if (cost?.estimated) attributes[Switchyard.costEstimated] = true;
    const requestId = info.response?.providerRequestId;
    if (requestId !== undefined) attributes[Switchyard.providerRequestId] = requestId;
    span.setAttributes(attributes);
    endStatus(span, info.outcome, info.error);
    span.end();
  }
}
