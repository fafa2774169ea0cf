// The hook through which a feature (governance) admits or refuses each target before the executor tries it.
import type { GatewayError } from '../errors/errors.js';

/** What a gate knows of a target: its id (`'<provider>/<model>'`), its parts and its region. */
export interface GateTarget {
  readonly id: string;
  readonly provider: string;
  readonly model: string;
  readonly region?: string | undefined;
}

/**
 * Admits or refuses a target before its first attempt, once per target a call tries. A refusal
 * is an error saying why; the executor skips that target and, when no target is left, throws
 * the first refusal. Nothing has been sent to a refused target. A gate that reserves something
 * for the target releases it itself when the call ends (its end hook).
 */
export interface TargetGate {
  admit(target: GateTarget): GatewayError | undefined | Promise<GatewayError | undefined>;
}
