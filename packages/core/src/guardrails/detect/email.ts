// Email addresses: local@domain.tld, not npm scopes (`@types/node`), package versions (`react@18.2.0`), decorators or reserved example domains.
import type { Detection, Detector } from './detector.js';
import { trailingRunStart } from './text-runs.js';

/** RFC 5321: at most 254 characters in a path. */
const MAX_EMAIL = 254;

/**
 * A dot-atom local part (no quoted forms), then domain labels and an alphabetic TLD of two
 * or more letters, so versions (`user@1.2.3`) and dotless hosts (`x@y`, `pkg@latest`) are not
 * emails. Letters of any script are allowed (RFC 6531). Not preceded by a local-part
 * character, so a match starts where a run of them starts (`pending` relies on it); not
 * followed by `:` (the `git@github.com:org/repo` form is an SSH remote, not a mailbox).
 */
const EMAIL =
  /(?<![\p{L}\p{N}\p{M}._%+-])[\p{L}\p{N}_%+-](?:[\p{L}\p{N}\p{M}_%+-]|\.(?=[\p{L}\p{N}_%+-])){0,63}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]{0,61}[\p{L}\p{N}\p{M}])?\.)+\p{L}[\p{L}\p{M}]{1,62}(?![\p{L}\p{N}\p{M}_%+-]|\.[\p{L}\p{N}]|:|@)/gu;

/**
 * Domains reserved for examples and tests (RFC 2606, RFC 6761): no one's mailbox, so
 * `ann@example.com` in documentation is not personal data.
 */
const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)$/i;

/** The characters an email can hold: the run `pending` holds back. */
const isEmailChar = (code: number): boolean =>
  (code >= 0x61 && code <= 0x7a) || (code >= 0x40 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2e || code === 0x5f || code === 0x25 || code === 0x2b || code === 0x2d || (code > 0x7f && /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(code)));

export const emailDetector: Detector = {
  name: 'pii.email',
  types: ['email'],
  maxLength: MAX_EMAIL,
  find(text: string): Detection[] {
    if (!text.includes('@')) return [];
    const found: Detection[] = [];
    for (const match of text.matchAll(EMAIL)) {
      if (match[0].length > MAX_EMAIL || RESERVED_DOMAIN.test(match[0].slice(match[0].lastIndexOf('@') + 1))) continue;
      found.push({ type: 'email', start: match.index, end: match.index + match[0].length });
    }
    return found;
  },
  pending: (text: string): number => trailingRunStart(text, isEmailChar, MAX_EMAIL + 1),
};
