import type { CallMeta } from './call-meta.js';

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

/** Where the meta comes from: made on first `withMeta()`, so a call that never asks makes none. */
interface MetaSource {
  readonly meta: CallMeta;
}

type Tagged<T> = Promise<T> & { [META]: MetaSource; withMeta(): Promise<WithMeta<T>> };

function withMeta<T>(this: Tagged<T>): Promise<WithMeta<T>> {
  const meta = this[META].meta;
  // Handling `this` also marks its rejection handled: awaiting only withMeta() is enough.
  return this.then((data) => ({ data, meta }));
}

/**
 * Adds `withMeta()` to the call's own promise. It stays a native promise (no subclass), so
 * `await` takes no extra microtask hops on the hot path.
 */
export function toCallPromise<T>(result: Promise<T>, source: MetaSource): CallPromise<T> {
  const tagged = result as Tagged<T>;
  tagged[META] = source;
  tagged.withMeta = withMeta;
  return tagged;
}
