// What a real fetch rejects with (and errors its body with) when the caller's signal aborts.

/** The signal's reason (an `AbortError` `DOMException` when `abort()` was called with none), as undici's fetch does. */
export function abortReason(signal: AbortSignal): unknown {
  const reason: unknown = signal.reason;
  return reason === undefined ? new DOMException('This operation was aborted', 'AbortError') : reason;
}
