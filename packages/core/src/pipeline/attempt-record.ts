import type { CallWarning, ProviderResponse } from '../adapter/provider-response.js';
import type { Usage } from '../adapter/usage.js';
import type { AttemptInfo, AttemptOutcome, CallCost, EndHook } from './call-meta.js';
import type { EndHookRunner } from './end-hooks.js';

const NO_WARNINGS: readonly CallWarning[] = Object.freeze([]);

/**
 * The pipeline's record of one attempt: written by the executor, the innermost handler and
 * the adapter (through its `CallContext`); middleware only read it, as an `AttemptInfo`
 * once it has ended. `end` runs once.
 */
export class AttemptRecord {
  readonly attempt: number;
  readonly provider: string;
  readonly model: string;
  readonly startedAt: number;
  /** Until the answer or a stream's first chunk (or the failure). */
  latencyMs: number | undefined;
  usage: Usage | undefined;
  response: ProviderResponse | undefined;
  warnings: CallWarning[] | undefined;
  cost: CallCost | undefined;
  outcome: AttemptOutcome | undefined;
  error: unknown;
  durationMs: number | undefined;
  #hooks: Array<EndHook<AttemptInfo>> | undefined;
  #releases: Array<() => void> | undefined;
  #info: AttemptInfo | undefined;

  constructor(attempt: number, provider: string, model: string, startedAt: number) {
    this.attempt = attempt;
    this.provider = provider;
    this.model = model;
    this.startedAt = startedAt;
  }

  get ended(): boolean {
    return this.outcome !== undefined;
  }

  onEnd(hook: EndHook<AttemptInfo>): void {
    (this.#hooks ??= []).push(hook);
  }

  /** The gateway's own clean-up (timers, the provider stream, health bookkeeping): runs first at the end, reads the record itself. */
  onRelease(release: () => void): void {
    (this.#releases ??= []).push(release);
  }

  warn(warning: CallWarning): void {
    (this.warnings ??= []).push(warning);
  }

  /** Ends the attempt once: the gateway's clean-up, then the hooks in the order they were added. */
  end(outcome: AttemptOutcome, error: unknown, now: number, runner: EndHookRunner): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.error = error;
    this.latencyMs ??= now - this.startedAt;
    this.durationMs = now - this.startedAt;
    if (this.#releases) for (const release of this.#releases) release();
    if (this.#hooks) runner.run(this.#hooks, this.info, 'attempt');
  }

  /** A frozen snapshot; kept once the attempt has ended (before that it is made afresh). */
  get info(): AttemptInfo {
    if (this.#info) return this.#info;
    const info: AttemptInfo = Object.freeze({
      attempt: this.attempt,
      provider: this.provider,
      model: this.model,
      outcome: this.outcome ?? 'error',
      error: this.error,
      usage: this.usage,
      latencyMs: this.latencyMs ?? 0,
      durationMs: this.durationMs ?? 0,
      response: this.response,
      warnings: this.warnings ?? NO_WARNINGS,
      cost: this.cost,
    });
    if (this.outcome !== undefined) this.#info = info;
    return info;
  }
}
