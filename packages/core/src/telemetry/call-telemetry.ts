// One call's telemetry: the request span (the caller's context its parent), its attempts' spans as children, the decisions it met as span events, and its metrics at the end.
import { context, SpanKind, trace, type Attributes, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import { UnknownModelError } from '../errors/errors.js';
import type { GatewayEvent } from '../events/events.js';
import { APPLIED_GUARDRAILS, APPLIED_RULES } from '../pipeline/applied-decisions.js';
import type { CallObserver } from '../pipeline/call-observer.js';
import type { CallEnd } from '../pipeline/call-meta.js';
import type { CallRecord } from '../pipeline/call-record.js';
import { GatewayAttemptContext } from '../pipeline/contexts.js';
import { mapChunks } from '../pipeline/map-chunks.js';
import type { AttemptContext, Next, RequestContext, Result } from '../pipeline/middleware.js';
import { AttemptTelemetry, type AttemptReason } from './attempt-telemetry.js';
import { fitContent } from './content-fit.js';
import type { GatewayInstruments } from './gateway-instruments.js';
import { GenAi, INFERENCE_DETAILS_EVENT, Switchyard } from './gen-ai-names.js';
import { inputMessages, outputMessages, StreamedOutput } from './gen-ai-messages.js';
import { addRequestAttributes } from './request-attributes.js';
import { endStatus, errorType } from './span-status.js';

/** What every call of one config records, and how content is made safe to record. */
export interface CallTelemetrySettings {
  readonly content: { readonly maxChars: number; readonly as: 'attributes' | 'events' } | undefined;
  readonly principal: boolean;
  /** Whether each streamed chunk's timing is recorded. */
  readonly chunkTimings: boolean;
  /** Whether the call's content may be recorded: its input has been through the input guardrails, and no audit-mode redactor left anything in place. */
  readonly contentGuarded: (ctx: RequestContext) => boolean;
  /** The answer's text as a trace may keep it: values restored from reversible placeholders redacted again. */
  readonly redactAnswer: (ctx: RequestContext, text: string) => string;
}

export class CallTelemetry implements CallObserver {
  readonly span: Span | undefined;
  readonly #record: CallRecord;
  readonly #tracer: Tracer | undefined;
  readonly #instruments: GatewayInstruments | undefined;
  readonly #settings: CallTelemetrySettings;
  /** The caller's context with the request span in it: the parent of the attempts' spans and of any call made inside this one. */
  readonly #context: Context;
  readonly #attempts: AttemptTelemetry[] = [];
  #cacheHit: { cache: string; savedUsd: number | null | undefined } | undefined;
  #completion: ChatCompletion | undefined;
  #streamed: StreamedOutput | undefined;

  constructor(record: CallRecord, tracer: Tracer | undefined, instruments: GatewayInstruments | undefined, settings: CallTelemetrySettings) {
    this.#record = record;
    this.#tracer = tracer;
    this.#instruments = instruments;
    this.#settings = settings;
    const parent = context.active();
    if (tracer) {
      // Only what a sampler needs goes in at the start: the SDK cleans start attributes twice, later ones once.
      const attributes: Attributes = { [GenAi.operationName]: record.operation, [GenAi.requestModel]: record.route };
      this.span = tracer.startSpan(`${record.operation} ${record.route}`, { kind: SpanKind.INTERNAL, attributes }, parent);
      this.#context = trace.setSpan(parent, this.span);
    } else {
      this.#context = parent;
    }
    record.onEnd((end) => this.#end(end));
  }

  run(chain: () => Promise<Result>): Promise<Result> {
    return this.span ? context.with(this.#context, chain) : chain();
  }

  attempt(ctx: AttemptContext, next: Next): Promise<Result> {
    const record = GatewayAttemptContext.recordOf(ctx);
    const telemetry = new AttemptTelemetry(ctx, record.region, this.#reason(record.attempt), this.#tracer, this.#context, this.#instruments, this.#record.now, this.#settings.chunkTimings);
    this.#attempts[record.attempt - 1] = telemetry;
    const route = this.#record.route;
    ctx.onEnd((info) => telemetry.end(info, route));
    const run = () => next().then((result) => telemetry.observe(result));
    return telemetry.span ? context.with(trace.setSpan(this.#context, telemetry.span), run) : run();
  }

  answered(result: Result): Result {
    if (!this.#settings.content || !this.span?.isRecording()) return result;
    if (result.kind === 'completion') this.#completion = result.completion;
    if (result.kind !== 'stream') return result;
    const streamed = (this.#streamed = new StreamedOutput(this.#settings.content.maxChars));
    return { kind: 'stream', stream: mapChunks(result.stream, { chunk: (chunk) => (streamed.add(chunk), chunk) }) };
  }

  /** A decision of this call, as it is made: a span event (and, for a cache hit, what the span says at the end). */
  event(event: GatewayEvent): void {
    if (event.type === 'cache.hit') this.#cacheHit = { cache: event.cache, savedUsd: event.savedUsd };
    const span = this.span;
    if (!span?.isRecording()) return;
    switch (event.type) {
      case 'attempt.retry':
        span.addEvent('switchyard.retry', { [Switchyard.attempt]: event.attempt, [Switchyard.provider]: event.provider, [Switchyard.model]: event.model, 'switchyard.delay_ms': event.delayMs, [GenAi.errorType]: event.error.code });
        return;
      case 'request.fallback':
        span.addEvent('switchyard.fallback', { 'switchyard.from': event.from, 'switchyard.to': event.to, [GenAi.errorType]: event.error.code });
        return;
      case 'cache.hit':
        span.addEvent('switchyard.cache.hit', { [Switchyard.cacheName]: event.cache, ...(typeof event.savedUsd === 'number' ? { [Switchyard.cacheSavedUsd]: event.savedUsd } : {}) });
        return;
      case 'access.denied':
        span.addEvent('switchyard.access.denied', { 'switchyard.rule': event.rule, ...(event.target === undefined ? {} : { 'switchyard.target': event.target }) });
        return;
      case 'limit.exceeded':
        span.addEvent('switchyard.limit.exceeded', { 'switchyard.rule': event.rule, 'switchyard.action': event.action, 'switchyard.limit': event.limit });
        return;
      case 'budget.exceeded':
        span.addEvent('switchyard.budget.exceeded', { 'switchyard.rule': event.rule, 'switchyard.action': event.action, ...(event.downgradeTo === undefined ? {} : { 'switchyard.downgrade_to': event.downgradeTo }) });
        return;
      case 'residency.denied':
        span.addEvent('switchyard.residency.denied', { 'switchyard.allowed': event.allowed.map((regions) => regions.join('|')) });
        return;
      case 'guardrail.verdict':
        span.addEvent('switchyard.guardrail.verdict', {
          'switchyard.guardrail': event.guardrail,
          'switchyard.phase': event.phase,
          'switchyard.verdict': event.verdict,
          'switchyard.mode': event.mode,
          'switchyard.enforced': event.enforced,
          'switchyard.findings': Object.entries(event.findings).map(([kind, count]) => `${kind}:${count}`),
        });
        return;
      default:
        return;
    }
  }

  /** The same target as the attempt before: a retry; another: a fallback. */
  #reason(attempt: number): AttemptReason {
    if (attempt === 1) return { kind: 'first' };
    const previous = this.#record.attemptRecords[attempt - 2];
    const current = this.#record.attemptRecords[attempt - 1];
    const previousError = previous?.error === undefined ? undefined : errorType(previous.error);
    const same = previous !== undefined && current !== undefined && previous.provider === current.provider && previous.model === current.model;
    return { kind: same ? 'retry' : 'fallback', previousError };
  }

  #end(end: CallEnd): void {
    const serving = this.#serving();
    const instruments = this.#instruments;
    if (instruments) {
      // A model name that is no route is the caller's free text: left off, so that typos do not make metric series.
      const attributes: Attributes = { [GenAi.operationName]: end.operation };
      if (!(end.error instanceof UnknownModelError)) attributes[GenAi.requestModel] = end.route;
      if (serving) attributes[GenAi.providerName] = serving.providerName;
      if (serving?.answer.model !== undefined) attributes[GenAi.responseModel] = serving.answer.model;
      if (end.outcome === 'error' || end.outcome === 'aborted') attributes[GenAi.errorType] = end.error === undefined ? end.outcome : errorType(end.error);
      instruments.operationDuration.record(end.latencyMs / 1000, attributes);
      if (end.stream && end.timeToFirstChunkMs !== undefined) instruments.timeToFirstChunk.record(end.timeToFirstChunkMs / 1000, attributes);
    }
    const span = this.span;
    if (!span) return;
    if (span.isRecording()) span.setAttributes(this.#endAttributes(end, serving));
    endStatus(span, end.outcome, end.error);
    span.end();
  }

  #serving(): AttemptTelemetry | undefined {
    const serving = this.#record.serving;
    return serving ? this.#attempts[serving.attempt - 1] : this.#attempts.at(-1);
  }

  #endAttributes(end: CallEnd, serving: AttemptTelemetry | undefined): Attributes {
    const record = this.#record;
    const attributes: Attributes = {
      [Switchyard.route]: record.route,
      [Switchyard.requestId]: record.requestId,
      [Switchyard.outcome]: end.outcome,
      [Switchyard.attempts]: end.attempts,
    };
    if (record.stream) attributes[GenAi.requestStream] = true;
    const principal = record.principal;
    if (this.#settings.principal && principal && typeof principal.id === 'string') {
      attributes[Switchyard.principalId] = principal.id;
      if (Array.isArray(principal.teams) && principal.teams.length > 0) attributes[Switchyard.principalTeams] = principal.teams;
    }
    if (Array.isArray(record.tags) && record.tags.length > 0) attributes[Switchyard.tags] = record.tags as string[];
    addRequestAttributes(record.operation, record.params, attributes);
    if (end.abandoned !== undefined) attributes[Switchyard.abandoned] = end.abandoned;
    if (end.served !== undefined) attributes[Switchyard.served] = end.served;
    if (end.provider !== undefined) attributes[Switchyard.provider] = end.provider;
    if (end.model !== undefined) attributes[Switchyard.model] = end.model;
    if (end.region !== undefined) attributes[Switchyard.region] = end.region;
    if (record.strategy !== undefined) attributes[Switchyard.strategy] = record.strategy;
    if (serving && end.served === 'provider') {
      attributes[GenAi.providerName] = serving.providerName;
      const answer = serving.answer;
      if (answer.id !== undefined) attributes[GenAi.responseId] = answer.id;
      if (answer.model !== undefined) attributes[GenAi.responseModel] = answer.model;
      if (answer.finishReasons !== undefined) attributes[GenAi.responseFinishReasons] = answer.finishReasons;
    }
    const usage = end.totalUsage;
    if (usage) {
      attributes['switchyard.usage.input_tokens'] = usage.inputTokens;
      attributes['switchyard.usage.output_tokens'] = usage.outputTokens;
    }
    const cost = end.cost;
    if (cost && typeof cost.usd === 'number') attributes[Switchyard.costUsd] = cost.usd;
    if (cost?.estimated) attributes[Switchyard.costEstimated] = true;
    if (end.timeToFirstChunkMs !== undefined) attributes[GenAi.responseTimeToFirstChunk] = end.timeToFirstChunkMs / 1000;
    attributes[Switchyard.cacheHit] = this.#cacheHit !== undefined;
    if (this.#cacheHit) {
      attributes[Switchyard.cacheName] = this.#cacheHit.cache;
      if (typeof this.#cacheHit.savedUsd === 'number') attributes[Switchyard.cacheSavedUsd] = this.#cacheHit.savedUsd;
    }
    const state = record.context.state;
    const rules = state.get(APPLIED_RULES);
    if (rules && rules.length > 0) attributes[Switchyard.rules] = [...rules];
    const guardrails = state.get(APPLIED_GUARDRAILS);
    if (guardrails && guardrails.length > 0) attributes[Switchyard.guardrails] = [...guardrails];
    if (this.#settings.content) this.#addContent(attributes);
    return attributes;
  }

  /** What was sent and answered, as the guardrails left it; nothing of a call refused before its input was guarded, or one an audit-mode redactor found something in. */
  #addContent(attributes: Attributes): void {
    const content = this.#settings.content;
    const record = this.#record;
    if (!content || record.operation !== 'chat') return;
    const ctx = record.context;
    if (!this.#settings.contentGuarded(ctx)) return;
    const recorded: Attributes = {};
    const messages = (record.params as ChatCompletionCreateParams).messages;
    if (Array.isArray(messages)) recorded[GenAi.inputMessages] = fitContent(inputMessages(messages), content.maxChars, 'last');
    const redact = (text: string) => this.#settings.redactAnswer(ctx, text);
    const output = this.#completion ? outputMessages(this.#completion, redact) : this.#streamed?.messages(redact);
    // A failed call's answer is what reached the caller before the failure, if anything.
    if (output && output.length > 0) recorded[GenAi.outputMessages] = fitContent(output, content.maxChars, 'first');
    if (content.as === 'events') {
      if (Object.keys(recorded).length > 0) this.span?.addEvent(INFERENCE_DETAILS_EVENT, recorded);
    } else Object.assign(attributes, recorded);
  }
}
