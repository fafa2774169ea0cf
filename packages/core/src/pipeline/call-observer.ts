// What watches a call from the inside (telemetry): it runs the request chain and each attempt's, and sees the answer before the caller does.
import type { AttemptContext, Next, Result } from './middleware.js';

/**
 * Set on a call's record when the call is observed (an OpenTelemetry SDK is registered). The
 * pipeline hands it the request chain, each attempt's chain and the answer; an unobserved call
 * pays one field read for each.
 */
export interface CallObserver {
  /** Runs the request chain (for telemetry: inside the request span's context). */
  run(chain: () => Promise<Result>): Promise<Result>;
  /** Runs one attempt's chain (for telemetry: inside the attempt's span). */
  attempt(ctx: AttemptContext, next: Next): Promise<Result>;
  /** The request chain's answer on its way to the caller; a stream may be wrapped. */
  answered(result: Result): Result;
}
