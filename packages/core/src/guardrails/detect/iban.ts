// IBANs: country code, check digits and account, of the country's length, with a valid mod-97 checksum; electronic or print form.
import type { Detection, Detector } from './detector.js';
import { asciiClass, trailingRun } from './text-runs.js';

/** IBAN lengths by country (the ISO 13616 registry). */
const LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22, CY: 28, CZ: 24,
  DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27,
  GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28,
  PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28,
  TL: 23, TN: 24, TR: 26, UA: 29, VA: 22, VG: 24, XK: 20, YE: 30,
};

// Electronic (`DE89370400440532013000`) or print form in groups of four (`DE89 3704 0044 0532 0130 00`).
const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:[A-Z0-9]{11,30}|(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?)(?![A-Za-z0-9])/g;

/** ISO 7064 mod 97-10 over the rearranged IBAN, digit by digit (no big integers). */
export function ibanChecksumValid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

const IN_PROGRESS = /(?<![A-Za-z0-9])[A-Z](?:[A-Z](?:\d(?:\d[A-Z0-9 ]*)?)?)?$/;
// IBANs are written in capitals and digits: a run of those (and spaces) is all that can be one in progress.
const inIban = asciiClass((code) => (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || code === 32);

export const ibanDetector: Detector = {
  name: 'pii.iban',
  types: ['iban'],
  maxLength: 42,
  find(text) {
    if (!/[A-Z]{2}\d{2}/.test(text)) return [];
    const found: Detection[] = [];
    for (const match of text.matchAll(CANDIDATE)) {
      const iban = match[0].replace(/ /g, '');
      if (LENGTHS[iban.slice(0, 2)] !== iban.length || !ibanChecksumValid(iban)) continue;
      found.push({ type: 'iban', start: match.index, end: match.index + match[0].length });
    }
    return found;
  },
  // An IBAN in progress starts with a capital (then a capital and two digits): hold back from there while letters, digits and spaces go on.
  pending(text) {
    const at = trailingRun(text, inIban, 42);
    if (at === text.length) return at;
    const match = IN_PROGRESS.exec(text.slice(at));
    return match ? at + match.index : text.length;
  },
};
