// What a guardrail needs of the call it guards: its placeholders, how verdicts are reported, and what a custom check is given.
import type { GatewayError } from '../errors/errors.js';
import { GuardrailFailedError, type GuardrailPhase } from '../errors/guardrail-errors.js';
import type { GuardrailVerdictEvent } from '../events/guardrail-events.js';
import type { CompiledGuardrail } from './compiled-guardrail.js';
import type { GuardedText } from './guarded-text.js';
import type { GuardrailCheck } from './guardrail-options.js';
import type { Placeholders } from './redaction.js';
import type { Bounded } from './time-bound.js';

/** Counts findings by type, for events (never the text). */
export function countFindings(types: Iterable<string>, into: Record<string, number> = {}): Record<string, number> {
  for (const type of types) into[type] = (into[type] ?? 0) + 1;
  return into;
}

export interface GuardCall {
  readonly placeholders: Placeholders;
  /** Set by `report` when a redaction in audit mode found something it left in place. */
  unredacted: boolean;
  /** The caller's signal: a custom check's own signal aborts with it too. */
  readonly signal: AbortSignal | undefined;
  report(guardrail: CompiledGuardrail, phase: GuardrailPhase, verdict: GuardrailVerdictEvent['verdict'], findings: Record<string, number>, enforced: boolean, extra?: Pick<GuardrailVerdictEvent, 'reason' | 'streaming'>): void;
  /** What a custom check is given for `texts`, with the signal of its time bound. */
  check(phase: GuardrailPhase, texts: readonly GuardedText[], signal: AbortSignal): GuardrailCheck;
}

/**
 * A check that threw or timed out: reported, and, when the guardrail fails closed and is
 * enforced, the error that refuses the call; `undefined` when the call goes on.
 */
export function failure(call: GuardCall, guardrail: CompiledGuardrail, phase: GuardrailPhase, result: Extract<Bounded<unknown>, { ok: false }>, streaming?: boolean): GatewayError | undefined {
  const refuses = guardrail.failClosed && guardrail.mode === 'enforce';
  call.report(guardrail, phase, 'error', {}, refuses, { reason: result.reason, ...(streaming === undefined ? {} : { streaming }) });
  return refuses ? new GuardrailFailedError(guardrail.name, phase, result.reason, result.error) : undefined;
}
