// Runs a guardrail's check under its time bound, with a signal that aborts at the bound or when the caller gives up.

/** How a bounded check ended: its value, or why there is none. */
export type Bounded<T> = { ok: true; value: T } | { ok: false; reason: 'error' | 'timeout'; error: unknown };

/** A check that answers synchronously costs no timer; one that returns a promise races `timeoutMs`. */
export function withinTimeBound<T>(timeoutMs: number, callerSignal: AbortSignal | undefined, check: (signal: AbortSignal) => T | Promise<T>): Bounded<T> | Promise<Bounded<T>> {
  const controller = new AbortController();
  const signal = callerSignal ? AbortSignal.any([controller.signal, callerSignal]) : controller.signal;
  let returned: T | Promise<T>;
  try {
    returned = check(signal);
  } catch (error) {
    return { ok: false, reason: 'error', error };
  }
  if (!(returned instanceof Promise)) return { ok: true, value: returned };
  return new Promise<Bounded<T>>((resolve) => {
    const timer = setTimeout(() => {
      const error = new Error(`timed out after ${timeoutMs} ms`);
      controller.abort(error);
      resolve({ ok: false, reason: 'timeout', error });
    }, timeoutMs);
    returned.then(
      (value) => {
        clearTimeout(timer);
        resolve({ ok: true, value });
      },
      (error: unknown) => {
        clearTimeout(timer);
        resolve({ ok: false, reason: controller.signal.aborted ? 'timeout' : 'error', error });
      },
    );
  });
}
