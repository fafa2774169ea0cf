// Phone numbers, found and validated by libphonenumber-js (its full metadata), written in a country's usual grouping.
import { findNumbers, isSupportedCountry, type CountryCode, type PhoneNumber } from 'libphonenumber-js/max';
import type { Detection, Detector } from './detector.js';
import { isAsciiAlnum, isAsciiLetter, isDigit, isWhitespace, runWithContext, trailingRunStart } from './text-runs.js';

/** E.164 allows 15 digits; with a `+`, brackets and separators a written number stays under this. */
const MAX_PHONE = 40;

/**
 * Where a number may be: at least seven digits with at most three separators between each,
 * after an optional `+` or `(`. libphonenumber-js reads only these spans (and a little around
 * them), not the whole text: it costs far more per character than this scan.
 */
const CANDIDATE_SPAN = /[+(\uff0b]?[\d\uff10-\uff19](?:[\s().\-/\u00a0\u2010-\u2015\u2212\u3000]{0,3}[\d\uff10-\uff19]){6,}\)?/g;
/** Characters of context given to libphonenumber-js on each side of a span (it looks at its neighbours). */
const SPAN_CONTEXT = 8;

/** What a written number holds: digits (ASCII and full-width), `+`, brackets and separators. */
const isPhoneChar = (code: number): boolean =>
  (code >= 0x30 && code <= 0x39) || code === 0x20 || code === 0x2b || code === 0x28 || code === 0x29 || code === 0x2d || code === 0x2e || code === 0x2f || code === 0xa0 || (code >= 0x2010 && code <= 0x2015) || code === 0x2212 || code === 0x3000 || (code >= 0xff10 && code <= 0xff19) || code === 0x09;

/** Before a number: the start, whitespace, or an opening or list mark; never a letter, digit, `-`, `.`, `/`, `#`, currency. */
const OPENERS = new Set([...'([{"\'<:;,=*>|\u201c\u2018\u00ab'].map((char) => char.charCodeAt(0)));
const opensNumber = (code: number): boolean => isWhitespace(code) || OPENERS.has(code);
/** After a number: anything but a letter or digit, a joining mark (`-`, `_`, `/`, `@`, `%`) or `.` then a digit. */
const CONTINUES_TOKEN = /^(?:[\p{L}\p{N}_\-/@%]|\.\d)/u;

/**
 * Words that make the digits after them an identifier, not a phone number (`order 415 555
 * 2671`, `part 903-320-3663`, `Ticket no. 555 0100 123`): product codes and references are
 * often written in phone-like groups.
 */
const ID_WORDS = new Set('order invoice inv ticket case ref reference part sku model serial sn item product article art account acct tracking po isbn ean upc id customer booking confirmation transaction receipt policy claim batch lot build version release patent issue pr'.split(' '));
/** The longest identifier's name and what follows it, `confirmation number: `, with room to spare. */
const ID_NAME_REACH = 32;
/** What may come between an identifier's name and its digits: `no.`, `number`, `#`, `:`. */
const NUMBER_WORDS = new Set(['no', 'nr', 'number', 'num', 'id']);

const isLetterCode = (code: number): boolean => isAsciiLetter(code) || (code > 0x7f && /\p{L}/u.test(String.fromCharCode(code)));

const isNameGap = (code: number): boolean => isWhitespace(code) || code === 0x3a || code === 0x23 || code === 0x2e;

/** The word of letters that ends at `end` (after skipping what `skip` accepts), as [start, word]. */
function wordBefore(text: string, end: number, skip: (code: number) => boolean): [number, string] {
  let at = end;
  while (at > 0 && end - at < 8 && skip(text.charCodeAt(at - 1))) at--;
  const wordEnd = at;
  // No name is longer than 12 letters: looking further back finds nothing.
  while (at > 0 && wordEnd - at <= 13 && isLetterCode(text.charCodeAt(at - 1))) at--;
  return [at, text.slice(at, wordEnd).toLowerCase()];
}

/**
 * Where the identifier's name before `end` begins (`order 415 555 2671`, `part 903-320-3663`,
 * `Ticket no. 555 0100 123`), or -1: product codes and references are often written in
 * phone-like groups. Hand-written, not a regex: `pending` runs it on every chunk.
 */
function idNameBefore(text: string, end: number): number {
  let [start, word] = wordBefore(text, end, isNameGap);
  if (NUMBER_WORDS.has(word)) [start, word] = wordBefore(text, start, isNameGap);
  return ID_WORDS.has(word) && (start === 0 || !isLetterCode(text.charCodeAt(start - 1))) ? start : -1;
}

/** Cumulative lengths of the digit groups of `written` (the group boundaries), and its digits. */
function digitGroups(written: string): { digits: string; bounds: number[] } {
  const groups = written.match(/\d+/g) ?? [];
  const bounds: number[] = [];
  let length = 0;
  for (const group of groups) {
    if (length > 0) bounds.push(length);
    length += group.length;
  }
  return { digits: groups.join(''), bounds };
}

/** The group boundaries of the national significant number as `formatted` writes it (its last `nsnLength` digits). */
function formattedBounds(formatted: string, nsnLength: number): number[] {
  // Without the extension a format writes after the number (` ext. 12`).
  const { digits, bounds } = digitGroups(formatted.replace(/\s*(?:ext\.?|x|#).*$/i, ''));
  const offset = digits.length - nsnLength;
  return bounds.map((bound) => bound - offset).filter((bound) => bound > 0 && bound < nsnLength);
}

/**
 * Whether `written` groups its digits as the country does (like libphonenumber's
 * STRICT_GROUPING): every separator falls where its national or international format puts
 * one, so `2024-000123` (an order number) is not the valid US number 202 400 0123. A number
 * written without separators counts only with a leading `+` (E.164): a bare run of digits is
 * far more often an id, an amount or a timestamp.
 */
function groupedAsWritten(written: string, number: PhoneNumber): boolean {
  const { digits, bounds } = digitGroups(written);
  const nsn = number.nationalNumber;
  if (!digits.endsWith(nsn)) return false;
  if (bounds.length === 0) return written.startsWith('+');
  const offset = digits.length - nsn.length;
  const allowed = new Set([0, ...formattedBounds(number.format('INTERNATIONAL'), nsn.length), ...formattedBounds(number.format('NATIONAL'), nsn.length)]);
  return bounds.every((bound) => bound >= offset && allowed.has(bound - offset));
}

/** The number without an extension after it (`ext. 12`, `x12`, `#12`): the subscriber's number is what identifies them. */
function withoutExtension(written: string): string {
  const cut = written.search(/[^\d\s+().\-/\u00a0\u2010-\u2015\u2212\u3000\uff10-\uff19]/u);
  return (cut === -1 ? written : written.slice(0, cut)).replace(/[^\d)]+$/u, '');
}

/** Whether `text` has a digit, `+` or `(` at or after `from`: what may begin a number. */
function mayBeginNumber(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (isDigit(code) || code === 0x2b || code === 0x28 || (code >= 0xff10 && code <= 0xff19)) return true;
  }
  return false;
}

/**
 * The trailing run of what a number is written with, when it may begin one, with what comes
 * before it when that decides (a letter, or an identifier's name such as `order no.`). When
 * the run cannot begin a number, the last word is held back when the text does not end in
 * whitespace (digits right after it would be part of a code), and any identifier's name.
 */
function phonePending(text: string): number {
  const run = trailingRunStart(text, isPhoneChar, MAX_PHONE + 1);
  let held: number;
  if (mayBeginNumber(text, run)) held = runWithContext(text, run);
  else if (text.length === 0 || opensNumber(text.charCodeAt(text.length - 1))) held = text.length;
  else {
    // A word at the end decides whether digits right after it count: hold it back whole.
    held = text.length;
    while (held > 0 && !opensNumber(text.charCodeAt(held - 1)) && text.length - held <= ID_NAME_REACH) held--;
  }
  // From the start of a word the held text begins in (`no` of `order no.`), so its name is seen whole.
  for (let letters = 0; held > 0 && letters <= 13 && isLetterCode(text.charCodeAt(held - 1)); letters++) held--;
  if (held === 0) return held;
  const name = idNameBefore(text, held);
  return name >= 0 ? name : held;
}

/** A date written with dashes, dots or slashes: `2026-12-02`, `12.02.2026`, `02/12/2026`. */
const DATE_SPAN = /^(?:\d{4}([-./])\d{1,2}\1\d{1,2}|\d{1,2}([-./])\d{1,2}\2\d{2,4})$/;
const HAS_SEPARATOR = /[^\d\uff10-\uff19]/;

/**
 * Whether a span of digits cannot hold a number that `accepted` would take, decided cheaply
 * (libphonenumber-js costs some 30 µs a call): a bare run of digits without `+` (never
 * taken), a date, digits right after an identifier's name, or digits glued to what comes
 * before them with no place inside where a number could start after whitespace or a bracket.
 */
function hopeless(text: string, start: number, span: string): boolean {
  if (!HAS_SEPARATOR.test(span)) return true;
  if (DATE_SPAN.test(span)) return true;
  if (idNameBefore(text, start) >= 0) return true;
  return start > 0 && !opensNumber(text.charCodeAt(start - 1)) && !/[\s(]/u.test(span);
}

/** The stretches of `text` worth handing to libphonenumber-js: candidate spans with some context, overlapping ones merged. */
function candidateWindows(text: string): Array<[number, number]> {
  const windows: Array<[number, number]> = [];
  for (const span of text.matchAll(CANDIDATE_SPAN)) {
    if (hopeless(text, span.index, span[0])) continue;
    const from = Math.max(0, span.index - SPAN_CONTEXT);
    const to = Math.min(text.length, span.index + span[0].length + SPAN_CONTEXT);
    const last = windows.at(-1);
    if (last && from <= last[1]) last[1] = to;
    else windows.push([from, to]);
  }
  return windows;
}

/** Whether the number libphonenumber-js found at `start` counts: valid, grouped as its country groups, and not part of a code or an identifier. */
function accepted(text: string, start: number, written: string, number: PhoneNumber): boolean {
  const end = start + written.length;
  if (start > 0 && !opensNumber(text.charCodeAt(start - 1))) return false;
  if (idNameBefore(text, start) >= 0) return false;
  if (CONTINUES_TOKEN.test(text.slice(end, end + 2))) return false;
  if (!isAsciiAlnum(written.charCodeAt(written.length - 1)) && !written.endsWith(')')) return false;
  return number.isValid() && groupedAsWritten(written, number);
}

/** The phone-number detector for numbers written without a `+` country code read as `defaultCountry`'s. */
export function phoneNumberDetector(defaultCountry = 'US'): Detector {
  if (!isSupportedCountry(defaultCountry)) throw new TypeError(`phone numbers: '${defaultCountry}' is not a country libphonenumber-js knows (ISO 3166 alpha-2, e.g. 'US', 'DE')`);
  const country: CountryCode = defaultCountry;
  return {
    name: 'pii.phone_number',
    types: ['phone_number'],
    // A number, and the identifier's name before it that `pending` holds back with it.
    maxLength: MAX_PHONE + 1 + ID_NAME_REACH + 8,
    find(text: string): Detection[] {
      const found: Detection[] = [];
      for (const [from, to] of candidateWindows(text)) {
        for (const candidate of findNumbers(text.slice(from, to), { defaultCountry: country, v2: true })) {
          const start = from + candidate.startsAt;
          const written = withoutExtension(text.slice(start, from + candidate.endsAt));
          if (accepted(text, start, written, candidate.number)) found.push({ type: 'phone_number', start, end: start + written.length });
        }
      }
      return found;
    },
    pending: phonePending,
  };
}

/** Phone numbers read, without a `+` prefix, as US numbers. */
export const phoneNumberDetectorUS: Detector = phoneNumberDetector('US');
