// How found text is replaced: by a numbered placeholder per kind, by a mask, or reversibly (the placeholders are restored in the answer).
import type { Detection } from './detect/detector.js';

export type RedactionStyle = 'placeholder' | 'mask' | 'reversible';

/**
 * One call's placeholders: the same value gets the same placeholder everywhere in the call
 * (input and answer), numbered per kind in order of appearance (`[EMAIL_1]`, `[EMAIL_2]`).
 * For reversible redaction it remembers each original, to restore it in the answer.
 */
export class Placeholders {
  readonly #byValue = new Map<string, string>();
  readonly #originals = new Map<string, string>();
  readonly #counts = new Map<string, number>();
  /** The longest placeholder made, so a stream knows how much to hold back while restoring. */
  longest = 0;

  placeholderFor(type: string, value: string, reversible: boolean): string {
    const key = `${type}\u0000${value}`;
    let placeholder = this.#byValue.get(key);
    if (placeholder === undefined) {
      const count = (this.#counts.get(type) ?? 0) + 1;
      this.#counts.set(type, count);
      placeholder = `[${type.toUpperCase()}_${count}]`;
      this.#byValue.set(key, placeholder);
      this.longest = Math.max(this.longest, placeholder.length);
    }
    if (reversible) this.#originals.set(placeholder, value);
    return placeholder;
  }

  /** `text` with each original a reversible placeholder stands for replaced by it again (for records kept after the answer was restored). */
  redactOriginals(text: string): string {
    let out = text;
    for (const [placeholder, original] of this.#originals) out = out.split(original).join(placeholder);
    return out;
  }

  /** Whether any placeholder is to be restored in the answer. */
  get restores(): boolean {
    return this.#originals.size > 0;
  }

  /** `text` with every reversible placeholder it holds replaced by its original. */
  restore(text: string): string {
    if (this.#originals.size === 0 || !text.includes('[')) return text;
    return text.replace(PLACEHOLDER, (match) => this.#originals.get(match) ?? match);
  }

  /** For a growing text: where a placeholder may have begun but not yet closed (`text.length` when none). */
  pending(text: string): number {
    const open = text.lastIndexOf('[');
    if (open < 0 || text.indexOf(']', open) >= 0 || text.length - open >= this.longest) return text.length;
    return open;
  }
}

const PLACEHOLDER = /\[[A-Z0-9_]+_\d+\]/g;

/**
 * How an answer is redacted: never reversibly. Only what the caller sent is restored in the
 * answer; a value the model produced stays a placeholder.
 */
export function outputStyle(style: RedactionStyle): RedactionStyle {
  return style === 'reversible' ? 'placeholder' : style;
}

/** Letters and digits masked, punctuation kept, so the shape stays: `****@*******.***`. */
export function mask(value: string): string {
  return value.replace(/[\p{L}\p{N}]/gu, '*');
}

/**
 * `text` with each detection replaced. Detections from several detectors may overlap: the one
 * that starts first wins (the longer on a tie), and any it overlaps is dropped.
 */
export function redact(text: string, detections: readonly Detection[], style: RedactionStyle, placeholders: Placeholders): string {
  if (detections.length === 0) return text;
  const ordered = detections.length === 1 ? detections : [...detections].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let at = 0;
  for (const detection of ordered) {
    if (detection.start < at) continue;
    const value = text.slice(detection.start, detection.end);
    out += text.slice(at, detection.start) + (style === 'mask' ? mask(value) : placeholders.placeholderFor(detection.type, value, style === 'reversible'));
    at = detection.end;
  }
  return out + text.slice(at);
}
