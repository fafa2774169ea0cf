// Several detectors as one: every detection they make in a text (less those an allow list lets through), and what a growing text must hold back for them.
import type { Detection, Detector } from './detect/detector.js';

export class DetectionScan {
  readonly #detectors: readonly Detector[];
  readonly #allow: readonly RegExp[];
  /** The longest detection any of them makes: a stream never holds back more. */
  readonly maxLength: number;

  constructor(detectors: readonly Detector[], allow: readonly RegExp[] = []) {
    this.#detectors = detectors;
    this.#allow = allow.map((pattern) => (pattern.global || pattern.sticky ? new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, '')) : pattern));
    this.maxLength = Math.max(0, ...detectors.map((detector) => detector.maxLength));
  }

  find(text: string): Detection[] {
    let found: Detection[] | undefined;
    for (const detector of this.#detectors) {
      const detections = detector.find(text);
      if (detections.length === 0) continue;
      if (found === undefined) found = detections;
      else found.push(...detections);
    }
    if (found === undefined) return [];
    if (this.#allow.length === 0) return found;
    return found.filter((detection) => !this.#allow.some((pattern) => pattern.test(text.slice(detection.start, detection.end))));
  }

  /** Where text still growing might hold the start of a detection: before it, the text is final. Never more than `maxLength` back. */
  pending(text: string): number {
    let at = text.length;
    for (const detector of this.#detectors) {
      const pending = detector.pending(text);
      if (pending < at) at = pending;
    }
    return Math.max(at, text.length - this.maxLength);
  }
}
