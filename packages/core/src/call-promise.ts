import type { RequestOutcome } from './events.js';
import type { Usage } from './usage.js';

/** The gateway's information about one call, readable without leaving the OpenAI shape. */
export interface CallMeta {
  readonly requestId: string;
  /** The `model` the caller asked for. */
  readonly route: string;
  /** Provider key and model that served the call (or failed last); set once an attempt starts. */
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly attempts: number;
  /** Set when the call (for streams: the stream) has finished and the provider reported usage. */
  readonly usage: Usage | undefined;
  readonly latencyMs: number | undefined;
  readonly timeToFirstChunkMs: number | undefined;
  /** `undefined` while the call (or its stream) is still running. */
  readonly outcome: RequestOutcome | undefined;
  /** Resolves (never rejects) once the call, including any stream, has finished. */
  readonly finished: Promise<CallMeta>;
}

/** The rejection reason type of the built-in `Promise`, so that callbacks typed for it fit ours. */
type RejectionReason = Parameters<NonNullable<Parameters<Promise<unknown>['catch']>[0]>>[0];

export interface WithMeta<T> {
  data: T;
  meta: CallMeta;
}

/**
 * What `create()` returns: a promise of the OpenAI-shaped result that can also hand out
 * the call's meta, like the OpenAI SDK's `withResponse()`. The work runs once, whichever
 * is awaited.
 */
export class CallPromise<T> extends Promise<T> {
  // Derived promises (then/catch/finally) are plain promises.
  static override get [Symbol.species](): PromiseConstructor {
    return Promise;
  }

  readonly #result: Promise<T>;
  readonly #meta: CallMeta;

  constructor(result: Promise<T>, meta: CallMeta) {
    // The base promise stays unused so that awaiting only `withMeta()` leaves no unhandled rejection.
    super((resolve) => resolve(undefined as T));
    this.#result = result;
    this.#meta = meta;
  }

  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: RejectionReason) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#result.then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: RejectionReason) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#result.catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#result.finally(onfinally);
  }

  /** The result together with the call's meta. For a stream, `meta` fills in as it ends. */
  withMeta(): Promise<WithMeta<T>> {
    return this.#result.then((data) => ({ data, meta: this.#meta }));
  }
}
