import { TimeoutError } from './errors.js';

/**
 * The signal a call passes to its SDK when it has a timeout: it aborts when the caller's
 * signal does or when the deadline passes, and remembers which one it was.
 */
export class CallSignal {
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #userSignal: AbortSignal | undefined;
  readonly #onUserAbort = (): void => this.#controller.abort(this.#userSignal?.reason);
  timedOut = false;

  constructor(timeoutMs: number, userSignal: AbortSignal | undefined) {
    this.#userSignal = userSignal;
    this.#timer = setTimeout(() => {
      this.timedOut = true;
      this.#controller.abort(new TimeoutError(timeoutMs));
    }, timeoutMs);
    // A forgotten stream must not keep the process alive.
    this.#timer.unref();
    if (userSignal) {
      if (userSignal.aborted) this.#controller.abort(userSignal.reason);
      else userSignal.addEventListener('abort', this.#onUserAbort, { once: true });
    }
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#userSignal?.removeEventListener('abort', this.#onUserAbort);
  }
}
