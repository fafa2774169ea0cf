// Payment card numbers: 13 to 19 digits, optionally grouped, with a known issuer prefix and a valid Luhn check digit.
import type { Detection, Detector } from './detector.js';
import { asciiClass, hasDigitFrom, isDigit, trailingRun } from './text-runs.js';

// A run of digit groups separated by one space or dash; a card is some of its groups, the same separator throughout (checked below).
const RUN = /(?<![\d.,/-])\d+(?:[ -]\d+)*/g;

/** The Luhn (mod 10) check every card number carries in its last digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/** Whether the number starts as an issuer's cards do, with a length that issuer uses. */
function knownIssuer(digits: string): boolean {
  const n = digits.length;
  const two = Number(digits.slice(0, 2));
  const three = Number(digits.slice(0, 3));
  const four = Number(digits.slice(0, 4));
  const six = Number(digits.slice(0, 6));
  if (digits[0] === '4') return n === 13 || n === 16 || n === 19; // Visa
  if ((two >= 51 && two <= 55) || (six >= 222100 && six <= 272099)) return n === 16; // Mastercard
  if (two === 34 || two === 37) return n === 15; // American Express
  if (four === 6011 || two === 65 || (three >= 644 && three <= 649)) return n >= 16 && n <= 19; // Discover
  if (four >= 3528 && four <= 3589) return n >= 16 && n <= 19; // JCB
  if (two === 36 || two === 38 || (three >= 300 && three <= 305)) return n >= 14 && n <= 19; // Diners Club
  if (two === 62) return n >= 16 && n <= 19; // UnionPay
  return false;
}

/** One separator kind at most, between groups of 4 (or Amex's 4-6-5). */
function groupedLikeACard(raw: string): boolean {
  const separators = raw.match(/[ -]/g);
  if (!separators) return true;
  if (new Set(separators).size > 1) return false;
  const groups = raw.split(/[ -]/).map((group) => group.length);
  if (groups.length === 3 && groups[0] === 4 && groups[1] === 6 && groups[2] === 5) return true;
  return groups.slice(0, -1).every((length) => length === 4) && (groups.at(-1) ?? 0) >= 1 && (groups.at(-1) ?? 0) <= 4;
}

/** Whether `raw` (digit groups and their separators) is written as a card number is, by a known issuer, with a valid check digit. */
function isCard(raw: string): boolean {
  const digits = raw.replace(/[ -]/g, '');
  return groupedLikeACard(raw) && knownIssuer(digits) && luhnValid(digits);
}

const inCard = asciiClass((code) => isDigit(code) || code === 32 || code === 45);

export const paymentCardDetector: Detector = {
  name: 'pii.payment_card',
  types: ['payment_card'],
  maxLength: 23,
  find(text) {
    if (!/\d{4}/.test(text)) return [];
    const found: Detection[] = [];
    for (const match of text.matchAll(RUN)) {
      if (match[0].length < 13) continue;
      // The groups of the run; a card may be all of them or a space-separated part (`Qty 12 4111 1111 1111 1111`), never
      // part of a dashed one, nor the integer part of a decimal.
      const starts: number[] = [];
      const ends: number[] = [];
      for (const group of match[0].matchAll(/\d+/g)) {
        starts.push(match.index + group.index);
        ends.push(match.index + group.index + group[0].length);
      }
      const last = starts.length - 1;
      const endAllowed = (e: number) => (e === last ? !/^[.,]\d/.test(text.slice(ends[e], (ends[e] as number) + 2)) : text.charCodeAt(ends[e] as number) === 32);
      for (let s = 0; s <= last; s++) {
        if (s > 0 && text.charCodeAt((starts[s] as number) - 1) !== 32) continue;
        let card = -1;
        for (let e = s, digits = 0; e <= last && (digits += (ends[e] as number) - (starts[e] as number)) <= 19; e++) {
          if (digits >= 13 && endAllowed(e) && isCard(text.slice(starts[s], ends[e]))) card = e;
        }
        if (card < 0) continue;
        found.push({ type: 'payment_card', start: starts[s] as number, end: ends[card] as number });
        s = card;
      }
    }
    return found;
  },
  pending(text) {
    const at = trailingRun(text, inCard, 23);
    return at < text.length && hasDigitFrom(text, at) ? at : text.length;
  },
};
