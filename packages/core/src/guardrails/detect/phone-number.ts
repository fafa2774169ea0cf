// Phone numbers, found and validated by libphonenumber-js, with guards against order numbers, dates and codes that look like them.
import { findPhoneNumbersInText, type CountryCode } from 'libphonenumber-js';
import type { Detection, Detector } from './detector.js';
import { isDigit, trailingRun } from './text-runs.js';

/** Words that, just before a number, say it is an identifier rather than a phone number. */
const IDENTIFIER_BEFORE = /(?:\b(?:order|invoice|inv|ref|reference|sku|id|no|nr|number|ticket|case|account|acct|serial|part|item|po|isbn|issn|version|build|release)\b[\s.:#-]*|#\s*)$/i;
/** The number is glued to an identifier: `ORD-2024-000123`, `A1-555-0199`. */
const GLUED_BEFORE = /[\p{L}\d_]-?$/u;

const inNumber = (code: number) => isDigit(code) || code === 32 || code === 40 || code === 41 || code === 43 || code === 45 || code === 46 || code === 47;

/** How a number is written: international (`+`), or grouped with separators as people write phone numbers. */
function looksDialable(raw: string): boolean {
  if (raw.startsWith('+')) return true;
  // Thousands grouping (`2 147 483 647`, `1,234,567`) and dates or ids that start with a year (`2026-11-0042`).
  if (/^\d{1,3}(?:[ ,.]\d{3})+$/.test(raw) || /^(?:19|20)\d{2}[-/.]\d{1,2}[-/.]/.test(raw)) return false;
  if (/^\(\d{2,5}\)[\s.-]?\d/.test(raw)) return true;
  // Two or more separators between digit groups: `415 555 2671`, `030-1234-5678`; a bare run of digits is too often an id.
  return (raw.match(/\d[\s.-]+(?=\d)/g)?.length ?? 0) >= 2;
}

export function phoneNumberDetector(defaultCountry: string = 'US'): Detector {
  const country = defaultCountry as CountryCode;
  return {
    name: 'pii.phone_number',
    types: ['phone_number'],
    maxLength: 32,
    find(text) {
      // Fewer than 7 digits cannot be a phone number anywhere.
      let digits = 0;
      for (let i = 0; i < text.length && digits < 7; i++) if (isDigit(text.charCodeAt(i))) digits++;
      if (digits < 7) return [];
      const found: Detection[] = [];
      for (const number of findPhoneNumbersInText(text, { defaultCountry: country })) {
        const raw = text.slice(number.startsAt, number.endsAt);
        if (!looksDialable(raw)) continue;
        const before = text.slice(Math.max(0, number.startsAt - 24), number.startsAt);
        if (IDENTIFIER_BEFORE.test(before) || GLUED_BEFORE.test(before)) continue;
        // Glued on after: `555-0199-12X`, `2671/4`.
        if (/^[-/]?[\p{L}\d]/u.test(text.slice(number.endsAt, number.endsAt + 2))) continue;
        found.push({ type: 'phone_number', start: number.startsAt, end: number.endsAt });
      }
      return found;
    },
    // A number in progress: the trailing run of digits and the separators phone numbers use, if it holds a digit.
    pending(text) {
      const at = trailingRun(text, inNumber, 32);
      for (let i = at; i < text.length; i++) if (isDigit(text.charCodeAt(i)) || text.charCodeAt(i) === 43) return at;
      return text.length;
    },
  };
}

export const phoneNumberDetectorUS = phoneNumberDetector('US');
