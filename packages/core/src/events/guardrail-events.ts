// The event guardrails emit: one per guardrail that did not simply pass a call's input or answer.
import type { GuardrailPhase } from '../errors/guardrail-errors.js';

/**
 * A guardrail flagged, blocked, redacted or failed on a call. `mode: 'audit'` verdicts were
 * reported only (nothing blocked or changed). `findings` counts what was found by type; no
 * event carries the text itself.
 */
export interface GuardrailVerdictEvent {
  readonly type: 'guardrail.verdict';
  readonly requestId: string;
  readonly timestamp: number;
  /** The guardrail's `name` in the config. */
  readonly guardrail: string;
  readonly phase: GuardrailPhase;
  /** `error`: it threw or timed out (`enforced` says whether the call was refused for it: fail-closed). */
  readonly verdict: 'flag' | 'block' | 'redact' | 'error';
  readonly mode: 'enforce' | 'audit';
  /** Whether the verdict took effect: a block refused the call, a redaction changed the text. `false` in audit mode and for flags. */
  readonly enforced: boolean;
  /** How many of each kind it found, e.g. `{ email: 2 }`. */
  readonly findings: Readonly<Record<string, number>>;
  /** For `error`: `'error'` (it threw) or `'timeout'`. */
  readonly reason?: 'error' | 'timeout';
  /** For a streamed answer: whether the verdict came while the stream was still running (`true`) or at its end. */
  readonly streaming?: boolean;
}
