// Test-only helper: checks a detector's streaming contract, that `pending` never lets any part of a detection become final.
import { expect } from 'vitest';
import type { Detection, Detector } from './detector.js';

const describe = (text: string, detection: Detection) => `${detection.type} [${detection.start}, ${detection.end}) ${JSON.stringify(text.slice(detection.start, detection.end))}`;

/**
 * Every way `detector.pending` breaks its contract on the prefixes of `text`:
 * (a) `pending(prefix)` lies in `[prefix.length - maxLength, prefix.length]`;
 * (b) no detection of the full text starts before `pending(prefix)` and ends after it.
 * And, fed one character at a time the way a stream stage is (held text plus the new chunk,
 * final text scanned on its own), (c) every character of every detection of the full text
 * lies in a detection found in the final text it was passed on with; and (d) fed in chunks of
 * 1 to 7 characters, what is found adds up to exactly the detections of the full text (none
 * more: a detector that looks at the text before a match must hold that back too).
 */
export function pendingViolations(detector: Detector, text: string): string[] {
  const problems: string[] = [];
  const detections = detector.find(text);
  for (let length = 0; length <= text.length; length++) {
    const prefix = text.slice(0, length);
    const at = detector.pending(prefix);
    if (!Number.isInteger(at) || at < Math.max(0, length - detector.maxLength) || at > length) {
      problems.push(`(a) pending(${JSON.stringify(prefix.slice(-60))}) = ${at}, not within [${Math.max(0, length - detector.maxLength)}, ${length}]`);
      continue;
    }
    for (const detection of detections) {
      if (detection.start < at && detection.end > at) problems.push(`(b) pending(${JSON.stringify(prefix.slice(-60))}) = ${at} makes part of ${describe(text, detection)} final`);
    }
  }
  // (c) The stream: what was held plus the new character; what `pending` says is final is scanned as it is.
  const covered = new Uint8Array(text.length);
  let held = 0;
  const settle = (from: number, to: number) => {
    for (const found of detector.find(text.slice(from, to))) covered.fill(1, from + found.start, from + found.end);
  };
  for (let length = 1; length <= text.length; length++) {
    const final = held + detector.pending(text.slice(held, length));
    if (final > held) settle(held, final);
    held = Math.max(held, final);
  }
  if (held < text.length) settle(held, text.length);
  for (const detection of detections) {
    if (covered.subarray(detection.start, detection.end).includes(0)) problems.push(`(c) streamed one character at a time, part of ${describe(text, detection)} is passed on undetected`);
  }
  // (d) Fed in chunks of 1 to 7 characters, the stream finds exactly what the whole text holds: no more (context cut off), no less.
  const expected = detections.map((detection) => describe(text, detection)).join('; ');
  for (let size = 1; size <= 7; size++) {
    const actual = streamed(detector, text, size).map((detection) => describe(text, detection)).join('; ');
    if (actual !== expected) problems.push(`(d) in chunks of ${size}: found [${actual}], the whole text holds [${expected}]`);
  }
  return problems.slice(0, 8);
}

/** What a stream stage finds, fed `text` in chunks of `size` (held text plus the chunk, capped at `maxLength`), in offsets of the whole text. */
function streamed(detector: Detector, text: string, size: number): Detection[] {
  const found: Detection[] = [];
  let held = '';
  let offset = 0;
  const settle = (final: string) => {
    for (const detection of detector.find(final)) found.push({ ...detection, start: detection.start + offset, end: detection.end + offset });
    offset += final.length;
  };
  for (let at = 0; at < text.length; at += size) {
    const all = held + text.slice(at, at + size);
    const final = Math.max(detector.pending(all), all.length - detector.maxLength);
    settle(all.slice(0, final));
    held = all.slice(final);
  }
  settle(held);
  return found;
}

/** Asserts the streaming contract of `pendingViolations` on `text`. */
export function expectPendingContract(detector: Detector, text: string): void {
  expect(pendingViolations(detector, text), JSON.stringify(text)).toEqual([]);
}

/** Text that looks like what the detectors find and is not: none of the built-in detectors may find anything in any of these. */
export const LOOK_ALIKES: readonly string[] = [
  'The migration ran on 2026-12-02, again on 02/12/2026 and once more on 12.02.2026.',
  'It started at 12:30:45 and ended at 23:59:59 UTC.',
  'Upgrade from 1.2.3 to v10.0.1.2 before the freeze; version 4.18.2.1 is also fine.',
  'Order ORD-2024-000123 and invoice INV 4471 0098 were paid together.',
  'The bundle costs $1,234.56 in the US and €1.234,56 in Germany.',
  'Product code SKU 555-0199-12 is back in stock.',
  'Request 3f2b8c1e-9a4d-4e7b-b2c6-5d8e1f0a7c93 failed and was retried.',
  'The image digest is sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 and the commit is 4a5e1e4baab89f3a32518a88c31bc87f618f7667 (short 4a5e1e4).',
  'In C++ write `a::b` or `std::vector<int>`; in TypeScript install `@types/node` and mark the class `@Component`.',
  'Clone git@github.com:org/repo.git and push to origin.',
  'The icon is inlined as data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg== in the stylesheet.',
  'Deliveries go to 221 Maple Street, Springfield 49201, and to Hauptstraße 12, 10115 Berlin.',
  'Die Lieferung kommt am Dienstag; bitte unterschreiben Sie den Empfang. La réunion est reportée à jeudi. 会議は木曜日に延期されました。',
  'Set OPENAI_API_KEY=sk-your-key-here, or use the documented AKIAIOSFODNN7EXAMPLE, or sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx as a placeholder.',
];

/** Ordinary prose, ending in a space: a stream must not hold any of it back for a PII detector. */
export const CLEAN_PROSE = 'We walked along the river after lunch, talked about the garden and the new library, and agreed to meet again next week. ';
