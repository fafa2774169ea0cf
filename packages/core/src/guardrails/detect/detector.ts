// The shape every built-in detector has: find what it looks for in a text, and say how much of a growing text it still needs.

/** One thing a detector found: `text.slice(start, end)` is it. */
export interface Detection {
  /** What kind of thing it is, e.g. `email`, `payment_card`, `openai_api_key`, `instruction_override`. */
  readonly type: string;
  readonly start: number;
  readonly end: number;
  /** For scored detectors (prompt injection): the weight this finding adds; 1 otherwise. */
  readonly score?: number;
}

/**
 * A detector finds one family of things (emails, phone numbers, secrets...) in plain text.
 * It is pure and synchronous: no state between calls, so one instance serves every call.
 */
export interface Detector {
  /** The family, e.g. `pii.email`; its detections carry their own `type`. */
  readonly name: string;
  /** The types its detections may have (for `types` selection and docs). */
  readonly types: readonly string[];
  /** Every detection in `text`, in order of `start`, not overlapping. */
  find(text: string): Detection[];
  /**
   * For a text that is still growing (a stream): the index from which a detection might still
   * begin or be incomplete, so text before it is final and may be passed on; `text.length`
   * when nothing at the end could grow into a detection. Must be cheap on ordinary text: it
   * runs on every streamed chunk.
   */
  pending(text: string): number;
  /** The longest detection it can make, in characters: a stream never holds back more than this. */
  readonly maxLength: number;
}
