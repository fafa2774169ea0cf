// Public IPv4 and IPv6 addresses, validated by node:net; not private or reserved ones, versions, times, MAC addresses or code such as `a::b`.
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { Detection, Detector } from './detector.js';
import { asciiClass, isAsciiLetter, trailingRun, withCharBefore } from './text-runs.js';

const IPV4 = /(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?![\w-]|\.\d)/g;
/** A dotted quad in a sentence about versions (or spec sections) is one: `v10.0.1.2`, `version 1.2.3.4`, `versions such as 18.6.33.2`, `section 7.6.1.1`. */
const VERSION_BEFORE = /(?:\bv|\b(?:versions?|releases?|builds?|ver|rev|firmware|chrome|firefox|node|python|java|sections?|chapters?|clauses?)\b[^.!?\n]{0,40})$/i;
/** The sequence everyone writes as an example address or a four-part version: a placeholder, not someone's address. */
const PLACEHOLDERS = new Set(['1.2.3.4', '4.3.2.1']);

/**
 * Addresses that name no one: private, loopback, link-local, shared (CGNAT), documentation,
 * benchmarking, multicast and reserved ranges (IANA special-purpose registries). Not personal data.
 */
const NOT_PERSONAL = new BlockList();
for (const [network, prefix] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4]] as const) NOT_PERSONAL.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [['::', 127], ['fe80::', 10], ['fc00::', 7], ['ff00::', 8], ['2001:db8::', 32]] as const) NOT_PERSONAL.addSubnet(network, prefix, 'ipv6');

/** The IPv4 address an IPv6 one carries (mapped, compatible, NAT64 or 6to4), if any. */
function embeddedIpv4(address: string): string | undefined {
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(address);
  if (dotted && /^(?:::ffff:|::|64:ff9b::)/i.test(address)) return dotted[1];
  const groups = /^(?:::ffff:|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address) ?? /^2002:([0-9a-f]{1,4}):([0-9a-f]{1,4})(?::|$)/i.exec(address);
  if (!groups) return undefined;
  const high = Number.parseInt(groups[1] as string, 16);
  const low = Number.parseInt(groups[2] as string, 16);
  return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
}

function personalIpv6(address: string): boolean {
  // A bare prefix (`2000::`, `fe80::`) names a network, not a host.
  if (address.endsWith('::')) return false;
  if (NOT_PERSONAL.check(address, 'ipv6')) return false;
  const v4 = embeddedIpv4(address);
  return v4 === undefined || !NOT_PERSONAL.check(v4, 'ipv4');
}

/** A network in CIDR notation (`10.0.0.0/8`) is a range, not one host. */
const CIDR_AFTER = /^\/\d{1,3}\b/;
const HINT_IPV6 = /[0-9A-Fa-f]?:[0-9A-Fa-f]{0,4}:/;
// Not followed by `.digit` (part of a longer dotted form), but it may end a sentence.
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:]|\.\d)/g;

/** A compressed address must still look like one: at least 4 hex digits, one of them a digit (`fe80::1`, not `a::b`). */
function plausibleIpv6(candidate: string): boolean {
  const hex = candidate.replace(/[^0-9A-Fa-f]/g, '');
  if (!/\d/.test(hex)) return false;
  return candidate.includes('::') ? hex.length >= 4 : true;
}

// With `/`: a CIDR suffix arriving after an address makes it a range.
const inIpv4 = asciiClass((code) => (code >= 47 && code <= 57) || code === 46);
const inIpv6 = asciiClass((code) => (code >= 47 && code <= 58) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102) || code === 46);
const LETTERS = asciiClass(isAsciiLetter);
const CONTEXT_END = /[[_-]$/;
/** A trailing run that may still be, or become, an address (a longer dotted run never is: it cannot start inside one). */
const IPV4_SO_FAR = /^(?:\d{1,3}\.){0,3}\d{1,3}(?:\.|\/\d{0,3})?$/;

export const ipv4Detector: Detector = {
  name: 'pii.ipv4',
  types: ['ipv4'],
  // An address is at most 15 characters; the version's name before it, which `pending` holds back with it, at most 61 more.
  maxLength: 80,
  find(text) {
    if (!/\d\.\d/.test(text)) return [];
    const found: Detection[] = [];
    for (const match of text.matchAll(IPV4)) {
      const end = match.index + match[0].length;
      if (!isIPv4(match[0]) || NOT_PERSONAL.check(match[0], 'ipv4') || CIDR_AFTER.test(text.slice(end, end + 4))) continue;
      if (PLACEHOLDERS.has(match[0]) || VERSION_BEFORE.test(text.slice(Math.max(0, match.index - 60), match.index))) continue;
      // `[7.6.1.1]`, a section's number as a (Markdown link's) label: IPv4 addresses are not written in brackets.
      if (text.charCodeAt(match.index - 1) === 91 && text.charCodeAt(end) === 93) continue;
      found.push({ type: 'ipv4', start: match.index, end: match.index + match[0].length });
    }
    return found;
  },
  pending(text) {
    const at = trailingRun(text, inIpv4, 20);
    const maybe = at < text.length && IPV4_SO_FAR.test(text.slice(at));
    // What comes before decides too: a word character (`v1.2.3.4`), or a version's name earlier in the
    // sentence, which must not be passed on before the digits after it arrive.
    // (And the last word, which may be the start of one: `vers` before `ion`; or a last `[`, `-` or `_`, which decides about digits after it.)
    const from = maybe ? withCharBefore(text, at) : CONTEXT_END.test(text) ? text.length - 1 : trailingRun(text, LETTERS, 12);
    const window = Math.max(0, from - 60);
    const version = VERSION_BEFORE.exec(text.slice(window, from));
    return version ? withCharBefore(text, window + version.index) : from;
  },
};

export const ipv6Detector: Detector = {
  name: 'pii.ipv6',
  types: ['ipv6'],
  // 45 characters at most (IPv4-mapped); `pending` holds back a run of up to 50 and the character before it.
  maxLength: 52,
  find(text) {
    // Two colons close together with hex beside them, or nothing here can be an address.
    if (!HINT_IPV6.test(text)) return [];
    const found: Detection[] = [];
    for (const match of text.matchAll(IPV6)) {
      const end = match.index + match[0].length;
      if (!isIPv6(match[0]) || !plausibleIpv6(match[0]) || !personalIpv6(match[0]) || CIDR_AFTER.test(text.slice(end, end + 4))) continue;
      found.push({ type: 'ipv6', start: match.index, end: match.index + match[0].length });
    }
    return found;
  },
  // Held while the tail has a colon in it, or is a hex word short enough to be an address's first group (`fe80`, `face`).
  pending(text) {
    const at = trailingRun(text, inIpv6, 50);
    return at < text.length && (text.includes(':', at) || text.length - at <= 4) ? withCharBefore(text, at) : text.length;
  },
};
