// Helpers the detectors share: where the trailing run of some characters starts, and Shannon entropy.

/** Where the run of characters `inRun` accepts that ends `text` starts (`text.length` when the last character is not one). */
export function trailingRun(text: string, inRun: (code: number) => boolean, max: number): number {
  let at = text.length;
  const stop = Math.max(0, text.length - max);
  while (at > stop && inRun(text.charCodeAt(at - 1))) at--;
  return at;
}

/** Bits of entropy per character of `text` (0 for one repeated character; about 5.95 for uniform base62). */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const char of text) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export const isDigit = (code: number) => code >= 48 && code <= 57;
export const isAsciiLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
export const isAsciiAlnum = (code: number) => isDigit(code) || isAsciiLetter(code);
