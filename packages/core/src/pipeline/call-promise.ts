import type { RequestOutcome } from '../events/events.js';
import type { Usage } from '../adapter/usage.js';

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

export interface WithMeta<T> {
  data: T;
  meta: CallMeta;
}

/**
 * What `create()` returns: a promise of the OpenAI-shaped result that can also hand out
 * the call's meta, like the OpenAI SDK's `withResponse()`.
 */
export interface CallPromise<T> extends Promise<T> {
  /** The result together with the call's meta. For a stream, `meta` fills in as it ends. */
  withMeta(): Promise<WithMeta<T>>;
}

const META = Symbol('switchyard.meta');

type Tagged<T> = Promise<T> & { [META]: CallMeta; withMeta(): Promise<WithMeta<T>> };

function withMeta<T>(this: Tagged<T>): Promise<WithMeta<T>> {
  const meta = this[META];
  // Handling `this` also marks its rejection handled: awaiting only withMeta() is enough.
  return this.then((data) => ({ data, meta }));
}

/**
 * Adds `withMeta()` to the call's own promise. It stays a native promise (no subclass), so
 * `await` takes no extra microtask hops on the hot path.
 */
export function toCallPromise<T>(result: Promise<T>, meta: CallMeta): CallPromise<T> {
  const tagged = result as Tagged<T>;
  tagged[META] = meta;
  tagged.withMeta = withMeta;
  return tagged;
}
