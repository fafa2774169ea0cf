import { MAX_TIMER_MS, callOptionsSchema, type CallOptions } from '../contract/call-options.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import { chatCompletionCreateParamsShape, type ChatCompletionCreateParams } from '../contract/chat-params.js';
import { findUnserialisable } from '../contract/check-serialisable.js';
import { embeddingCreateParamsShape, type CreateEmbeddingResponse, type EmbeddingCreateParams } from '../contract/embeddings.js';
import { fieldIssue, validateFields } from '../contract/validate-fields.js';
import { AbortError, InvalidRequestError, type ConfigIssue } from '../errors/errors.js';
import type { EventBus } from '../events/event-bus.js';
import { toCallPromise, type CallPromise } from '../pipeline/call-promise.js';
import { CallRecord } from '../pipeline/call-record.js';
import { CallSignal } from '../pipeline/call-signal.js';
import type { ChatCompletionStream } from '../pipeline/chat-completion-stream.js';
import type { Operation, Result } from '../pipeline/middleware.js';
import { usageFromCompletionUsage, usageFromEmbeddings } from '../adapter/usage.js';
import { formatPath } from './config.js';
import type { GatewayRuntime } from './gateway-runtime.js';
import { SCOPE } from '../governance/governance.js';
import type { ScopePolicy } from '../governance/scope-policy.js';
import { ScopeRevokedError } from '../errors/governance-errors.js';
import { scopedOptions } from './scoped-options.js';

export type CallResult = ChatCompletion | ChatCompletionStream | CreateEmbeddingResponse;

const NO_OPTIONS: CallOptions = Object.freeze({});

/**
 * The one way into the gateway. Every entry point (`chat.completions.create`,
 * `embeddings.create`, and the scoped clients, SDK wrappers and in-process `fetch` to come)
 * calls this: it builds the call record on the runtime current at entry, emits
 * `request.start`, validates, runs the request chain and hands back the caller's result with
 * its meta. Nothing is thrown synchronously: every failure is the returned promise's.
 */
export function enterCall(
  runtime: GatewayRuntime,
  events: EventBus,
  operation: Operation,
  params: ChatCompletionCreateParams | EmbeddingCreateParams,
  options: CallOptions | undefined,
  scope?: ScopePolicy,
): CallPromise<CallResult> {
  // Bad arguments (null, a string) run as no options and no params as far as the next lines
  // go: validation rejects them, so the caller gets a rejected promise and the usual events.
  const given = typeof options === 'object' && options !== null ? options : NO_OPTIONS;
  // A scoped call runs as its scope: its principal, tags and metadata, narrowed never widened.
  const scoped = scope ? scopedOptions(scope, given) : undefined;
  const callOptions = scoped ? scoped.options : given;
  const timeout = callOptions.timeout ?? runtime.defaults.timeout;
  // A malformed signal is reported by validation, not thrown from here.
  const userSignal = callOptions.signal instanceof AbortSignal ? callOptions.signal : undefined;
  // An invalid timeout arms nothing: validation rejects the call before anything is sent.
  const callSignal = isDeadline(timeout) ? new CallSignal(timeout, userSignal) : undefined;
  const record = new CallRecord({
    operation,
    params,
    options: callOptions,
    stream: operation === 'chat' && (params as Partial<ChatCompletionCreateParams> | null | undefined)?.stream === true,
    startedAt: runtime.now(),
    signal: callSignal ? callSignal.signal : userSignal,
    callSignal,
    events,
    now: runtime.now,
    costs: runtime.cost,
  });
  if (events.wants('request.start')) {
    events.emit({
      type: 'request.start',
      requestId: record.requestId,
      timestamp: Date.now(),
      operation,
      route: record.route,
      stream: record.stream,
      principal: record.principal,
      metadata: record.metadata,
      tags: record.tags,
    });
  }
  runtime.audit?.track(record.requestId);
  runtime.telemetry?.start(record);
  runtime.inFlight?.add(record);
  if (scope) record.context.state.set(SCOPE, scope);
  return toCallPromise(run(runtime, record, options, scope, scoped?.issues), record);
}

async function run(runtime: GatewayRuntime, record: CallRecord, options: unknown, scope: ScopePolicy | undefined, scopeIssues: readonly ConfigIssue[] | undefined): Promise<CallResult> {
  try {
    validateRequest(record, options, scopeIssues);
    if (scope?.revoked) throw new ScopeRevokedError(scope.id);
    if (record.signal?.aborted) throw new AbortError();
    // Residency asked by the call itself is governance's too, configured or not.
    const chain = scope || record.options.regions ? runtime.governedRequestChain : runtime.requestChain;
    const observer = record.observer;
    const chained = await (observer ? observer.run(() => chain(record.context)) : chain(record.context));
    served(record, chained);
    const result = observer ? observer.answered(chained) : chained;
    switch (result.kind) {
      case 'completion':
        record.finish('success');
        return result.completion;
      case 'embeddings':
        record.finish('success');
        return result.response;
      case 'stream':
        return runtime.stream(record, result.stream);
    }
  } catch (error) {
    throw record.fail(error);
  }
}

/** Who answered: an attempt, or a request middleware with no provider call (whose usage is reported, not consumed). */
function served(record: CallRecord, result: Result): void {
  const answer = result.kind === 'completion' ? result.completion : result.kind === 'embeddings' ? result.response : result.stream;
  record.answered(answer, result.kind === 'stream');
  if (record.served === 'provider') return;
  if (result.kind === 'completion' && result.completion.usage) record.answerUsage = usageFromCompletionUsage(result.completion.usage);
  else if (result.kind === 'embeddings') record.answerUsage = usageFromEmbeddings(result.response.usage);
}

function isDeadline(timeout: number | undefined): timeout is number {
  return typeof timeout === 'number' && timeout > 0 && timeout <= MAX_TIMER_MS;
}

const CHAT_REQUIRED = ['model', 'messages'] as const;
const EMBEDDINGS_REQUIRED = ['model', 'input'] as const;
/** The error's message lists this many problems; `issues` has them all. */
const LISTED_ISSUES = 10;

/** `options` is the argument as the caller passed it; `undefined` is no options. */
function validateRequest(record: CallRecord, options: unknown, scopeIssues: readonly ConfigIssue[] | undefined): void {
  let issues: ConfigIssue[];
  try {
    issues = requestIssues(record, options);
    if (scopeIssues) issues.push(...scopeIssues);
  } catch (error) {
    // A getter or proxy in the caller's objects threw while being read: the caller's, typed.
    // Only its name: its message is the caller's own text.
    const name = error instanceof Error ? error.name : typeof error;
    issues = [{ path: '', message: `could not be read: reading a field threw ${name} (a getter or proxy in the params or options?).` }];
  }
  if (issues.length > 0) {
    const lines = issues.slice(0, LISTED_ISSUES).map((issue) => `  - ${issue.path || '(params)'}: ${issue.message}`);
    if (issues.length > LISTED_ISSUES) lines.push(`  - … and ${issues.length - LISTED_ISSUES} more (see error.issues)`);
    throw new InvalidRequestError(`Invalid ${record.operation} request; nothing was sent:\n${lines.join('\n')}`, issues);
  }
}

function requestIssues(record: CallRecord, options: unknown): ConfigIssue[] {
  const params = record.params;
  const issues =
    record.operation === 'chat'
      ? validateFields(chatCompletionCreateParamsShape, CHAT_REQUIRED, params)
      : validateFields(embeddingCreateParamsShape, EMBEDDINGS_REQUIRED, params);
  if (typeof params === 'object' && params !== null && !Array.isArray(params)) {
    const unsendable = findUnserialisable(params);
    // A BigInt where the contract wants a number is reported once, by the field's own check.
    if (unsendable && !issues.some((issue) => issue.path === unsendable.path)) issues.push(unsendable);
  }
  if (options !== undefined) {
    const parsed = callOptionsSchema.safeParse(options);
    if (!parsed.success) {
      for (const i of parsed.error.issues) issues.push(fieldIssue(i.path.length === 0 ? 'options' : `options.${formatPath(i.path)}`, i.message));
    }
  }
  return issues;
}
