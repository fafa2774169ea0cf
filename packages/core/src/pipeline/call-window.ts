import type { Principal, RequestMetadata } from '../contract/call-options.js';
import type { CallRecord } from './call-record.js';
import type { Operation } from './middleware.js';

/**
 * What every read-only view of a call shows of who asked for what: the base of the middleware's
 * `RequestContext`, the caller's `CallMeta` and the end hooks' `CallEnd`. It reads through to the
 * record and keeps it private.
 */
export class CallWindow {
  readonly #record: CallRecord;

  constructor(record: CallRecord) {
    this.#record = record;
  }

  get requestId(): string {
    return this.#record.requestId;
  }
  /** The `model` the caller asked for (a route name or `<provider>/<model>`), as first given. */
  get route(): string {
    return this.#record.route;
  }
  get operation(): Operation {
    return this.#record.operation;
  }
  get stream(): boolean {
    return this.#record.stream;
  }
  get principal(): Principal | undefined {
    return this.#record.principal;
  }
  get metadata(): RequestMetadata {
    return this.#record.metadata;
  }
  get tags(): readonly string[] {
    return this.#record.tags;
  }
}
