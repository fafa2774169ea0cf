// Email addresses: local@domain.tld, not npm scopes, decorators, versions or ssh remotes.
import type { Detection, Detector } from './detector.js';
import { isAsciiAlnum, trailingRun } from './text-runs.js';

// The local part starts and ends with an alphanumeric; the domain has at least one dot and a letters-only TLD.
const EMAIL = /(?<![\w.%+@-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w@-]|\.[A-Za-z0-9])/g;

/** Domains reserved for examples and tests (RFC 2606, RFC 6761): an address there is no one's. */
const RESERVED_DOMAIN = /(?:^|\.)(?:example\.(?:com|net|org)|example|test|invalid|localhost)$/i;

const inAddress = (code: number) => isAsciiAlnum(code) || code === 46 /* . */ || code === 95 /* _ */ || code === 37 /* % */ || code === 43 /* + */ || code === 45 /* - */ || code === 64; /* @ */

export const emailDetector: Detector = {
  name: 'pii.email',
  types: ['email'],
  maxLength: 254,
  find(text) {
    if (!text.includes('@')) return [];
    const found: Detection[] = [];
    for (const match of text.matchAll(EMAIL)) {
      const end = match.index + match[0].length;
      // `git@github.com:org/repo.git`: an ssh remote in code, not someone's address.
      if (text.charCodeAt(end) === 58 /* : */ && /[\w/~]/.test(text.charAt(end + 1))) continue;
      if (RESERVED_DOMAIN.test(match[0].slice(match[0].lastIndexOf('@') + 1))) continue;
      found.push({ type: 'email', start: match.index, end });
    }
    return found;
  },
  // An address in progress is one run of address characters: hold back the last word while it may still become one.
  pending: (text) => trailingRun(text, inAddress, 254),
};
