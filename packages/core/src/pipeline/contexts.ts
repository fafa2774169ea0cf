import type { ProviderAdapter } from '../adapter/adapter.js';
import type { CallOptions } from '../contract/call-options.js';
import type { ChatCompletionCreateParams } from '../contract/chat-params.js';
import type { EmbeddingCreateParams } from '../contract/embeddings.js';
import type { AttemptRecord } from './attempt-record.js';
import type { AttemptInfo, CallEnd, EndHook } from './call-meta.js';
import type { CallRecord } from './call-record.js';
import { CallWindow } from './call-window.js';
import type { AttemptContext, Operation, RequestContext } from './middleware.js';
import { CallState } from './state-key.js';

/**
 * What the request chain's middleware get: a window on the call record that reads through
 * to it, writes only `params`, and adds state and end hooks. The record stays reachable only
 * to the pipeline (`GatewayRequestContext.recordOf`).
 */
export class GatewayRequestContext extends CallWindow {
  readonly #record: CallRecord;
  #state: CallState | undefined;

  private constructor(record: CallRecord) {
    super(record);
    this.#record = record;
  }

  static of(record: CallRecord): RequestContext {
    // `operation` and `params` agree by construction (the front door pairs them); the union says so.
    return new GatewayRequestContext(record) as RequestContext;
  }

  static recordOf(ctx: RequestContext): CallRecord {
    if (!(#record in ctx)) throw new TypeError('Not a request context made by the gateway.');
    return ctx.#record;
  }

  get params(): ChatCompletionCreateParams | EmbeddingCreateParams {
    return this.#record.params;
  }
  set params(params: ChatCompletionCreateParams | EmbeddingCreateParams) {
    this.#record.params = params;
  }
  get options(): CallOptions {
    return this.#record.options;
  }
  get signal(): AbortSignal | undefined {
    return this.#record.signal;
  }
  get state(): CallState {
    return (this.#state ??= new CallState());
  }
  onEnd(hook: EndHook<CallEnd>): void {
    this.#record.onEnd(hook);
  }
}

/** What the attempt chain's middleware get for one try: its own params, and end hooks on the attempt. */
export class GatewayAttemptContext {
  readonly request: RequestContext;
  readonly attempt: number;
  readonly provider: string;
  readonly model: string;
  readonly adapter: ProviderAdapter;
  readonly signal: AbortSignal | undefined;
  readonly operation: Operation;
  params: ChatCompletionCreateParams | EmbeddingCreateParams;
  readonly #record: AttemptRecord;

  private constructor(request: RequestContext, record: AttemptRecord, adapter: ProviderAdapter, signal: AbortSignal | undefined, params: ChatCompletionCreateParams | EmbeddingCreateParams) {
    this.request = request;
    this.attempt = record.attempt;
    this.provider = record.provider;
    this.model = record.model;
    this.adapter = adapter;
    this.signal = signal;
    this.operation = request.operation;
    this.params = params;
    this.#record = record;
  }

  static of(request: RequestContext, record: AttemptRecord, adapter: ProviderAdapter, signal: AbortSignal | undefined, params: ChatCompletionCreateParams | EmbeddingCreateParams): AttemptContext {
    return new GatewayAttemptContext(request, record, adapter, signal, params) as AttemptContext;
  }

  static recordOf(ctx: AttemptContext): AttemptRecord {
    if (!(#record in ctx)) throw new TypeError('Not an attempt context made by the gateway.');
    return ctx.#record;
  }

  onEnd(hook: EndHook<AttemptInfo>): void {
    this.#record.onEnd(hook);
  }
}
