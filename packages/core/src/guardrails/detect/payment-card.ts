// Payment card numbers: 13 to 19 digits, optionally grouped, with a known issuer prefix and a valid Luhn check digit.
import type { Detection, Detector } from './detector.js';
import { isDigit, trailingRun } from './text-runs.js';

// Digits in groups separated by one space or dash, the same separator throughout (checked below).
const CANDIDATE = /(?<![\d.,/-])\d(?:[ -]?\d){12,18}(?![\d]|[.,]\d|-\d)/g;

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

const inCard = (code: number) => isDigit(code) || code === 32 || code === 45;

export const paymentCardDetector: Detector = {
  name: 'pii.payment_card',
  types: ['payment_card'],
  maxLength: 23,
  find(text) {
    if (!/\d{4}/.test(text)) return [];
    const found: Detection[] = [];
    for (const match of text.matchAll(CANDIDATE)) {
      const raw = match[0].replace(/[ -]$/, '');
      const digits = raw.replace(/[ -]/g, '');
      if (digits.length < 13 || digits.length > 19 || !groupedLikeACard(raw) || !knownIssuer(digits) || !luhnValid(digits)) continue;
      found.push({ type: 'payment_card', start: match.index, end: match.index + raw.length });
    }
    return found;
  },
  pending(text) {
    const at = trailingRun(text, inCard, 23);
    for (let i = at; i < text.length; i++) if (isDigit(text.charCodeAt(i))) return at;
    return text.length;
  },
};
