// Character classes and trailing runs of them: what the detectors' `pending` holds back, cheaply.

/** A test of one UTF-16 code unit. */
export type CharTest = (code: number) => boolean;

export const isDigit = (code: number): boolean => code >= 48 && code <= 57;
export const isAsciiLetter = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
export const isAsciiAlnum = (code: number): boolean => isDigit(code) || isAsciiLetter(code);
export const isWhitespace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || code === 0x2028 || code === 0x2029 || code === 0x3000 || code === 0xfeff;

/** A set of ASCII characters as a lookup table (1: in the set), the fastest test in a loop. */
export function asciiClass(member: CharTest): Uint8Array {
  const table = new Uint8Array(128);
  for (let code = 0; code < 128; code++) table[code] = member(code) ? 1 : 0;
  return table;
}

/**
 * Where the run of `chars` (an `asciiClass`) that ends `text` begins, looking back at most
 * `limit` characters: a detection is never longer, so an older start cannot matter.
 */
export function trailingRun(text: string, chars: Uint8Array, limit: number): number {
  const stop = Math.max(0, text.length - limit);
  let at = text.length;
  while (at > stop) {
    const code = text.charCodeAt(at - 1);
    if (code > 127 || chars[code] === 0) break;
    at--;
  }
  return at;
}

/** `trailingRun` for a class beyond ASCII, as a test. */
export function trailingRunStart(text: string, inRun: CharTest, limit: number): number {
  const stop = Math.max(0, text.length - limit);
  let at = text.length;
  while (at > stop && inRun(text.charCodeAt(at - 1))) at--;
  return at;
}

/** Whether `text` has a digit at or after `from`. */
export function hasDigitFrom(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) if (isDigit(text.charCodeAt(i))) return true;
  return false;
}

/** The run and the character before it, unless that is whitespace (which reads like the start of the text). */
export function withCharBefore(text: string, runStart: number): number {
  if (runStart === 0 || runStart === text.length) return runStart;
  return isWhitespace(text.charCodeAt(runStart - 1)) ? runStart : runStart - 1;
}

/**
 * Where to hold a trailing run back from when the detector looks at the character before a
 * match (a letter before digits makes them part of a code): the run without its leading
 * whitespace, or, when it has none, with the character before it unless that is whitespace
 * (which reads like the start of the text).
 */
export function runWithContext(text: string, runStart: number): number {
  let at = runStart;
  while (at < text.length && isWhitespace(text.charCodeAt(at))) at++;
  return at > runStart ? at : withCharBefore(text, at);
}
