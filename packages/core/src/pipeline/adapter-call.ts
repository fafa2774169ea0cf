import type { CallContext } from '../adapter/adapter.js';
import type { CallWarning, ProviderResponse } from '../adapter/provider-response.js';
import type { Usage } from '../adapter/usage.js';
import type { AttemptRecord } from './attempt-record.js';

/**
 * What an adapter sees of one provider call, and what that call consumed. An attempt usually
 * makes one; an attempt middleware that calls `next()` again makes another, and the attempt's
 * usage is their sum. The request id is only made if the adapter reads it.
 */
export class AdapterCall implements CallContext {
  readonly #requestId: { readonly requestId: string };
  readonly #attempt: AttemptRecord;
  readonly signal: AbortSignal | undefined;
  /** What this provider call consumed, as far as is known. */
  consumed: Usage | undefined;
  /** The adapter reported usage itself: it saw the provider's figures before any middleware. */
  reported = false;
  /** A stream's usage chunk arrived: the usage is the provider's final count, not partial. */
  complete = false;

  constructor(request: { readonly requestId: string }, attempt: AttemptRecord, signal: AbortSignal | undefined) {
    this.#requestId = request;
    this.#attempt = attempt;
    this.signal = signal;
    attempt.calls.push(this);
  }

  get requestId(): string {
    return this.#requestId.requestId;
  }

  response(response: ProviderResponse): void {
    this.#attempt.response = response;
  }

  warn(warning: CallWarning): void {
    this.#attempt.warn(warning);
  }

  usage(usage: Usage): void {
    this.consumed = usage;
    this.reported = true;
  }

  /** A stream's usage chunk as it reached the caller: kept unless the adapter reported usage itself. */
  streamUsage(usage: Usage): void {
    this.complete = true;
    if (!this.reported) this.consumed = usage;
  }
}
