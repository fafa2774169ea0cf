// The errors guardrails raise: a check that blocked the input or the answer, and one that could not decide and fails closed.
import { brand, GatewayError } from './errors.js';

/** Where a guardrail ran: on what the caller sends (`input`) or on the answer (`output`). */
export type GuardrailPhase = 'input' | 'output';

const counted = (findings: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const type of findings) counts.set(type, (counts.get(type) ?? 0) + 1);
  return [...counts].map(([type, count]) => (count === 1 ? type : `${type} (${count})`)).join(', ');
};

/**
 * A guardrail in `enforce` mode blocked the call. On `input` nothing was sent; on `output` the
 * answer was withheld (a stream ends with this error after the chunks already passed on).
 * It names the guardrail and the kinds of thing it found, never the text itself.
 */
export class GuardrailBlockedError extends GatewayError {
  override name = 'GuardrailBlockedError';
  /** The guardrail's `name` in the config. */
  readonly guardrail: string;
  readonly phase: GuardrailPhase;
  /** What it found, one entry per finding, e.g. `['payment_card', 'email']`: types, not content. */
  readonly findings: readonly string[];
  constructor(guardrail: string, phase: GuardrailPhase, findings: readonly string[], reason?: string) {
    const what = findings.length > 0 ? `it found ${counted(findings)}` : (reason ?? 'it did not pass');
    const consequence = phase === 'input' ? 'Nothing was sent to a provider.' : 'The answer was withheld from here on.';
    super('guardrail_blocked', `Guardrail '${guardrail}' blocked the ${phase === 'input' ? 'request' : 'answer'}: ${what}. ${consequence} Change the content, or the guardrail's config (mode 'audit' reports without blocking).`, false);
    this.guardrail = guardrail;
    this.phase = phase;
    this.findings = findings;
  }
}

/**
 * A guardrail threw or ran past its time bound, and its `onError` is `'fail-closed'` (the
 * default): the call is refused because the check could not be made. `reason` says which.
 */
export class GuardrailFailedError extends GatewayError {
  override name = 'GuardrailFailedError';
  readonly guardrail: string;
  readonly phase: GuardrailPhase;
  readonly reason: 'error' | 'timeout';
  constructor(guardrail: string, phase: GuardrailPhase, reason: 'error' | 'timeout', cause: unknown) {
    const what = reason === 'timeout' ? 'ran past its time bound (timeoutMs)' : `threw ${cause instanceof Error ? cause.name : typeof cause}`;
    super(
      'guardrail_failed',
      `Guardrail '${guardrail}' ${what} on the ${phase === 'input' ? 'request' : 'answer'}, and it fails closed, so the call was refused. Fix the guardrail, raise its timeoutMs, or set onError: 'fail-open'.`,
      reason === 'timeout',
      { cause },
    );
    this.guardrail = guardrail;
    this.phase = phase;
    this.reason = reason;
  }
}

brand(GuardrailBlockedError, 'GuardrailBlockedError');
brand(GuardrailFailedError, 'GuardrailFailedError');
