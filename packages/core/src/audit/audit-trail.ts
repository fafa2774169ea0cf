// The gateway's side of the audit log: one record per request, built from its events (every decision and who made it) and, when opted in, its guarded content.
import type { ChatCompletionChunk } from '../contract/chat-chunk.js';
import type { ChatCompletionMessageParam } from '../contract/chat-messages.js';
import type { EventBus } from '../events/event-bus.js';
import type { GatewayEvent, RequestEndEvent, RequestStartEvent } from '../events/events.js';
import { mapChunks } from '../pipeline/map-chunks.js';
import type { Middleware, RequestContext, Result } from '../pipeline/middleware.js';
import type { AuditLog } from './audit-log.js';

const DEFAULT_MAX_CONTENT_CHARS = 16_384;
const DEFAULT_CLOSE_TIMEOUT_MS = 10_000;

export interface AuditOptions {
  /** Where the records go: `createAuditLog({ path, key })` (docs/audit.md). `gateway.close()` flushes and closes it. */
  log: AuditLog;
  /** Also record what was sent and answered, after the guardrails' redaction (default `false`: no content at all). */
  content?: boolean | undefined;
  /** With `content`: the most characters of each message or answer kept (default 16 384); longer ones are cut and marked. */
  maxContentChars?: number | undefined;
}

/** One decision of a request, as its record lists it: what decided (a rule or guardrail by name) and how. */
export type AuditDecision =
  | { kind: 'access'; rule: string; decision: 'deny'; target?: string }
  | { kind: 'limit'; rule: string; action: string; limit: string; key: string }
  | { kind: 'budget'; rule: string; action: string; key: string; unit: string; limit: number; committed: number; downgradeTo?: string }
  | { kind: 'budget_threshold'; rule: string; key: string; threshold: number; period: string }
  | { kind: 'residency'; decision: 'deny'; allowed: ReadonlyArray<readonly string[]> }
  | { kind: 'guardrail'; guardrail: string; phase: string; verdict: string; mode: string; enforced: boolean; findings: Readonly<Record<string, number>>; reason?: string }
  | { kind: 'retry'; attempt: number; target: string; error: string }
  | { kind: 'fallback'; from: string; to: string; error: string }
  | { kind: 'cache'; cache: string; hit: boolean };

interface Content {
  input?: Array<{ role: string; text: string }>;
  output?: Array<{ text: string }>;
}

interface OpenRequest {
  start?: RequestStartEvent;
  decisions: AuditDecision[];
  scope?: string | undefined;
  content?: Content;
}

export interface AuditTrailDeps {
  readonly events: EventBus;
  /** The scope a call was made through (its id), if any. */
  readonly scopeOf: (ctx: RequestContext) => string | undefined;
  /** Whether the call's content may be recorded: its input has been through the input guardrails, and no audit-mode redactor left anything in place. */
  readonly contentGuarded: (ctx: RequestContext) => boolean;
  /** The answer's text as a record may keep it: values restored from reversible placeholders redacted again. */
  readonly redactAnswer: (ctx: RequestContext, text: string) => string;
}

/**
 * Collects each request's decisions from the event bus and writes its record at `request.end`.
 * Its middleware runs first in the request chain: it sees the scope, and, after the chain,
 * the request as the guardrails left it and the answer as they passed it on.
 */
export class AuditTrail {
  readonly middleware: Middleware;
  readonly log: AuditLog;
  #deps: AuditTrailDeps;
  /** Replaced by a reload or closed: it takes no new requests, and finishes those it has. */
  #retired = false;
  #content: boolean;
  #maxChars: number;
  readonly #open = new Map<string, OpenRequest>();
  readonly #writes = new Set<Promise<unknown>>();
  #idle: Array<() => void> = [];
  readonly #unsubscribe: () => void;

  constructor(options: AuditOptions, deps: AuditTrailDeps) {
    this.log = options.log;
    this.#deps = deps;
    this.#content = options.content ?? false;
    this.#maxChars = options.maxContentChars ?? DEFAULT_MAX_CONTENT_CHARS;
    this.middleware = { name: 'audit', request: (ctx, next) => this.#request(ctx, next) };
    this.#unsubscribe = deps.events.on('*', (event) => this.#event(event));
  }

  /** A reload with the same log keeps this trail: its options and what it asks of the new config change. */
  configure(options: AuditOptions, deps: AuditTrailDeps): void {
    this.#deps = deps;
    this.#content = options.content ?? false;
    this.#maxChars = options.maxContentChars ?? DEFAULT_MAX_CONTENT_CHARS;
  }

  #entry(requestId: string): OpenRequest {
    let entry = this.#open.get(requestId);
    if (!entry) this.#open.set(requestId, (entry = { decisions: [] }));
    return entry;
  }

  /** Takes a request into this trail: the front door calls it for every call on this trail's config, before validation. */
  track(requestId: string): void {
    if (!this.#retired) this.#entry(requestId);
  }

  async #request(ctx: RequestContext, next: () => Promise<Result>): Promise<Result> {
    const entry = this.#open.get(ctx.requestId);
    if (!entry) return next();
    entry.scope = this.#deps.scopeOf(ctx);
    if (!this.#content) return next();
    let result: Result;
    try {
      result = await next();
    } catch (error) {
      this.#keepInput(ctx, entry);
      throw error;
    }
    this.#keepInput(ctx, entry);
    if (!this.#deps.contentGuarded(ctx)) return result;
    const content = (entry.content ??= {});
    if (result.kind === 'completion') {
      content.output = result.completion.choices.map((choice) => ({ text: this.#cut(this.#deps.redactAnswer(ctx, answerText(choice.message.content, choice.message.tool_calls))) }));
      return result;
    }
    if (result.kind !== 'stream') return result;
    const texts: string[] = [];
    const stream = mapChunks(result.stream, {
      chunk: (chunk: ChatCompletionChunk) => {
        for (const choice of chunk.choices) {
          const piece = (choice.delta.content ?? '') + (choice.delta.tool_calls?.map((call) => call.function?.arguments ?? '').join('') ?? '');
          if (piece.length === 0) continue;
          const sofar = texts[choice.index] ?? '';
          if (sofar.length <= this.#maxChars) texts[choice.index] = sofar + piece;
        }
        return chunk;
      },
      end: () => {
        // An output redactor in audit mode may have found something in the stream: then nothing of the call is kept.
        if (!this.#deps.contentGuarded(ctx)) {
          entry.content = undefined;
          return;
        }
        content.output = Array.from(texts, (text) => ({ text: this.#cut(this.#deps.redactAnswer(ctx, text ?? '')) }));
      },
    });
    return { kind: 'stream', stream };
  }

  #keepInput(ctx: RequestContext, entry: OpenRequest): void {
    if (!this.#deps.contentGuarded(ctx)) return;
    const content = (entry.content ??= {});
    if (ctx.operation === 'embeddings') {
      const input = ctx.params.input;
      content.input = (Array.isArray(input) ? input : [input]).map((item) => ({ role: 'input', text: this.#cut(typeof item === 'string' ? item : '[tokens]') }));
      return;
    }
    content.input = ctx.params.messages.map((message: ChatCompletionMessageParam) => ({ role: message.role, text: this.#cut(messageText(message)) }));
  }

  #cut(text: string): string {
    return text.length <= this.#maxChars ? text : `${text.slice(0, this.#maxChars)}…[cut ${text.length - this.#maxChars} chars]`;
  }

  #event(event: GatewayEvent): void {
    // Only the requests this trail took: a reload's new trail and the one it replaced never record each other's.
    if (event.type === 'request.end') {
      if (this.#open.has(event.requestId)) this.#write(event);
      return;
    }
    if (event.type === 'request.start') {
      const entry = this.#open.get(event.requestId);
      if (entry) entry.start = event;
      return;
    }
    // A decision reported after its request's record was written (a budget alert settles after the end) is not one of its own.
    const entry = this.#open.get(event.requestId);
    const decision = entry ? decisionOf(event) : undefined;
    if (decision) entry?.decisions.push(decision);
  }

  #write(end: RequestEndEvent, unfinished = false): void {
    const entry = this.#open.get(end.requestId);
    this.#open.delete(end.requestId);
    const record = recordOf(end, entry, this.#content, unfinished);
    const write = this.log.append(record).then(
      () => undefined,
      (error: unknown) => this.#deps.events.report(error, end),
    );
    this.#writes.add(write);
    void write.finally(() => this.#writes.delete(write));
    if (this.#open.size === 0) for (const resolve of this.#idle.splice(0)) resolve();
  }

  /**
   * Waits (up to `timeoutMs`) for the requests in flight to end and their records to be written,
   * writes a record with outcome `unfinished` for any still open, and closes the log.
   */
  async close(timeoutMs = DEFAULT_CLOSE_TIMEOUT_MS): Promise<void> {
    this.#retired = true;
    if (this.#open.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([new Promise<void>((resolve) => this.#idle.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    }
    for (const [requestId, entry] of [...this.#open]) this.#write(unfinishedEnd(requestId, entry.start), true);
    this.#unsubscribe();
    await Promise.all(this.#writes);
    await this.log.close();
  }
}

function messageText(message: ChatCompletionMessageParam): string {
  const content = message.content;
  const text = typeof content === 'string' ? content : Array.isArray(content) ? content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('\n') : '';
  const calls = message.role === 'assistant' ? (message.tool_calls ?? []).map((call) => (call.type === 'function' ? `${call.function.name}(${call.function.arguments})` : `[${call.type}]`)) : [];
  return calls.length > 0 ? [text, ...calls].filter(Boolean).join('\n') : text;
}

function answerText(content: string | null | undefined, toolCalls: ReadonlyArray<{ type: string; function?: { name: string; arguments: string } }> | undefined): string {
  const calls = (toolCalls ?? []).map((call) => (call.function ? `${call.function.name}(${call.function.arguments})` : `[${call.type}]`));
  return [content ?? '', ...calls].filter(Boolean).join('\n');
}

function decisionOf(event: GatewayEvent): AuditDecision | undefined {
  switch (event.type) {
    case 'access.denied':
      return { kind: 'access', rule: event.rule, decision: 'deny', ...(event.target === undefined ? {} : { target: event.target }) };
    case 'limit.exceeded':
      return { kind: 'limit', rule: event.rule, action: event.action, limit: event.limit, key: event.key };
    case 'budget.exceeded':
      return { kind: 'budget', rule: event.rule, action: event.action, key: event.key, unit: event.unit, limit: event.limit, committed: event.committed, ...(event.downgradeTo === undefined ? {} : { downgradeTo: event.downgradeTo }) };
    case 'budget.threshold':
      return { kind: 'budget_threshold', rule: event.rule, key: event.key, threshold: event.threshold, period: event.period };
    case 'residency.denied':
      return { kind: 'residency', decision: 'deny', allowed: event.allowed };
    case 'guardrail.verdict':
      return { kind: 'guardrail', guardrail: event.guardrail, phase: event.phase, verdict: event.verdict, mode: event.mode, enforced: event.enforced, findings: event.findings, ...(event.reason === undefined ? {} : { reason: event.reason }) };
    case 'attempt.retry':
      return { kind: 'retry', attempt: event.attempt, target: `${event.provider}/${event.model}`, error: event.error.code };
    case 'request.fallback':
      return { kind: 'fallback', from: event.from, to: event.to, error: event.error.code };
    case 'cache.hit':
      return { kind: 'cache', cache: event.cache, hit: true };
    default:
      return undefined;
  }
}

function recordOf(end: RequestEndEvent, entry: OpenRequest | undefined, withContent: boolean, unfinished: boolean): Record<string, unknown> {
  return {
    requestId: end.requestId,
    operation: end.operation,
    route: end.route,
    stream: end.stream,
    principal: end.principal ?? null,
    scope: entry?.scope ?? null,
    tags: end.tags,
    metadata: end.metadata,
    provider: end.provider ?? null,
    model: end.model ?? null,
    region: end.region ?? null,
    served: end.served ?? null,
    attempts: end.attempts,
    outcome: unfinished ? 'unfinished' : end.outcome,
    ...(end.abandoned === undefined ? {} : { abandoned: end.abandoned }),
    error: end.error ? { code: end.error.code, name: end.error.name, message: end.error.message } : null,
    usage: end.totalUsage ?? null,
    cost: end.cost ?? null,
    latencyMs: end.latencyMs,
    decisions: entry?.decisions ?? [],
    ...(withContent ? { content: entry?.content ?? null } : {}),
  };
}

/** What close() writes for a request still open at its time bound: what is known, marked unfinished. */
function unfinishedEnd(requestId: string, start: RequestStartEvent | undefined): RequestEndEvent {
  return {
    type: 'request.end',
    requestId,
    timestamp: Date.now(),
    operation: start?.operation ?? 'chat',
    route: start?.route ?? '',
    stream: start?.stream ?? false,
    outcome: 'error',
    provider: undefined,
    model: undefined,
    attempts: 0,
    served: undefined,
    usage: undefined,
    totalUsage: undefined,
    cost: undefined,
    providerRequestId: undefined,
    latencyMs: 0,
    timeToFirstChunkMs: undefined,
    error: undefined,
    principal: start?.principal,
    metadata: start?.metadata ?? {},
    tags: start?.tags ?? [],
  };
}
