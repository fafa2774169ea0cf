import { abortable } from './abortable.js';
import type { ExactCacheEntry } from './exact-cache-entry.js';

/**
 * How a call that others waited on ended, for them: its answer; its failure, which each of
 * them gets a copy of; or `retry` when it ended without an answer for reasons of its own
 * (its caller aborted or left the stream, its own deadline passed), which says nothing about
 * what the followers would get, so they look again (and one of them leads).
 */
export type FlightOutcome = { kind: 'answer'; entry: ExactCacheEntry } | { kind: 'error'; error: unknown } | { kind: 'retry' };

/** One miss in flight: identical calls that arrive meanwhile wait for its outcome instead of calling the provider. */
export class Flight {
  /** Where its answer goes: the namespace's key prefix and the key. */
  readonly slot: string;
  /** Invalidated while in flight: the followers still get the answer, but it is not stored. */
  invalidated = false;
  readonly #outcome: Promise<FlightOutcome>;
  #resolve: ((outcome: FlightOutcome) => void) | undefined;
  #settled = false;

  constructor(slot: string) {
    this.slot = slot;
    this.#outcome = new Promise((resolve) => (this.#resolve = resolve));
  }

  get settled(): boolean {
    return this.#settled;
  }

  /** Once; later outcomes are ignored. */
  settle(outcome: FlightOutcome): void {
    if (this.#settled) return;
    this.#settled = true;
    this.#resolve?.(outcome);
    this.#resolve = undefined;
  }

  /** The outcome; rejects with the signal's reason if the follower's own call is aborted or times out first. */
  wait(signal: AbortSignal | undefined): Promise<FlightOutcome> {
    return abortable(this.#outcome, signal);
  }
}

/**
 * A copy of an error for one more caller: the same class, message, code and fields, but its
 * own object, since the gateway stamps each caller's request id on the error it throws.
 */
export function copyError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const copy: unknown = Object.create(Object.getPrototypeOf(error) as object | null, Object.getOwnPropertyDescriptors(error));
  return copy;
}
