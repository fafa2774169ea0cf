import type { CallWarning, ProviderResponse } from '../adapter/provider-response.js';
import type { Usage } from '../adapter/usage.js';
import type { AbandonReason, RequestOutcome } from '../events/events.js';
import type { CallCost } from '../cost/call-cost.js';
import type { AttemptInfo, CallEnd, CallMeta, ServedBy } from './call-meta.js';
import type { CallRecord } from './call-record.js';
import { CallWindow } from './call-window.js';

/** The caller's read-only window on a call record: it fills in as the call (and its stream) runs. */
export class CallMetaView extends CallWindow implements CallMeta {
  readonly #record: CallRecord;

  constructor(record: CallRecord) {
    super(record);
    this.#record = record;
  }

  get provider(): string | undefined {
    return this.#record.provider;
  }
  get model(): string | undefined {
    return this.#record.model;
  }
  get region(): string | undefined {
    return this.#record.region;
  }
  get attempts(): number {
    return this.#record.attemptRecords.length;
  }
  get attemptHistory(): readonly AttemptInfo[] {
    return this.#record.attemptRecords.filter((attempt) => attempt.ended).map((attempt) => attempt.info);
  }
  get usage(): Usage | undefined {
    return this.#record.usage;
  }
  get totalUsage(): Usage | undefined {
    return this.#record.totalUsage;
  }
  get served(): ServedBy | undefined {
    return this.#record.served;
  }
  get response(): ProviderResponse | undefined {
    const record = this.#record;
    return record.serving?.response ?? record.attemptRecords.at(-1)?.response;
  }
  get warnings(): readonly CallWarning[] {
    return this.#record.warnings;
  }
  get cost(): CallCost | undefined {
    return this.#record.cost;
  }
  get latencyMs(): number | undefined {
    return this.#record.latencyMs;
  }
  get timeToFirstChunkMs(): number | undefined {
    return this.#record.timeToFirstChunkMs;
  }
  get outcome(): RequestOutcome | undefined {
    return this.#record.outcome;
  }
  get finished(): Promise<CallMeta> {
    return this.#record.finished;
  }
  /** Plain data for logs: `JSON.stringify(meta)` and `console.log` show the fields, not a class shell. */
  toJSON(): Omit<CallMeta, 'finished'> {
    return {
      requestId: this.requestId,
      route: this.route,
      provider: this.provider,
      model: this.model,
      region: this.region,
      attempts: this.attempts,
      attemptHistory: this.attemptHistory,
      usage: this.usage,
      totalUsage: this.totalUsage,
      served: this.served,
      response: this.response,
      warnings: this.warnings,
      cost: this.cost,
      latencyMs: this.latencyMs,
      timeToFirstChunkMs: this.timeToFirstChunkMs,
      outcome: this.outcome,
    };
  }
}

/** What end hooks receive: the same view, for a call that has ended. */
export class CallEndView extends CallMetaView implements CallEnd {
  readonly #record: CallRecord;
  readonly #outcome: RequestOutcome;
  readonly #latencyMs: number;

  constructor(record: CallRecord, outcome: RequestOutcome, latencyMs: number) {
    super(record);
    this.#record = record;
    this.#outcome = outcome;
    this.#latencyMs = latencyMs;
  }

  override get outcome(): RequestOutcome {
    return this.#outcome;
  }
  override get latencyMs(): number {
    return this.#latencyMs;
  }
  get abandoned(): AbandonReason | undefined {
    return this.#record.abandoned;
  }
  get error(): unknown {
    return this.#record.error;
  }
}
