// The guardrails middleware: input guardrails before anything is sent, output guardrails on the answer (streams chunk by chunk).
import type { CallOptions } from '../contract/call-options.js';
import type { ChatCompletion } from '../contract/chat-completion.js';
import type { ChatCompletionCreateParams, ChatCompletionCreateParamsNonStreaming } from '../contract/chat-params.js';
import type { GuardrailPhase } from '../errors/guardrail-errors.js';
import type { EventBus } from '../events/event-bus.js';
import type { GuardrailVerdictEvent } from '../events/guardrail-events.js';
import type { Middleware, Next, RequestContext, Result } from '../pipeline/middleware.js';
import { createStateKey } from '../pipeline/state-key.js';
import { APPLIED_GUARDRAILS } from '../pipeline/applied-decisions.js';
import { RuleSet } from '../rules/rule-set.js';
import { compileGuardrail, type CompiledGuardrail, type JsonSchemaGuardrail } from './compiled-guardrail.js';
import { failure, type GuardCall } from './guard-call.js';
import { guardTexts, verdictOf } from './guard-texts.js';
import { answerTexts, requestTexts, withAnswerTexts, withRequestTexts, type GuardedText } from './guarded-text.js';
import type { GuardrailCheck, GuardrailOptions } from './guardrail-options.js';
import { checkJson, expectedJson, type JsonSchemaFailure } from './json-schema-check.js';
import { Placeholders } from './redaction.js';
import { guardStream } from './stream-guard.js';

/** Set once a call's input has been through the input guardrails (the audit log records content only after). */
export const INPUT_GUARDED = createStateKey<true>('switchyard.guardrails.input-guarded');
/** What the guardrails know of a call: whether an audit-mode redactor left something in place (its content is then never recorded). */
export const GUARD_CALL = createStateKey<Pick<GuardCall, 'unredacted'>>('switchyard.guardrails.guard-call');
/** A call's placeholders, so that a record kept after the answer was restored can redact it again. */
export const PLACEHOLDERS = createStateKey<Placeholders>('switchyard.guardrails.placeholders');

export interface GuardrailsDeps {
  readonly events: EventBus;
  /** A chat completion through the gateway, for LLM judges. */
  readonly complete: (params: ChatCompletionCreateParamsNonStreaming, options: CallOptions) => PromiseLike<unknown>;
}

/**
 * The configured guardrails, compiled once. It runs in the request chain after governance and
 * before the caches: a refused call is never guarded, a cache keys and stores the guarded request,
 * and a cached answer is guarded like a fresh one.
 */
export class Guardrails {
  readonly middleware: Middleware;
  readonly #rules: RuleSet<CompiledGuardrail>;
  readonly #deps: GuardrailsDeps;
  /** The options of judge calls this makes: guardrails do not guard their own judges. */
  readonly #judges = new WeakSet<CallOptions>();

  constructor(options: readonly GuardrailOptions[], deps: GuardrailsDeps) {
    this.#deps = deps;
    const entries = options.flatMap((option) => {
      const compiled = compileGuardrail(option);
      return compiled ? [{ when: option.when ?? {}, value: compiled }] : [];
    });
    this.#rules = new RuleSet(entries);
    this.middleware = { name: 'guardrails', request: (ctx, next) => this.#request(ctx, next) };
  }

  async #request(ctx: RequestContext, next: Next): Promise<Result> {
    if (this.#judges.has(ctx.options)) return next();
    const matching = this.#rules.matching(ctx);
    if (matching.length === 0) {
      ctx.state.set(INPUT_GUARDED, true);
      return next();
    }
    ctx.state.set(APPLIED_GUARDRAILS, matching.map((guardrail) => guardrail.name));
    const call = this.#guardCall(ctx);
    ctx.state.set(PLACEHOLDERS, call.placeholders);
    ctx.state.set(GUARD_CALL, call);
    const input = matching.filter((guardrail) => guardrail.input);
    if (input.length > 0) {
      const pieces = requestTexts(ctx.operation, ctx.params);
      const changed = await guardTexts('input', input, pieces.texts, call);
      if (changed.size > 0) {
        if (ctx.operation === 'chat') ctx.params = withRequestTexts('chat', ctx.params, pieces, changed);
        else ctx.params = withRequestTexts('embeddings', ctx.params, pieces, changed);
      }
    }
    if (!call.unredacted) ctx.state.set(INPUT_GUARDED, true);
    const output = matching.filter((guardrail) => guardrail.output);
    if (ctx.operation === 'embeddings' || (output.length === 0 && !call.placeholders.restores)) return next();
    const params = ctx.params;
    const result = await next();
    if (result.kind === 'completion') return { kind: 'completion', completion: await this.#answer(ctx, params, next, result.completion, output, call) };
    if (result.kind === 'stream') return { kind: 'stream', stream: guardStream(result.stream, { guardrails: output, call, expectedJson: expectedJson(params) }) };
    return result;
  }

  /** A complete answer: the JSON schema first (a repair asks again), then the other output guardrails, then placeholders restored. */
  async #answer(ctx: RequestContext, params: ChatCompletionCreateParams, next: Next, completion: ChatCompletion, output: readonly CompiledGuardrail[], call: GuardCall): Promise<ChatCompletion> {
    let answer = completion;
    const expected = expectedJson(params);
    if (expected) {
      for (const guardrail of output) if (guardrail.kind === 'json-schema') answer = await this.#checkJson(ctx, params, next, answer, guardrail, expected, call);
    }
    const others = output.filter((guardrail) => guardrail.kind !== 'json-schema');
    const pieces = answerTexts(answer);
    const changed = others.length > 0 ? await guardTexts('output', others, pieces.texts, call) : new Map<number, string>();
    if (call.placeholders.restores) {
      pieces.texts.forEach((text, index) => {
        const restored = call.placeholders.restore(changed.get(index) ?? text.text);
        if (restored !== text.text) changed.set(index, restored);
      });
    }
    return changed.size > 0 ? withAnswerTexts(answer, pieces, changed) : answer;
  }

  async #checkJson(ctx: RequestContext, params: ChatCompletionCreateParams, next: Next, completion: ChatCompletion, guardrail: JsonSchemaGuardrail, expected: { schema: object | undefined }, call: GuardCall): Promise<ChatCompletion> {
    let failed: ReturnType<typeof jsonFailure>;
    try {
      failed = jsonFailure(completion, expected);
    } catch (error) {
      // A schema ajv cannot compile: the guardrail could not decide.
      const refusal = failure(call, guardrail, 'output', { ok: false, reason: 'error', error });
      if (refusal) throw refusal;
      return completion;
    }
    if (!failed) return completion;
    if (!guardrail.repair || guardrail.mode !== 'enforce') {
      const refusal = verdictOf('output', guardrail, 'block', [failed.failure.finding], call);
      if (refusal) throw refusal;
      return completion;
    }
    call.report(guardrail, 'output', 'flag', { [failed.failure.finding]: 1 }, false);
    // One more try, with what was wrong: the same call, so its attempts, usage and cost add up.
    ctx.params = { ...params, messages: [...params.messages, { role: 'assistant', content: failed.text }, { role: 'user', content: repairPrompt(failed.failure) }] };
    let again: Result;
    try {
      again = await next();
    } finally {
      ctx.params = params;
    }
    const repaired = again.kind === 'completion' ? again.completion : undefined;
    const still = repaired ? jsonFailure(repaired, expected) : { failure: { finding: 'invalid_json' as const, problems: [] }, text: '' };
    if (repaired && !still) return repaired;
    const refusal = verdictOf('output', guardrail, 'block', [still?.failure.finding ?? 'invalid_json'], call);
    throw refusal;
  }

  #guardCall(ctx: RequestContext): GuardCall {
    const events = this.#deps.events;
    const judges = this.#judges;
    const complete = this.#deps.complete;
    const subject = { route: ctx.route, principal: ctx.principal, tags: ctx.tags, metadata: ctx.metadata };
    return {
      placeholders: new Placeholders(),
      unredacted: false,
      signal: ctx.signal,
      report(guardrail, phase, verdict, findings, enforced, extra) {
        // A redaction in audit mode changed nothing: what it found is still in the text, which no record may keep as redacted.
        if (verdict === 'redact' && !enforced) this.unredacted = true;
        if (!events.wants('guardrail.verdict')) return;
        const event: GuardrailVerdictEvent = {
          type: 'guardrail.verdict',
          requestId: ctx.requestId,
          timestamp: Date.now(),
          guardrail: guardrail.name,
          phase,
          verdict,
          mode: guardrail.mode,
          enforced,
          findings,
          ...(extra?.reason === undefined ? {} : { reason: extra.reason }),
          ...(extra?.streaming === undefined ? {} : { streaming: extra.streaming }),
        };
        events.emit(event);
      },
      check(phase: GuardrailPhase, texts: readonly GuardedText[], signal: AbortSignal): GuardrailCheck {
        return {
          phase,
          texts,
          call: subject,
          signal,
          async complete(params, options) {
            const judgeOptions: CallOptions = { ...options, signal: options?.signal ? AbortSignal.any([options.signal, signal]) : signal };
            judges.add(judgeOptions);
            const answer = await complete({ ...params, stream: false }, judgeOptions);
            return answer as ChatCompletion;
          },
        };
      },
    };
  }
}

/** The first choice whose content fails the check, with its text. */
function jsonFailure(completion: ChatCompletion, expected: { schema: object | undefined }): { failure: JsonSchemaFailure; text: string } | undefined {
  for (const choice of completion.choices) {
    const text = choice.message.content;
    // A choice that called tools instead of answering has no JSON to check.
    if (typeof text !== 'string') continue;
    const failure = checkJson(text, expected);
    if (failure) return { failure, text };
  }
  return undefined;
}

function repairPrompt(failure: JsonSchemaFailure): string {
  return `Your reply was not accepted: ${failure.problems.join('; ')}. Reply again with only the JSON, matching the required schema exactly.`;
}
