import type { CallWarning, ProviderResponse } from '../adapter/provider-response.js';
import type { Usage } from '../adapter/usage.js';
import type { AdapterCall } from './adapter-call.js';
import type { CallCost } from '../cost/call-cost.js';
import type { AttemptInfo, AttemptOutcome, EndHook } from './call-meta.js';
import type { CallSignal } from './call-signal.js';
import type { EndHookRunner } from './end-hooks.js';
import { sumUsage } from './usage-sum.js';

const NO_WARNINGS: readonly CallWarning[] = Object.freeze([]);

/**
 * The pipeline's record of one attempt: written by the executor, the innermost handler and
 * the adapter (through its `AdapterCall`); middleware only read it, as an `AttemptInfo`
 * once it has ended. `end` runs once.
 */
export class AttemptRecord {
  readonly attempt: number;
  readonly provider: string;
  readonly model: string;
  /** The target's region, when the config gives it one (residency). */
  readonly region: string | undefined;
  readonly startedAt: number;
  /** The provider calls made for this attempt (one, unless an attempt middleware called `next()` again). */
  readonly calls: AdapterCall[] = [];
  /** Until the answer or a stream's first chunk (or the failure). */
  latencyMs: number | undefined;
  response: ProviderResponse | undefined;
  warnings: CallWarning[] | undefined;
  cost: CallCost | undefined;
  outcome: AttemptOutcome | undefined;
  error: unknown;
  durationMs: number | undefined;
  /** The object the provider call answered with (a completion, embeddings, a primed stream), to tell which attempt served. */
  answer: object | undefined;
  /** The provider call that made `answer`. */
  answerCall: AdapterCall | undefined;
  /** A stream attempt's own signal, which an idle stream is cut through. */
  signal: CallSignal | undefined;
  /** A stream that ended without its usage chunk: the estimate its cost was priced from. */
  estimatedUsage: Usage | undefined;
  readonly #runner: EndHookRunner;
  #hooks: Array<EndHook<AttemptInfo>> | undefined;
  #releases: Array<() => void> | undefined;
  #info: AttemptInfo | undefined;

  constructor(attempt: number, provider: string, model: string, startedAt: number, runner: EndHookRunner, region?: string) {
    this.attempt = attempt;
    this.provider = provider;
    this.model = model;
    this.region = region;
    this.startedAt = startedAt;
    this.#runner = runner;
  }

  get ended(): boolean {
    return this.outcome !== undefined;
  }

  /** What the attempt consumed: the sum over its provider calls. */
  get usage(): Usage | undefined {
    const calls = this.calls;
    if (calls.length <= 1) return calls[0]?.consumed;
    return sumUsage(calls.map((call) => call.consumed));
  }

  /** What the attempt is billed for: its usage, or the estimate of a stream cut before its usage chunk. */
  get billedUsage(): Usage | undefined {
    return this.estimatedUsage ?? this.usage;
  }

  /** Runs `hook` when the attempt ends, or at once if it already has. */
  onEnd(hook: EndHook<AttemptInfo>): void {
    if (this.outcome !== undefined) this.#runner.run([hook], this.info, 'attempt');
    else (this.#hooks ??= []).push(hook);
  }

  /** The gateway's own clean-up (timers, the provider stream, health bookkeeping): runs first at the end, reads the record itself. */
  onRelease(release: () => void): void {
    if (this.outcome !== undefined) release();
    else (this.#releases ??= []).push(release);
  }

  /** Warnings arrive while the attempt runs; once it has ended its list is fixed. */
  warn(warning: CallWarning): void {
    if (this.outcome === undefined) (this.warnings ??= []).push(warning);
  }

  /** Ends the attempt once: the gateway's clean-up, then the hooks in the order they were added. */
  end(outcome: AttemptOutcome, error: unknown, now: number): void {
    if (this.outcome !== undefined) return;
    this.outcome = outcome;
    this.error = error;
    this.latencyMs ??= now - this.startedAt;
    this.durationMs = now - this.startedAt;
    if (this.warnings) Object.freeze(this.warnings);
    if (this.#releases) for (const release of this.#releases) release();
    if (this.#hooks) this.#runner.run(this.#hooks, this.info, 'attempt');
  }

  /** A frozen snapshot; kept once the attempt has ended (before that it is made afresh). */
  get info(): AttemptInfo {
    if (this.#info) return this.#info;
    const info: AttemptInfo = Object.freeze({
      attempt: this.attempt,
      provider: this.provider,
      model: this.model,
      region: this.region,
      outcome: this.outcome ?? 'error',
      error: this.error,
      usage: this.usage,
      latencyMs: this.latencyMs ?? 0,
      durationMs: this.durationMs ?? 0,
      response: this.response,
      warnings: this.warnings ? (this.outcome === undefined ? [...this.warnings] : this.warnings) : NO_WARNINGS,
      cost: this.cost,
    });
    if (this.outcome !== undefined) this.#info = info;
    return info;
  }
}
