import { TimeoutError } from '../errors/errors.js';

/**
 * A signal for a call or one attempt: it aborts when the outer signal does or when the
 * deadline passes (if there is one), and remembers which it was. Attempts get their own
 * so that a timed-out try can be dropped while the call goes on to the next.
 */
export class CallSignal {
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  readonly #userSignal: AbortSignal | undefined;
  readonly #onUserAbort = (): void => this.#controller.abort(this.#userSignal?.reason);
  timedOut = false;

  constructor(timeoutMs: number | undefined, userSignal: AbortSignal | undefined) {
    this.#userSignal = userSignal;
    if (timeoutMs !== undefined) {
      this.#timer = setTimeout(() => this.expire(timeoutMs), timeoutMs);
      // A forgotten stream must not keep the process alive.
      this.#timer.unref();
    }
    if (userSignal) {
      if (userSignal.aborted) this.#controller.abort(userSignal.reason);
      else userSignal.addEventListener('abort', this.#onUserAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Aborts now with a `TimeoutError` (a deadline, or a stream gone idle). */
  expire(timeoutMs: number): void {
    if (this.#controller.signal.aborted) return;
    this.timedOut = true;
    this.#controller.abort(new TimeoutError(timeoutMs));
  }

  /** The deadline no longer applies (the attempt has its answer); the link to the outer signal stays. */
  stopTimer(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  dispose(): void {
    this.stopTimer();
    this.#userSignal?.removeEventListener('abort', this.#onUserAbort);
  }
}
