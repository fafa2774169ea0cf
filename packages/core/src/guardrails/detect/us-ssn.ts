// US Social Security numbers: AAA-GG-SSSS outside the ranges never issued; nine bare digits only right after "SSN" or "social security".
import type { Detection, Detector } from './detector.js';
import { asciiClass, hasDigitFrom, isDigit, trailingRun } from './text-runs.js';

const DASHED = /(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d]|-\d)/g;
const BARE = /\b(?:ssn|social security(?: number| no\.?)?)\s*(?:is|:|#|=)?\s*(\d{3})[ ]?(\d{2})[ ]?(\d{4})(?!\d)/gi;

function issuable(area: string, group: string, serial: string): boolean {
  const a = Number(area);
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000';
}

const inSsn = asciiClass((code) => isDigit(code) || code === 45 || code === 32);

/** `abc` as a pattern of its prefixes: `a(?:b(?:c)?)?`. */
const prefixes = (word: string): string => [...word].reduceRight((rest, char) => `${char.replace(/[.]/g, '\\$&')}${rest ? `(?:${rest})?` : ''}`, '');
/**
 * The words a bare number needs, at the end of a growing text (whole or still being written, with the start of the number):
 * held with the number, so that the part passed on as final is never a bare number without the words that make it one.
 */
const WORDS_IN_PROGRESS = new RegExp(`\\b(?:${['ssn', 'social security number', 'social security no.'].map(prefixes).join('|')})$|\\b(?:ssn|social security(?: number| no\\.?)?)\\s*(?:is?|:|#|=)?\\s*[\\d -]*$`, 'i');

export const usSsnDetector: Detector = {
  name: 'pii.us_ssn',
  types: ['us_ssn'],
  maxLength: 40,
  find(text) {
    if (!/\d{3}/.test(text)) return [];
    const found: Detection[] = [];
    for (const match of text.matchAll(DASHED)) {
      if (issuable(match[1] as string, match[2] as string, match[3] as string)) found.push({ type: 'us_ssn', start: match.index, end: match.index + match[0].length });
    }
    for (const match of text.matchAll(BARE)) {
      if (!issuable(match[1] as string, match[2] as string, match[3] as string)) continue;
      const digitsAt = match.index + match[0].search(/\d/);
      if (!found.some((detection) => detection.start === digitsAt)) found.push({ type: 'us_ssn', start: digitsAt, end: match.index + match[0].length });
    }
    return found.sort((a, b) => a.start - b.start);
  },
  pending(text) {
    const at = trailingRun(text, inSsn, 12);
    const words = WORDS_IN_PROGRESS.exec(text.length > 40 ? text.slice(-40) : text);
    if (words) return Math.min(at, text.length - (text.length > 40 ? 40 : text.length) + words.index);
    return at < text.length && hasDigitFrom(text, at) ? at : text.length;
  },
};
